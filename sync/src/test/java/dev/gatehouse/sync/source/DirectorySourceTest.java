package dev.gatehouse.sync.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.sync.ActivePolicy;
import dev.gatehouse.sync.BundleSync;
import dev.gatehouse.sync.SyncEvents;
import dev.gatehouse.sync.config.BundleConfig;
import dev.gatehouse.sync.config.SyncConfig;
import dev.gatehouse.sync.fixture.Policies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySourceTest {
  @Test
  void aWatchedDirectoryActivatesAndReloadsOnChangeAndABrokenEditKeepsTheLastGood(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("p.rego"), "package demo\n\nallow if input.user == \"alice\"\n");
    List<String> failures = new CopyOnWriteArrayList<>();
    BundleConfig b = BundleConfig.directory("local", dir, new BundleConfig.Polling(0, 0, null));
    try (BundleSync sync = new BundleSync(new SyncConfig(Map.of(), Map.of("local", b), Map.of(), null),
        Clock.systemUTC(), new SyncEvents() {
          @Override
          public void bundleFailed(String bundle, String stage, String error) {
            failures.add(error);
          }
        })) {
      List<ActivePolicy> activations = new CopyOnWriteArrayList<>();
      sync.onActivation(activations::add);
      sync.start();
      assertThat(sync.awaitFirstActivation(5000)).isTrue();
      assertThat(eval(sync, "alice")).isTrue();
      String rev1 = sync.current().orElseThrow().revisions().get("local");

      Files.writeString(dir.resolve("p.rego"), "package demo\n\nallow if input.user == \"bob\"\n");
      waitFor(() -> activations.size() >= 2);
      assertThat(eval(sync, "bob")).isTrue();
      assertThat(sync.current().orElseThrow().revisions().get("local")).isNotEqualTo(rev1);

      ActivePolicy good = sync.current().orElseThrow();
      Files.writeString(dir.resolve("p.rego"), "package demo\n\nallow if {\n");
      waitFor(() -> !failures.isEmpty());
      assertThat(sync.current().orElseThrow()).isSameAs(good);
      assertThat(sync.status().get(0).lastError()).startsWith("read: ");
    }
  }

  @Test
  void theRepositoryPoliciesClaimTheirPackagesAndLeaveGrantsFree() {
    Bundle b = Policies.unsigned("r");
    List<String> roots = b.manifest().roots();
    assertThat(roots).contains("gatehouse/sidecar", "gatehouse/config", "gatehouse/lib", "gatehouse/admission",
        "gatehouse/jit").doesNotContain("gatehouse/grants", "gatehouse", "");
  }

  private static boolean eval(BundleSync sync, String user) {
    return sync.current().orElseThrow().policy().prepare("data.demo.allow")
        .evalValue(Json.parse("{\"user\":\"" + user + "\"}")).map(v -> v.toString().equals("true")).orElse(false);
  }

  private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5000;
    while (!c.getAsBoolean()) {
      assertThat(System.currentTimeMillis()).as("timed out").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
