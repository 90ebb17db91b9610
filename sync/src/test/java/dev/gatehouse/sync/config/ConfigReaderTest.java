package dev.gatehouse.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
  private final ConfigReader reader = new ConfigReader(Map.of("CP_TOKEN", "s3cret")::get, Path.of("/etc/gatehouse"));

  @Test
  void readsAnOpaConfigurationFile() {
    // The shape of OPA's documented configuration, as an `opa run -c` user would have it.
    SyncConfig c = reader.parse("""
        services:
          - name: control-plane
            url: https://gatehouse-control-plane.gatehouse-system.svc:8181
            headers:
              X-Cluster: prod-eu
            credentials:
              bearer:
                token: "${CP_TOKEN}"
              client_tls:
                cert: certs/client.pem
                private_key: /etc/gatehouse/certs/client-key.pem
            tls:
              ca_cert: certs/ca.pem
        bundles:
          policies:
            service: control-plane
            resource: bundles/policies
            persist: true
            polling:
              min_delay_seconds: 10
              max_delay_seconds: 20
              long_polling_timeout_seconds: 30
            signing:
              keyid: cp-1
              scope: write
              exclude_files: [README.md]
          grants:
            service: control-plane
        keys:
          cp-1:
            algorithm: ES256
            key: |
              -----BEGIN PUBLIC KEY-----
              MFkw
              -----END PUBLIC KEY-----
        persistence_directory: /var/lib/gatehouse
        decision_logs:
          console: true
        """);
    ServiceConfig s = c.services().get("control-plane");
    assertThat(s.url().toString()).isEqualTo("https://gatehouse-control-plane.gatehouse-system.svc:8181/");
    assertThat(s.bearerToken()).isEqualTo("s3cret");
    assertThat(s.bearerScheme()).isEqualTo("Bearer");
    assertThat(s.headers()).containsEntry("X-Cluster", "prod-eu");
    assertThat(s.tls().caCert()).isEqualTo(Path.of("/etc/gatehouse/certs/ca.pem"));
    assertThat(s.tls().clientKey()).isEqualTo(Path.of("/etc/gatehouse/certs/client-key.pem"));
    BundleConfig p = c.bundles().get("policies");
    assertThat(p.resource()).isEqualTo("bundles/policies");
    assertThat(p.persist()).isTrue();
    assertThat(p.polling()).isEqualTo(new BundleConfig.Polling(10, 20, 30L));
    assertThat(p.signing().keyId()).isEqualTo("cp-1");
    assertThat(p.signing().scope()).isEqualTo("write");
    assertThat(p.signing().excludeFiles()).containsExactly("README.md");
    BundleConfig g = c.bundles().get("grants");
    assertThat(g.resource()).as("OPA's default resource").isEqualTo("bundles/grants");
    assertThat(g.polling()).isEqualTo(BundleConfig.Polling.DEFAULT);
    assertThat(g.signing()).isNull();
    assertThat(c.keys().get("cp-1").algorithm()).isEqualTo("ES256");
    assertThat(c.keys().get("cp-1").key()).startsWith("-----BEGIN PUBLIC KEY-----");
    assertThat(c.persistenceDirectory()).isEqualTo(Path.of("/var/lib/gatehouse"));
    assertThat(c.bundles().keySet()).containsExactly("policies", "grants");
  }

  @Test
  void servicesMayBeAMapAndJsonWorksToo() {
    SyncConfig c = reader.parse("""
        {"services": {"acme": {"url": "http://bundles.local/api/", "credentials": {"bearer": {"token_path": "tok", "scheme": "Token"}}}},
         "bundles": {"authz": {}}}
        """);
    assertThat(c.services().get("acme").bearerTokenPath()).isEqualTo(Path.of("/etc/gatehouse/tok"));
    assertThat(c.services().get("acme").bearerScheme()).isEqualTo("Token");
    assertThat(c.bundles().get("authz").service()).as("the only service").isEqualTo("acme");
    assertThat(c.persistenceDirectory()).isNull();
  }

  @Test
  void directoryAndGitBundlesAreGatehouseExtensions() {
    SyncConfig c = reader.parse("""
        bundles:
          local: {directory: policies, polling: {min_delay_seconds: 1, max_delay_seconds: 1}}
          repo: {git: {repository: "https://git.example/policies.git", ref: main, interval_seconds: 15}}
        """);
    assertThat(c.bundles().get("local").directory()).isEqualTo(Path.of("/etc/gatehouse/policies"));
    assertThat(c.bundles().get("repo").git()).isEqualTo(
        new BundleConfig.GitConfig("https://git.example/policies.git", "main", "", 15));
  }

  @Test
  void badConfigurationsNameTheKey() {
    assertThatThrownBy(() -> reader.parse("services: [{url: http://x}]"))
        .hasMessage("services[0].name is required");
    assertThatThrownBy(() -> reader.parse("services: {a: {url: 'ftp://x'}}"))
        .hasMessage("services.a.url must be http or https: ftp://x");
    assertThatThrownBy(() -> reader.parse("services: {a: {url: 'http://x'}, b: {url: 'http://y'}}\nbundles: {p: {}}"))
        .hasMessage("bundles.p.service is required when there is not exactly one service");
    assertThatThrownBy(() -> reader.parse("services: {a: {url: 'http://x'}}\nbundles: {p: {service: z}}"))
        .hasMessage("bundles.p.service z is not in services");
    assertThatThrownBy(() -> reader.parse("services: {a: {url: 'http://x'}}\nbundles: {p: {signing: {keyid: k}}}"))
        .hasMessage("bundles.p.signing.keyid k is not in keys");
    assertThatThrownBy(() -> reader.parse("services: {a: {url: 'http://x'}}\nbundles: {p: {polling: {min_delay_seconds: 9, max_delay_seconds: 3}}}"))
        .hasMessage("bundles.p.polling: min_delay_seconds must be >= 0 and <= max_delay_seconds");
    assertThatThrownBy(() -> reader.parse("[1, 2]")).hasMessage("configuration must be an object");
    assertThatThrownBy(() -> reader.parse("a: [")).hasMessageStartingWith("configuration is not valid YAML or JSON");
  }
}
