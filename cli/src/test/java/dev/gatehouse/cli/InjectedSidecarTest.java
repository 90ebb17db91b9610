package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.controlplane.ControlPlane;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The container the injector adds must run: its args (from a real {@code gatehouse inject} of a
 * real-shaped Deployment, with the configuration shipped in deploy/) are expanded as the kubelet
 * expands them, parsed by the real {@code gatehouse sidecar} command, and then run — against a
 * real control plane over TLS with the ConfigMap and Secret of deploy/sidecar-config.yaml "mounted"
 * where the container mounts them — in front of a local upstream on the app's declared port.
 */
class InjectedSidecarTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void theInjectedContainerParsesAsTheRealSidecarCommandAndRuns(@TempDir Path dir) throws Exception {
    int appPort = SidecarApisTest.freePort();
    // The webhook's shipped configuration (deploy/webhook.yaml), as the webhook would run with it.
    Path webhookConfig = dir.resolve("webhook-config.yaml");
    Files.writeString(webhookConfig, configMapData(DEPLOY.resolve("webhook.yaml"), "gatehouse-webhook-config")
        .get("config.yaml"));
    Path workload = dir.resolve("deployment.yaml");
    Files.writeString(workload, """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: payments-api
          namespace: payments-prod
        spec:
          selector:
            matchLabels: {app.kubernetes.io/name: payments-api}
          template:
            metadata:
              labels: {app.kubernetes.io/name: payments-api}
            spec:
              serviceAccountName: payments-api
              containers:
                - name: api
                  image: registry.example.com/payments/api:2.0.1
                  ports:
                    - name: http
                      containerPort: %d
                  readinessProbe:
                    httpGet: {path: /healthz, port: http}
        """.formatted(appPort));
    Cli.Result injected = Cli.run("inject", "-f", workload.toString(), "--config", webhookConfig.toString());
    assertThat(injected.exit()).as(injected.err()).isZero();
    JsonNode podSpec = YAML.readTree(injected.out()).at("/spec/template/spec");
    JsonNode sidecar = podSpec.at("/initContainers/0");
    assertThat(sidecar.path("name").asText()).isEqualTo("gatehouse-sidecar");

    // The image is the one deploy/Dockerfile builds and the webhook Deployment runs.
    String dockerTag = match(Files.readString(DEPLOY.resolve("Dockerfile")), "docker build .* -t (\\S+) \\.");
    assertThat(sidecar.path("image").asText()).isEqualTo(dockerTag);
    assertThat(Files.readString(DEPLOY.resolve("webhook.yaml"))).contains("image: " + dockerTag);

    // Traffic: the sidecar took the app port's name, so a Service with targetPort: http reaches it.
    assertThat(sidecar.at("/ports/0/name").asText()).isEqualTo("http");
    assertThat(podSpec.at("/containers/0/ports/0/name").asText()).isEqualTo("gh-upstream");
    assertThat(podSpec.at("/containers/0/readinessProbe/httpGet/port").asText()).isEqualTo("gh-upstream");

