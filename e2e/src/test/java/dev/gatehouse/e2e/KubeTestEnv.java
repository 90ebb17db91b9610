package dev.gatehouse.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * A real etcd + kube-apiserver on 127.0.0.1, started once per test JVM through
 * {@code scripts/k8s-test-env} and stopped when the JVM exits. When the script says Go is missing
 * (exit 3) the calling tests are skipped with that reason; any other failure fails them.
 *
 * <p>Users are the script's: {@code admin} (system:masters) and the ordinary users {@code alice}
 * (group developers) and {@code bob} (group sre), each with its own bearer token.
 */
public final class KubeTestEnv {
  /** Exit code of scripts/k8s-test-env when Go is not installed (so the binaries cannot be built). */
  static final int NO_GO = 3;

  private static KubeTestEnv shared;
  private static String unavailable;

  private final Path root;
  private final Path dir;
  private final Map<String, String> env;

  private KubeTestEnv(Path root, Path dir, Map<String, String> env) {
    this.root = root;
    this.dir = dir;
    this.env = env;
  }

  /** The repository's root (the e2e module's parent; surefire passes it as gatehouse.root). */
  public static Path repoRoot() {
    String p = System.getProperty("gatehouse.root");
    Path root = p != null ? Path.of(p) : Path.of("").toAbsolutePath().getParent();
    return root.toAbsolutePath().normalize();
  }

  /**
   * The environment for this JVM, started on first use. Skips the calling test (JUnit assumption)
   * when the binaries cannot be built here.
   */
  public static synchronized KubeTestEnv shared() {
    String reason = unavailableReason();
    if (reason != null) {
      Assumptions.abort(reason);
    }
    return shared;
  }

  /** Null once the environment runs; the reason the tests must skip when it cannot run here. */
  static synchronized String unavailableReason() {
    if (shared == null && unavailable == null) {
      try {
        shared = start(repoRoot());
      } catch (Skip s) {
        unavailable = s.getMessage();
        System.err.println("[gatehouse-e2e] SKIPPED: " + unavailable);
      }
    }
    return unavailable;
  }

  private static String buildUnavailable;
  private static boolean built;

  /**
   * Null when the binaries are (or could now be) built here; else why the tests must skip. Builds
   * them when Go is installed and they are not cached, without starting anything.
   */
  static synchronized String binariesUnavailableReason() {
    if (shared != null || built) {
      return null;
    }
    if (unavailable != null || buildUnavailable != null) {
      return unavailable != null ? unavailable : buildUnavailable;
    }
    Path root = repoRoot();
    try {
      Result r = run(root, List.of(root.resolve("scripts/k8s-test-env").toString(), "build"));
      if (r.code() == NO_GO) {
        buildUnavailable = "Kubernetes end-to-end tests skipped: Go is not installed, so scripts/k8s-test-env cannot "
            + "build etcd and kube-apiserver (" + r.output().strip() + ")";
        System.err.println("[gatehouse-e2e] SKIPPED: " + buildUnavailable);
        return buildUnavailable;
      }
      if (r.code() != 0) {
        throw new IllegalStateException("scripts/k8s-test-env build failed (exit " + r.code() + "):\n" + r.output());
      }
      built = true;
      return null;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run scripts/k8s-test-env: " + e.getMessage(), e);
    }
  }

  private static final class Skip extends Exception {
    Skip(String message) {
      super(message);
    }
  }

  /**
   * A second API server of the test class's own, started with extra {@code scripts/k8s-test-env
   * start} options (e.g. {@code --authz-webhook URL ...}); stopped by {@link #stop} or at JVM exit.
   * Skips the calling test when the binaries cannot be built here.
   */
  public static KubeTestEnv startDedicated(List<String> startOptions) {
    String reason = binariesUnavailableReason();
    if (reason != null) {
      Assumptions.abort(reason);
    }
    try {
      return start(repoRoot(), startOptions);
    } catch (Skip s) {
      Assumptions.abort(s.getMessage());
      return null;
    }
  }

  private static KubeTestEnv start(Path root) throws Skip {
    return start(root, List.of());
  }

  private static KubeTestEnv start(Path root, List<String> startOptions) throws Skip {
    Path script = root.resolve("scripts/k8s-test-env");
    Path dir = root.resolve("e2e/target/k8s-env-" + UUID.randomUUID().toString().substring(0, 8));
    try {
      // A cold cache means a 12-17 minute build: say so before the silence.
      Path bin = Path.of(run(root, List.of(script.toString(), "bin")).output().strip());
      if (!Files.isExecutable(bin.resolve("kube-apiserver")) || !Files.isExecutable(bin.resolve("etcd"))) {
        System.err.println("[gatehouse-e2e] etcd/kube-apiserver not cached in " + bin
            + ": scripts/k8s-test-env builds them from the Go module proxy when Go is installed"
            + " (about 12-17 minutes on 2 cores, once)");
      }
      List<String> command = new ArrayList<>(List.of(script.toString(), "start", dir.toString()));
      command.addAll(startOptions);
      Result r = run(root, command);
      if (r.code() == NO_GO) {
        throw new Skip("Kubernetes end-to-end tests skipped: Go is not installed, so scripts/k8s-test-env cannot "
            + "build etcd and kube-apiserver (" + r.output().strip() + ")");
      }
      if (r.code() != 0) {
        throw new IllegalStateException("scripts/k8s-test-env start failed (exit " + r.code() + "):\n" + r.output());
      }
      Map<String, String> env = new LinkedHashMap<>();
      for (String line : Files.readAllLines(dir.resolve("env"))) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          env.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      KubeTestEnv e = new KubeTestEnv(root, dir, Collections.unmodifiableMap(env));
      Runtime.getRuntime().addShutdownHook(new Thread(e::stop, "k8s-test-env-stop"));
      System.err.println("[gatehouse-e2e] kube-apiserver " + env.get("K8S_VERSION") + " at " + e.apiUrl()
          + " (logs in " + dir + ")");
      return e;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
    }
  }

