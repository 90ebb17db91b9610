package dev.gatehouse.injector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @Test
  void defaultsDescribeANativeSidecarFailingClosed() {
    WebhookConfig c = ConfigLoader.defaults();
    assertThat(c.injection().sidecar().getName()).isEqualTo("gatehouse-sidecar");
    assertThat(c.injection().nativeSidecar()).isTrue();
    assertThat(c.injection().position()).isEqualTo(SidecarPosition.FIRST);
    assertThat(c.injection().excludeNamespaces()).contains("kube-system", "kube-public", "kube-node-lease");
    assertThat(c.validation().decisionPath()).isEqualTo("data.gatehouse.admission.decision");
    assertThat(c.validation().failureMode()).isEqualTo(FailureMode.CLOSED);
    assertThat(c.validation().evaluationTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.server().maxBodyBytes()).isEqualTo(4L << 20);
  }

  @Test
  void aFileMergesOverTheDefaultsKeyByKey(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, """
        injection:
          sidecar:
            image: registry.example.com/gatehouse:2.0
          nativeSidecar: false
        validation:
          failureMode: open
          evaluationTimeout: 750ms
        """);
    WebhookConfig c = ConfigLoader.load(f);
    assertThat(c.injection().sidecar().getImage()).isEqualTo("registry.example.com/gatehouse:2.0");
    // untouched keys keep their defaults, including nested ones of the same object
    assertThat(c.injection().sidecar().getName()).isEqualTo("gatehouse-sidecar");
    assertThat(c.injection().sidecar().getPorts()).hasSize(2);
    assertThat(c.injection().nativeSidecar()).isFalse();
    assertThat(c.validation().failureMode()).isEqualTo(FailureMode.OPEN);
    assertThat(c.validation().evaluationTimeout()).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void unknownSettingsAreErrorsNamingThem() {
    assertThatThrownBy(() -> ConfigLoader.parse("validation:\n  failuremode: open\n", "c.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("c.yaml: validation.failuremode: unknown setting");
  }

  @Test
  void typosInsideTheSidecarContainerAreCaught() {
    assertThatThrownBy(() -> ConfigLoader.parse("injection:\n  sidecar:\n    resources:\n      limitz: {cpu: 1}\n", "c.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("c.yaml: injection.sidecar.resources.limitz: unknown field");
  }

  @Test
  void wrongTypesAndValuesAreReportedWithTheirPath() {
    assertThatThrownBy(() -> ConfigLoader.parse("injection:\n  sidecar:\n    ports: 8080\n", "c.yaml"))
        .hasMessage("c.yaml: injection.sidecar: ports: expected a list");
    assertThatThrownBy(() -> ConfigLoader.parse("injection:\n  position: middle\n", "c.yaml"))
        .hasMessage("c.yaml: injection.position: must be one of first, last, got \"middle\"");
    assertThatThrownBy(() -> ConfigLoader.parse("validation:\n  evaluationTimeout: 2\n", "c.yaml"))
        .hasMessage("c.yaml: validation.evaluationTimeout: needs a unit, e.g. 2s");
    assertThatThrownBy(() -> ConfigLoader.parse("validation:\n  decisionPath: gatehouse.decision\n", "c.yaml"))
        .hasMessageContaining("must be a ref under data");
    assertThatThrownBy(() -> ConfigLoader.parse("injection:\n  sidecar:\n    name: Not_A_Label\n", "c.yaml"))
        .hasMessageContaining("injection.sidecar.name: must be a DNS label");
    assertThatThrownBy(() -> ConfigLoader.parse("server:\n  maxBodyBytes: 10\n", "c.yaml"))
        .hasMessageContaining("server.maxBodyBytes: must be an integer of at least 1024");
    assertThatThrownBy(() -> ConfigLoader.parse("- a\n- b\n", "c.yaml"))
        .hasMessage("c.yaml: the configuration must be a mapping");
  }

  @Test
  void notificationsAndOverridesAreReadAndChecked() {
    WebhookConfig d = ConfigLoader.defaults();
    assertThat(d.notifications().enabled()).isFalse();
    assertThat(d.injection().overrides().sidecarRequired("payments-prod")).isTrue();
    assertThat(d.injection().overrides().sidecarRequired("payments-dev")).isFalse();
    assertThat(d.injection().overrides().allowedImages()).isEmpty();
    WebhookConfig c = ConfigLoader.parse("""
        notifications:
          webhookUrl: https://hooks.slack.com/services/T000/B000/XXXX
          maxAttempts: 3
        injection:
          overrides:
            requiredNamespaces: ["team-*"]
            optOutGroups: [platform-admins]
        """, "c.yaml");
    assertThat(c.notifications().webhookUrl()).hasToString("https://hooks.slack.com/services/T000/B000/XXXX");
    assertThat(c.notifications().maxAttempts()).isEqualTo(3);
    assertThat(c.injection().overrides().sidecarRequired("team-a")).isTrue();
    assertThat(c.injection().overrides().sidecarRequired("payments-prod")).isFalse();
    assertThat(c.injection().overrides().mayOptOut("x", java.util.List.of("platform-admins"))).isTrue();
    assertThatThrownBy(() -> ConfigLoader.parse("notifications:\n  webhookUrl: ftp://x\n", "c.yaml"))
        .hasMessage("c.yaml: notifications.webhookUrl: must be an http(s) URL, got \"ftp://x\"");
    assertThatThrownBy(() -> ConfigLoader.parse("notifications:\n  maxAttempts: 0\n", "c.yaml"))
        .hasMessage("c.yaml: notifications.maxAttempts: must be an integer from 1 to 20");
    assertThatThrownBy(() -> ConfigLoader.parse("injection:\n  overrides:\n    allowImages: []\n", "c.yaml"))
        .hasMessageStartingWith("c.yaml: injection.overrides.allowImages: unknown setting");
    assertThatThrownBy(() -> ConfigLoader.parse("server:\n  headerTimeout: 0s\n", "c.yaml"))
        .hasMessage("c.yaml: server.headerTimeout: must be longer than zero");
  }

  @Test
  void aMissingFileSaysSo(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.yaml: cannot read");
  }

  @Test
  void durationsReadGoSyntax() {
    assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThatThrownBy(() -> Durations.parse("5 seconds")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("10d")).hasMessageContaining("unknown unit \"d\"");
  }
}
