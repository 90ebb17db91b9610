package dev.gatehouse.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * deploy/control-plane-rbac.yaml applied to the test API server as shipped, in namespace {@code ns}
 * instead of gatehouse-system (cluster-scoped names get the namespace as a suffix so suites never
 * share them), and a kubeconfig holding a token of its ServiceAccount (TokenRequest API): the
 * control plane then runs with exactly the rights the manifest gives it.
 */
final class ControlPlaneRbac {
  static final String SA = "gatehouse-control-plane";

  private ControlPlaneRbac() {}

  static String user(String ns) {
    return "system:serviceaccount:" + ns + ":" + SA;
  }

  /** Applies the manifest; returns a kubeconfig file for the ServiceAccount. */
  static Path apply(KubeTestEnv env, KubernetesClient admin, String ns, Path dir) throws IOException {
    String yaml = Files.readString(KubeTestEnv.repoRoot().resolve("deploy/control-plane-rbac.yaml"))
        .replace("gatehouse-control-plane-rolebindings", "gatehouse-control-plane-rolebindings-" + ns)
        .replace("namespace: gatehouse-system", "namespace: " + ns);
    for (HasMetadata o : admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
      if (o instanceof Namespaced) {
        o.getMetadata().setNamespace(ns);
      }
      admin.resource(o).forceConflicts().serverSideApply();
    }
    TokenRequest tr = admin.serviceAccounts().inNamespace(ns).withName(SA)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(7200L).endSpec().build());
    Path kubeconfig = dir.resolve("control-plane-sa.kubeconfig");
    Files.createDirectories(dir);
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
            certificate-authority: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: test
          context: {cluster: test, user: %s, namespace: %s}
        current-context: test
        """.formatted(env.apiUrl(), env.caFile(), SA, tr.getStatus().getToken(), SA, ns));
    return kubeconfig;
  }
}
