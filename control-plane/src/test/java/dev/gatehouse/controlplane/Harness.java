package dev.gatehouse.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** A control plane on a temporary SQLite file with the repository's policies and a fixture organisation. */
class Harness implements AutoCloseable {
  static final Path POLICIES = Path.of("../policies").toAbsolutePath().normalize();
  static final Path FIXTURE = Path.of("src/test/resources/fixture").toAbsolutePath();
  static final String ALICE = "tok-alice-0123456789";
  static final String BOB = "tok-bob-0123456789ab";
  static final String CAROL = "tok-carol-0123456789";
  static final String CAROL_UPPER = "tok-Carol-upper-0123";
  static final String DAVE = "tok-dave-0123456789a";
  static final String PAT = "tok-pat-0123456789ab";
  static final String QUINN = "tok-quinn-0123456789";
  static final String ZOE = "tok-zoe-01234567890a";
  static final String ENFORCER = "tok-enforcer-0123456";
  static final String AUDITOR = "tok-auditor-01234567";

  final Path dataDir;
  final ControlPlane cp;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Res(int status, JsonNode json, String body, HttpResponse<byte[]> raw) {}

  Harness(ControlPlane started) {
    this.dataDir = null;
    this.cp = started;
  }

  Harness(Path dataDir) throws IOException {
    this(dataDir, o -> {});
  }

  Harness(Path dataDir, Consumer<ControlPlane.Options> tweak) throws IOException {
    this.dataDir = dataDir;
    ControlPlane.Options o = options(dataDir, POLICIES);
    tweak.accept(o);
    long t0 = System.nanoTime();
    cp = ControlPlane.start(o);
    if (Boolean.getBoolean("harness.timing")) {
      System.err.println("start took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
  }

  static ControlPlane.Options options(Path dataDir, Path policies) throws IOException {
    Files.createDirectories(dataDir);
    return new ControlPlane.Options(dataDir, policies).orgFile(FIXTURE.resolve("org.json"))
        .tokensFile(FIXTURE.resolve("tokens.json")).listen("127.0.0.1", 0).headInterval(Duration.ofMillis(500));
  }

  String url() {
    return cp.url();
  }

  Res get(String token, String path) {
    return send(token, HttpRequest.newBuilder(URI.create(url() + path)).GET());
  }

  Res post(String token, String path, String body) {
    return send(token, HttpRequest.newBuilder(URI.create(url() + path)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Res send(String token, HttpRequest.Builder b) {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<byte[]> r = http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
      String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
      JsonNode json = null;
      String ct = r.headers().firstValue("content-type").orElse("");
      if (ct.startsWith("application/json") || ct.startsWith("application/jwk-set+json")) {
        json = Jsons.parse(body);
      }
      return new Res(r.statusCode(), json, body, r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** bob asks for write on payments-api in production: two approvals needed. */
  static String prodWrite(String duration) {
    return "{\"target\":{\"kind\":\"service\",\"service\":\"payments-api\",\"namespace\":\"payments-prod\","
        + "\"actions\":[\"read\",\"write\"]},\"duration\":\"" + duration + "\",\"reason\":\"Replay the failed settlement batch\","
        + "\"ticket\":\"PAY-1234\"}";
  }

  String file(String token, String body) {
    Res r = post(token, "/api/v1/requests", body);
    if (r.status() != 201) {
      throw new AssertionError("filing failed: " + r.status() + " " + r.body());
    }
    return r.json().get("id").asText();
  }

  @Override
  public void close() {
    long t0 = System.nanoTime();
    cp.close();
    if (Boolean.getBoolean("harness.timing")) {
      System.err.println("close took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
  }
}
