package dev.gatehouse.controlplane.kube;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One RoleBinding the policy calls for: {@code name} in {@code namespace}, binding {@code subject}
 * (kind User or ServiceAccount) to the ClusterRole {@code clusterRole}, for grant {@code grantId}.
 */
public record DesiredBinding(String name, String namespace, String grantId, String role, String clusterRole,
    String subjectKind, String subjectName, String subjectNamespace, String expiresAt) {

  static DesiredBinding of(JsonNode b) {
    JsonNode s = b.path("subject");
    return new DesiredBinding(text(b, "name"), text(b, "namespace"), text(b, "grant_id"), b.path("role").asText(""),
        text(b, "cluster_role"), text(s, "kind"), text(s, "name"), s.path("namespace").asText(null),
        b.path("expires_at").asText(""));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new IllegalStateException("a desired RoleBinding has no " + field + ": " + n);
    }
    return v.asText();
  }
}
