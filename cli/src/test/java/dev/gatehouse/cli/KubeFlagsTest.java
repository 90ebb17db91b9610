package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gatehouse control-plane's Kubernetes flags: refused combinations say why (exit 2), before anything starts. */
class KubeFlagsTest {
  @Test
  void anUnknownStoreIsRefused(@TempDir Path tmp) {
    Cli.Result r = Cli.run("control-plane", "--data-dir", tmp.toString(), "--store", "etcd");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--store is sqlite or kubernetes");
  }

  @Test
  void aKubeconfigWithoutAKubernetesFeatureIsRefused(@TempDir Path tmp) {
    Cli.Result r = Cli.run("control-plane", "--data-dir", tmp.toString(), "--kubeconfig", tmp.resolve("k").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--kubeconfig is for --kube-rolebindings and --store kubernetes");
  }

  @Test
  void rolebindingsOutsideAClusterWithoutAKubeconfigSayWhatToGive(@TempDir Path tmp) {
    Cli.Result r = Cli.run("control-plane", "--data-dir", tmp.resolve("data").toString(), "--policies",
        Path.of("../policies").toAbsolutePath().toString(), "--port", "0", "--kube-rolebindings");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("KUBERNETES_SERVICE_HOST is not set").contains("--kubeconfig FILE");
  }

  @Test
  void theHelpNamesTheFlags() {
    Cli.Result r = Cli.run("control-plane", "--help");
    assertThat(r.out()).contains("--kube-authz", "--kube-rolebindings", "--kubeconfig", "--store", "--kube-namespace",
        "--kube-lease");
  }
}
