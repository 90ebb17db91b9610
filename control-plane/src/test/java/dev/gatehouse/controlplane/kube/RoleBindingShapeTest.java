package dev.gatehouse.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;

/**
 * The RoleBinding the reconciler writes for an entry of data.gatehouse.kubernetes.rolebindings.desired
 * (shaped as the policy returns it), and when an existing binding counts as that one. The API
 * server side is e2e/NamespaceGrantsE2ETest.
 */
class RoleBindingShapeTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static DesiredBinding desired(String subject) throws Exception {
    JsonNode b = JSON.readTree("""
        {"name": "gatehouse-gr-0a1b2c3d4e5f", "namespace": "payments-prod", "grant_id": "gr-0a1b2c3d4e5f",
         "role": "deploy", "cluster_role": "edit", "expires_at": "2026-12-07T23:24:25Z", "subject": %s}""".formatted(subject));
    return DesiredBinding.of(b);
  }

  @Test
  void aUserBinding() throws Exception {
    DesiredBinding d = desired("{\"kind\": \"User\", \"apiGroup\": \"rbac.authorization.k8s.io\", \"name\": \"alice\"}");
    RoleBinding rb = RoleBindingReconciler.build(d);
    assertThat(rb.getMetadata().getName()).isEqualTo("gatehouse-gr-0a1b2c3d4e5f");
    assertThat(rb.getMetadata().getNamespace()).isEqualTo("payments-prod");
    assertThat(rb.getMetadata().getLabels()).containsEntry("gatehouse.dev/grant", "gr-0a1b2c3d4e5f")
        .containsEntry("app.kubernetes.io/managed-by", "gatehouse");
    assertThat(rb.getMetadata().getAnnotations()).containsEntry("gatehouse.dev/expires-at", "2026-12-07T23:24:25Z")
        .containsEntry("gatehouse.dev/role", "deploy");
    assertThat(rb.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(rb.getRoleRef().getName()).isEqualTo("edit");
    assertThat(rb.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("User");
      assertThat(s.getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
      assertThat(s.getName()).isEqualTo("alice");
      assertThat(s.getNamespace()).isNull();
    });
    assertThat(RoleBindingReconciler.matches(rb, d)).isTrue();
  }

  @Test
  void aServiceAccountBinding() throws Exception {
    DesiredBinding d = desired("{\"kind\": \"ServiceAccount\", \"namespace\": \"argocd\", \"name\": \"argocd-application-controller\"}");
    RoleBinding rb = RoleBindingReconciler.build(d);
    assertThat(rb.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getNamespace()).isEqualTo("argocd");
      assertThat(s.getApiGroup()).isNull();
    });
    assertThat(RoleBindingReconciler.matches(rb, d)).isTrue();
  }

  @Test
  void anEditedBindingNoLongerMatches() throws Exception {
    DesiredBinding d = desired("{\"kind\": \"User\", \"name\": \"alice\"}");
    RoleBinding otherRole = RoleBindingReconciler.build(d);
    otherRole.getRoleRef().setName("admin");
    assertThat(RoleBindingReconciler.matches(otherRole, d)).isFalse();
    RoleBinding extraSubject = RoleBindingReconciler.build(d);
    extraSubject.getSubjects().add(RoleBindingReconciler.build(desired("{\"kind\": \"User\", \"name\": \"mallory\"}"))
        .getSubjects().get(0));
    assertThat(RoleBindingReconciler.matches(extraSubject, d)).isFalse();
    RoleBinding otherUser = RoleBindingReconciler.build(desired("{\"kind\": \"User\", \"name\": \"mallory\"}"));
    assertThat(RoleBindingReconciler.matches(otherUser, d)).isFalse();
    RoleBinding relabelled = RoleBindingReconciler.build(d);
    relabelled.getMetadata().getLabels().put("gatehouse.dev/grant", "gr-other");
    assertThat(RoleBindingReconciler.matches(relabelled, d)).isFalse();
  }

  @Test
  void anEntryWithoutAClusterRoleIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DesiredBinding.of(JSON.readTree(
        "{\"name\": \"x\", \"namespace\": \"n\", \"grant_id\": \"g\", \"subject\": {\"kind\": \"User\", \"name\": \"a\"}}")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cluster_role");
  }
}
