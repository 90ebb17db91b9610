package dev.gatehouse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.gatehouse.cli.Main;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.config.ConfigLoader;
import dev.gatehouse.injector.config.WebhookConfig;
import dev.gatehouse.injector.policy.DirectoryPolicySource;
import dev.gatehouse.injector.server.WebhookServer;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Gatehouse's admission webhook in this JVM, on 127.0.0.1, as {@code deploy/} runs it: the
 * repository's {@code policies/}, the configuration from deploy/webhook.yaml's ConfigMap, and a
 * serving certificate from {@code gatehouse webhook certs --host 127.0.0.1}.
 *
 * <p>Grants are data the control plane hands the webhook ({@code data.gatehouse.grants}); here they
 * are a JSON file next to a copy of the policies, rewritten by {@link #grants(List)} and picked up
 * at once by a policy refresh, as a control plane's update would be at the next poll.
 */
public final class InProcessWebhook implements AutoCloseable {
  private final Path work;
  private final Path policies;
  private final Path log;
  private final String caBundle;
  private WebhookServer server;
  private PrintStream logStream;
  private int port;

  private InProcessWebhook(Path work, Path policies, Path log, String caBundle) {
    this.work = work;
    this.policies = policies;
    this.log = log;
    this.caBundle = caBundle;
  }

  /** Certificates, a copy of the policies with no grants, and the server listening on a free port. */
  public static InProcessWebhook start(Path work) throws IOException {
    Path root = KubeTestEnv.repoRoot();
    Files.createDirectories(work);
    Path certs = work.resolve("certs");
    // The CLI command operators run; its stdout is the caBundle, also in ca.crt.
    int rc = Main.run("webhook", "certs", "-o", certs.toString(), "--host", "127.0.0.1", "--days", "2");
    if (rc != 0) {
      throw new IOException("gatehouse webhook certs exited " + rc);
    }
    String caBundle = Base64.getEncoder().encodeToString(Files.readAllBytes(certs.resolve("ca.crt")));
    Path policies = work.resolve("policies");
    copyTree(root.resolve("policies"), policies);
    InProcessWebhook w = new InProcessWebhook(work, policies, work.resolve("webhook.log"), caBundle);
    w.grants(List.of());
    w.startServer(0);
    return w;
  }

  /** The configuration deploy/webhook.yaml ships (ConfigMap gatehouse-webhook-config). */
  static String shippedConfig() throws IOException {
    String yaml = Files.readString(KubeTestEnv.repoRoot().resolve("deploy/webhook.yaml"));
    try (MappingIterator<JsonNode> it = Mappers.YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNextValue()) {
        JsonNode d = it.nextValue();
        if (d != null && "ConfigMap".equals(d.path("kind").asText())
            && "gatehouse-webhook-config".equals(d.path("metadata").path("name").asText())) {
          return d.path("data").path("config.yaml").asText();
        }
      }
    }
    throw new IOException("deploy/webhook.yaml has no ConfigMap gatehouse-webhook-config");
  }

  private void startServer(int port) throws IOException {
    // The shipped configuration, except the 5 s shutdown delay that waits for a Service's endpoints
    // to drop the pod: there is no Service here, and tests stop the webhook on purpose.
    String config = shippedConfig().replaceAll("(?m)^(\\s*shutdownDelay:).*$", "$1 0s");
    Path configFile = work.resolve("config.yaml");
    Files.writeString(configFile, config);
    WebhookConfig cfg = ConfigLoader.load(configFile);
    logStream = new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8);
    server = WebhookServer.start(new WebhookServer.Options(new DirectoryPolicySource(policies),
        work.resolve("certs/tls.crt"), work.resolve("certs/tls.key"), "127.0.0.1", port, cfg, logStream,
        Clock.systemUTC()));
    this.port = server.port();
    server.refreshPolicies();
    if (!server.ready()) {
      throw new IOException("webhook not ready after loading " + policies + " (see " + log + ")");
    }
  }

  /** Replaces the active grants ({@code data.gatehouse.grants}) and reloads the policies now. */
  public void grants(List<Map<String, Object>> grants) throws IOException {
    Path file = policies.resolve("gatehouse/e2e-grants.json");
    Files.writeString(file, Mappers.JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsString(Map.of("grants", grants)));
    if (server != null) {
      server.refreshPolicies();
    }
  }

  /** The port it listens on (or listened on, once closed: the registrations still point there). */
  public int port() {
    return port;
  }

  /** https://127.0.0.1:PORT/mutate or /validate. */
  public String url(String path) {
    return "https://127.0.0.1:" + port() + path;
  }

  public String caBundle() {
    return caBundle;
  }

  /** POSTs an AdmissionReview straight to the webhook (the replay path, bypassing the API server). */
  public String post(String path, String body) throws IOException, InterruptedException {
    try {
      java.security.cert.X509Certificate ca;
      try (var in = Files.newInputStream(work.resolve("certs/ca.crt"))) {
        ca = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(in);
      }
      java.security.KeyStore ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("ca", ca);
      javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
          javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      java.net.http.HttpClient c = java.net.http.HttpClient.newBuilder().sslContext(ssl).build();
      return c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(path)))
              .header("Content-Type", "application/json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** The webhook's own metrics (Prometheus text). */
  public String metrics() {
    return server.metrics().render();
  }

  /** The decision log and server log so far (JSON lines). */
  public String logText() {
    try {
      server.flushLog(java.time.Duration.ofSeconds(10)); // the server writes its log on its own thread
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server (the port stops answering): what the API server sees when no replica is up. */
  @Override
  public void close() {
    if (server != null) {
      server.close();
      server = null;
      logStream.close();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
