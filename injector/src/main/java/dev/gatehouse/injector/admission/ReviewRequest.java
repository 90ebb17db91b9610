package dev.gatehouse.injector.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.GroupVersionResource;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;

/**
 * A checked {@code admission.k8s.io/v1} AdmissionReview request.
 *
 * @param typed the request decoded into fabric8's model (object, oldObject and options left raw)
 * @param raw the {@code request} object exactly as received (what policies see)
 * @param object the new object, or null (DELETE)
 * @param oldObject the old object, or null (CREATE, CONNECT)
 * @param typedObject {@code object} decoded with fabric8's model when its kind is one we know
 *     (Pod, workloads, connect options), else null
 */
public record ReviewRequest(AdmissionRequest typed, ObjectNode raw, JsonNode object, JsonNode oldObject,
    Object typedObject) {
  public String uid() {
    return typed.getUid();
  }

  public String operation() {
    return typed.getOperation();
  }

  public GroupVersionKind kind() {
    return typed.getKind();
  }

  public GroupVersionResource resource() {
    return typed.getResource();
  }

  /** The subresource, or "" for the main resource. */
  public String subResource() {
    return typed.getSubResource() == null ? "" : typed.getSubResource();
  }

  public String namespace() {
    return typed.getNamespace() == null ? "" : typed.getNamespace();
  }

  public String name() {
    return typed.getName() == null ? "" : typed.getName();
  }

  public boolean dryRun() {
    return Boolean.TRUE.equals(typed.getDryRun());
  }

  public String user() {
    return typed.getUserInfo() == null || typed.getUserInfo().getUsername() == null ? ""
        : typed.getUserInfo().getUsername();
  }

  /** The requesting user's groups as the authenticator gave them (empty when none). */
  public java.util.List<String> groups() {
    return typed.getUserInfo() == null || typed.getUserInfo().getGroups() == null ? java.util.List.of()
        : typed.getUserInfo().getGroups();
  }

  /** {@code pods}, {@code pods/exec}, {@code deployments}… as webhook rules name resources. */
  public String resourceWithSub() {
    String r = resource() == null || resource().getResource() == null ? "" : resource().getResource();
    return subResource().isEmpty() ? r : r + "/" + subResource();
  }
}
