package dev.gatehouse.controlplane.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The control plane's client of the Kubernetes API: from a kubeconfig file, or in-cluster. */
public final class KubeConnection {
  private KubeConnection() {}

  /**
   * @param kubeconfig a kubeconfig file (its current context), or null for the in-cluster
   *     configuration (the pod's ServiceAccount token and CA, KUBERNETES_SERVICE_HOST)
   */
  public static KubernetesClient connect(Path kubeconfig) throws IOException {
    Config config;
    if (kubeconfig != null) {
      if (!Files.isReadable(kubeconfig)) {
        throw new IOException("cannot read the kubeconfig " + kubeconfig);
      }
      config = Config.fromKubeconfig(kubeconfig.toFile());
    } else {
      if (System.getenv("KUBERNETES_SERVICE_HOST") == null) {
        throw new IOException("not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set): give --kubeconfig FILE");
      }
      config = Config.autoConfigure(null);
    }
    config.setRequestRetryBackoffLimit(2);
    config.setConnectionTimeout(5_000);
    config.setRequestTimeout(10_000);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The namespace of the pod this runs in (the ServiceAccount's), for the Kubernetes store. */
  public static String podNamespace() throws IOException {
    Path f = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
    if (!Files.isReadable(f)) {
      throw new IOException("not in a pod: give the store's namespace (--kube-namespace)");
    }
    return Files.readString(f).strip();
  }

  /** This replica's name in leader election: the pod name (HOSTNAME) and a random suffix. */
  public static String identity() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "control-plane";
      }
    }
    return host + "-" + Long.toHexString(new java.security.SecureRandom().nextLong() & 0xffffffL);
  }
}
