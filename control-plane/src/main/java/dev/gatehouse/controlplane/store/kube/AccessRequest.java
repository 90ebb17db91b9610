package dev.gatehouse.controlplane.store.kube;

import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * An access request as the Kubernetes store keeps it ({@code accessrequests.gatehouse.dev}): what
 * was asked and decided at filing in {@code spec} (never changed), its lifecycle and its votes in
 * {@code status} (the status subresource). Documents are kept as the exact JSON text the policy saw.
 */
@Group("gatehouse.dev")
@Version("v1alpha1")
@ShortNames("areq")
public class AccessRequest extends CustomResource<AccessRequest.Spec, AccessRequest.Status> implements Namespaced {
  public static class Spec {
    @PrinterColumn(name = "Requester")
    public String requester;
    /** Filing order (the store's request counter): newest-first listings sort by it. */
    public long seq;
    public String createdAt;
    /** The AccessRequest document as the request policy saw it (JSON text). */
    public String document;
    /** The request policy's decision at filing (JSON text). */
    public String decision;
    public String extendsGrant;
    public boolean breakGlass;
    public String policyRevision;
  }

  public static class Status {
    @PrinterColumn(name = "State")
    public String state;
    public String updatedAt;
    public String grantId;
    public boolean needsReview;
    public String closedBy;
    /** The document as last updated (JSON text). */
    public String document;
    public List<Review> reviews = new ArrayList<>();
    /** The store commit that wrote this status: a replayed older commit never overwrites a newer one. */
    public long commit;
  }

  public static class Review {
    public long id;
    public String reviewer;
    public String reviewerKey;
    public String vote;
    public String comment;
    public String at;
    public String document;
    public String decision;
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
