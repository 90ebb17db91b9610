package dev.gatehouse.impact.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.impact.corpus.Entry;
import dev.gatehouse.impact.git.PolicySnapshot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ReplayerTest {
  static Revision revision(String label, Map<String, String> files) {
    TreeMap<String, byte[]> bytes = new TreeMap<>();
    files.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return new Revision(new PolicySnapshot(label, "0".repeat(40), "p", bytes), ObjectValue.EMPTY);
  }

  static Entry entry(long n, String path, String input) {
    return new Entry(n, Entry.Kind.DECISION_LOG, "log:" + (n + 1), path, Json.parse(input), null, "d" + n, null, null,
        null);
  }

  @Test
  void bothRevisionsSeeTheSameClockWhenTheEntryHasNone() {
    String src = "package t\n\nnow := time.now_ns()\n";
    Revision a = revision("a", Map.of("p/t.rego", src));
    Revision b = revision("b", Map.of("p/t.rego", src + "\n# a comment\n"));
    try (Replayer r = new Replayer(a, b, new Replayer.Options(Masks.of(List.of()), 3, 2, EvalOptions.DEFAULT_TIMEOUT))) {
      for (int i = 0; i < 50; i++) {
        r.accept(entry(i, "data.t.now", "{}"));
      }
      Findings f = r.finish();
      assertThat(f.replayed()).isEqualTo(50);
      assertThat(f.changed()).isZero();
    }
  }

  @Test
  void manyBatchesOnSeveralThreadsGiveTheSameCountsAndTheEarliestExamples() {
    Revision base = revision("base", Map.of("p/t.rego", "package t\n\nallow if input.n % 3 == 0\n"));
    Revision head = revision("head", Map.of("p/t.rego", "package t\n\nallow if input.n % 2 == 0\n"));
    try (Replayer r = new Replayer(base, head, new Replayer.Options(Masks.of(List.of()), 2, 3,
        EvalOptions.DEFAULT_TIMEOUT))) {
      for (int i = 0; i < 6_000; i++) {
        r.accept(entry(i, "data.t.allow", "{\"n\":" + i + "}"));
      }
      Findings f = r.finish();
      assertThat(f.replayed()).isEqualTo(6_000);
      // n%2==0 but not n%3==0: undefined → true (2 in 6); n%3==0 but odd: true → undefined (1 in 6).
      assertThat(f.classes()).containsExactly(Map.entry(ChangeClass.BECAME_UNDEFINED, 1_000L),
          Map.entry(ChangeClass.BECAME_DEFINED, 2_000L));
      assertThat(f.paths().get("data.t.allow").undefinedBoth()).isEqualTo(2_000);
      Findings.Group defined = f.groups().get(new Findings.GroupKey(ChangeClass.BECAME_DEFINED, "data.t.allow",
          "data.t.allow"));
      assertThat(defined.examples()).extracting(Example::source).containsExactly("log:3", "log:5");
      assertThat(defined.examples().get(0).detail()).containsExactly("+ true");
    }
  }
}
