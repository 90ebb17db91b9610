package dev.gatehouse.controlplane.store.kube;

import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A grant as the Kubernetes store keeps it ({@code accessgrants.gatehouse.dev}): who, for which
 * request and when in {@code spec}; the signed document (re-signed at revocation) and the
 * lifecycle state in {@code status}.
 */
@Group("gatehouse.dev")
@Version("v1alpha1")
@ShortNames("agrant")
public class AccessGrant extends CustomResource<AccessGrant.Spec, AccessGrant.Status> implements Namespaced {
  public static class Spec {
    public String requestId;
    @PrinterColumn(name = "Subject")
    public String subject;
    public String notBefore;
    @PrinterColumn(name = "Expires")
    public String expiresAt;
    public boolean breakGlass;
    public String createdAt;
  }

  public static class Status {
    @PrinterColumn(name = "State")
    public String state;
    public String updatedAt;
    /** The grant document (JSON text), the JWS payload. */
    public String document;
    /** The compact JWS (ES256, typ gatehouse-grant+jws). */
    public String jws;
    public long commit;
  }

  @Override
  protected Spec initSpec() {
    return new Spec();
  }

  @Override
  protected Status initStatus() {
    return new Status();
  }
}