  record Result(int code, String output) {}

  private static Result run(Path root, List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(40, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(command + " did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return new Result(p.exitValue(), out);
  }

  public void stop() {
    try {
      run(root, List.of(root.resolve("scripts/k8s-test-env").toString(), "stop", dir.toString()));
    } catch (IOException e) {
      System.err.println("[gatehouse-e2e] stopping the environment failed: " + e.getMessage());
    }
  }

  public String apiUrl() {
    return env.get("K8S_API_URL");
  }

  public Path dir() {
    return dir;
  }

  public Path caFile() {
    return Path.of(env.get("K8S_CA_FILE"));
  }

  /** The bearer token of admin, alice or bob. */
  public String token(String user) {
    String key = user.equals("admin") ? "K8S_ADMIN_TOKEN" : "K8S_TOKEN_" + user.toUpperCase(Locale.ROOT);
    String t = env.get(key);
    if (t == null) {
      throw new IllegalArgumentException("no token for user " + user);
    }
    return t;
  }

  public KubernetesClient admin() {
    return client("admin", new ArrayList<>());
  }

  public KubernetesClient client(String user) {
    return client(user, new ArrayList<>());
  }

  /**
   * admin acting as another user (Impersonate-User/-Group headers): the API server authorizes and
   * admits the request as that user, as if they had sent it. For users without tokens here, such
   * as the policy fixtures' carol or a controller's ServiceAccount.
   */
  public KubernetesClient impersonating(String user, List<String> groups, List<String> warnings) {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(apiUrl())
        .withCaCertFile(caFile().toString())
        .withOauthToken(token("admin"))
        .withImpersonateUsername(user)
        .withImpersonateGroups(groups.toArray(String[]::new))
        .withRequestRetryBackoffLimit(0)
        .withRequestTimeout(15_000)
        .build();
    return new KubernetesClientBuilder().withConfig(config)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("gatehouse-e2e-warnings", warningCollector(warnings)))
        .build();
  }

  /**
   * A fabric8 client authenticated as this user. {@code warnings} collects the {@code Warning}
   * headers of every response (what kubectl prints as "Warning: ..."), without the "299 - " code
   * and quotes.
   */
  public KubernetesClient client(String user, List<String> warnings) {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(apiUrl())
        .withCaCertFile(caFile().toString())
        .withOauthToken(token(user))
        .withRequestRetryBackoffLimit(0)
        .withRequestTimeout(15_000)
        .build();
    return new KubernetesClientBuilder().withConfig(config)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("gatehouse-e2e-warnings", warningCollector(warnings)))
        .build();
  }

  private static Interceptor warningCollector(List<String> warnings) {
    return new Interceptor() {
      @Override
      public void after(HttpRequest request, HttpResponse<?> response,
          io.fabric8.kubernetes.client.http.AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        for (String w : response.headers("Warning")) {
          synchronized (warnings) {
            warnings.add(warningText(w));
          }
        }
      }
    };
  }

  /** RFC 7234 warning value {@code 299 - "text"} → text. */
  static String warningText(String header) {
    String w = header.strip();
    if (w.startsWith("299 ")) {
      w = w.substring(4).strip();
      if (w.startsWith("- ")) {
        w = w.substring(2).strip();
      }
      if (w.length() >= 2 && w.startsWith("\"") && w.endsWith("\"")) {
        w = w.substring(1, w.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
      }
    }
    return w;
  }

  /** A plain HTTPS GET as admin (e.g. /metrics), trusting the environment's CA. */
  public String adminGet(String path) throws IOException, InterruptedException {
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(URI.create(apiUrl() + path))
        .header("Authorization", "Bearer " + token("admin")).GET().build();
    java.net.http.HttpResponse<String> resp = httpClient().send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
    if (resp.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + resp.statusCode() + " " + resp.body());
    }
    return resp.body();
  }

  private HttpClient httpClient;

  private synchronized HttpClient httpClient() throws IOException {
    if (httpClient == null) {
      try {
        X509Certificate ca;
        try (var in = Files.newInputStream(caFile())) {
          ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        httpClient = HttpClient.newBuilder().sslContext(ssl).build();
      } catch (java.security.GeneralSecurityException e) {
        throw new IOException(e);
      }
    }
    return httpClient;
  }
}