    // The kubelet's view: env (downward API resolved for a pod of this Deployment) and $(VAR) expansion.
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : sidecar.path("env")) {
      String field = e.at("/valueFrom/fieldRef/fieldPath").asText("");
      env.put(e.path("name").asText(), switch (field) {
        case "metadata.name" -> "payments-api-7d9f8-abcde";
        case "metadata.namespace" -> "payments-prod";
        case "spec.serviceAccountName" -> "payments-api";
        default -> e.path("value").asText();
      });
    }
    List<String> args = new ArrayList<>();
    sidecar.path("args").forEach(a -> args.add(expand(a.asText(), env)));
    assertThat(args.get(0)).isEqualTo("sidecar");

    // Parsed by the real command: every flag exists and carries what the pod says.
    CommandLine.ParseResult parsed = Main.commandLine(args.toArray(String[]::new)).parseArgs(args.toArray(String[]::new));
    SidecarCommand cmd = (SidecarCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(cmd.upstream).isEqualTo("http://127.0.0.1:" + appPort);
    assertThat(cmd.service).isEqualTo("payments-api");
    assertThat(cmd.namespace).isEqualTo("payments-prod");
    assertThat(cmd.listen).isEqualTo("0.0.0.0:15080");
    assertThat(cmd.adminListen).isEqualTo("0.0.0.0:15020");
    assertThat(cmd.config).isEqualTo(Path.of("/etc/gatehouse/sidecar/config.yaml"));
    // the probes and declared ports point where the command listens
    assertThat(sidecar.at("/ports/0/containerPort").asInt()).isEqualTo(15080);
    assertThat(sidecar.at("/readinessProbe/httpGet/port").asInt()).isEqualTo(15020);

    // A control plane over TLS, an enforcer token, and the deploy/sidecar-config.yaml objects filled in.
    Cli.Result certs = Cli.run("webhook", "certs", "--host", "localhost", "-o", dir.resolve("pki").toString());
    assertThat(certs.exit()).as(certs.err()).isZero();
    Path data = Files.createDirectories(dir.resolve("cp"));
    Files.writeString(data.resolve(ControlPlane.TOKENS_FILE), UpCommand.enforcerToken());
    String token = UpCommand.readTokens(data.resolve(ControlPlane.TOKENS_FILE)).get(UpCommand.ENFORCER);
    HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", appPort), 0);
    upstream.createContext("/", ex -> {
      byte[] body = "upstream ok".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    upstream.start();
    Process p = null;
    try (ControlPlane cp = ControlPlane.start(new ControlPlane.Options(data, Path.of("../policies"))
        .listen("localhost", 0).tls(dir.resolve("pki/tls.crt"), dir.resolve("pki/tls.key")))) {
      Map<String, String> fill = Map.of("KEY_ID", cp.keyId(),
          "PUBLIC_KEY_PEM", cp.publicKeyPem().strip(), "CA_CERT_PEM", Files.readString(dir.resolve("pki/ca.crt")).strip(),
          "ENFORCER_TOKEN", token);
      // "Mount" each volume of the container under dir/mnt at its mountPath, from the objects in deploy/.
      Path mnt = dir.resolve("mnt");
      Map<String, String> configMap = configMapData(DEPLOY.resolve("sidecar-config.yaml"), "gatehouse-sidecar");
      Map<String, String> secret = secretData(DEPLOY.resolve("sidecar-config.yaml"), "gatehouse-sidecar-token");
      Map<String, String> remap = new LinkedHashMap<>();
      for (JsonNode m : sidecar.path("volumeMounts")) {
        String mountPath = m.path("mountPath").asText();
        Path target = Files.createDirectories(mnt.resolve(mountPath.substring(1)));
        remap.put(mountPath, target.toString());
        JsonNode volume = volume(podSpec, m.path("name").asText());
        Map<String, String> files = volume.has("configMap") ? configMap : volume.has("secret") ? secret : Map.of();
        if (volume.has("configMap")) {
          assertThat(volume.at("/configMap/name").asText()).isEqualTo("gatehouse-sidecar");
        }
        if (volume.has("secret")) {
          assertThat(volume.at("/secret/secretName").asText()).isEqualTo("gatehouse-sidecar-token");
        }
        for (var f : files.entrySet()) {
          Files.writeString(target.resolve(f.getKey()), fillIn(f.getValue(), fill));
        }
      }
      Path configFile = Path.of(remap(cmd.config.toString(), remap));
      Files.writeString(configFile, remap(Files.readString(configFile), remap));

      int proxy = SidecarApisTest.freePort();
      int admin = SidecarApisTest.freePort();
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "dev.gatehouse.cli.Main"));
      for (String a : args) {
        // only the listen addresses change: this machine's ports 15080/15020 may be taken
        a = a.startsWith("--listen=") ? "--listen=127.0.0.1:" + proxy
            : a.startsWith("--admin-listen=") ? "--admin-listen=127.0.0.1:" + admin : remap(a, remap);
        command.add(a);
      }
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("sidecar.log").toFile());
      pb.environment().putAll(env);
      // The in-cluster URL resolves to this test's control plane (same scheme, CA and token).
      pb.environment().put("GATEHOUSE_BUNDLE_URL", cp.url());
      assertThat(env.get("GATEHOUSE_BUNDLE_URL")).isEqualTo("https://gatehouse-control-plane.gatehouse-system.svc:8181");
      p = pb.start();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (status("http://127.0.0.1:" + admin + "/ready") != 200) {
        assertThat(p.isAlive()).as(Files.readString(dir.resolve("sidecar.log"))).isTrue();
        assertThat(System.nanoTime()).as("ready within 90 s: " + Files.readString(dir.resolve("sidecar.log")))
            .isLessThan(deadline);
        Thread.sleep(200);
      }
      JsonNode health = new ObjectMapper().readTree(get("http://127.0.0.1:" + admin + "/health").body());
      assertThat(health.findValuesAsText("name")).containsExactlyInAnyOrder("policies", "grants");
      assertThat(health.findValuesAsText("revision")).anySatisfy(r -> assertThat(r).startsWith("grants-"));

      // Through the proxy: the health path the policies leave open reaches the app; the API needs a grant.
      HttpResponse<String> open = get("http://127.0.0.1:" + proxy + "/healthz");
      assertThat(open.statusCode()).isEqualTo(200);
      assertThat(open.body()).isEqualTo("upstream ok");
      HttpResponse<String> denied = get("http://127.0.0.1:" + proxy + "/v1/payments");
      assertThat(denied.statusCode()).isEqualTo(403);
      // no identity flags in the default args: a caller without a credential is refused (see injector/README.md)
      assertThat(denied.body()).contains("\"error\":\"forbidden\"", "needs a caller identity");
      assertThat(denied.headers().firstValue("x-gatehouse-decision-id")).isPresent();
    } finally {
      if (p != null) {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      upstream.stop(0);
    }
  }

  /** The kubelet's $(VAR) expansion: defined variables are replaced, $$ escapes, undefined stay as written. */
  static String expand(String s, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '$') {
        out.append('$');
        i++;
      } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(' && s.indexOf(')', i) > 0) {
        int end = s.indexOf(')', i);
        String name = s.substring(i + 2, end);
        out.append(env.containsKey(name) ? env.get(name) : s.substring(i, end + 1));
        i = end;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Map<String, String> configMapData(Path file, String name) throws Exception {
    return data(file, "ConfigMap", name, "data");
  }

  private static Map<String, String> secretData(Path file, String name) throws Exception {
    return data(file, "Secret", name, "stringData");
  }

  private static Map<String, String> data(Path file, String kind, String name, String field) throws Exception {
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file))) {
      while (it.hasNextValue()) {
        JsonNode d = it.nextValue();
        if (d != null && kind.equals(d.path("kind").asText()) && name.equals(d.at("/metadata/name").asText())) {
          Map<String, String> out = new LinkedHashMap<>();
          d.path(field).properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
          return out;
        }
      }
    }
    throw new AssertionError(kind + " " + name + " not in " + file);
  }

  private static JsonNode volume(JsonNode podSpec, String name) {
    for (JsonNode v : podSpec.path("volumes")) {
      if (name.equals(v.path("name").asText())) {
        return v;
      }
    }
    throw new AssertionError("no volume " + name);
  }

  private static String fillIn(String s, Map<String, String> values) {
    for (var e : values.entrySet()) {
      s = s.replace(e.getKey(), e.getValue());
    }
    return s;
  }

  private static String remap(String s, Map<String, String> mounts) {
    for (var e : mounts.entrySet()) {
      s = s.replace(e.getKey(), e.getValue());
    }
    return s;
  }

  private static String match(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex).isTrue();
    return m.group(1);
  }

  private static int status(String url) {
    try {
      return get(url).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
