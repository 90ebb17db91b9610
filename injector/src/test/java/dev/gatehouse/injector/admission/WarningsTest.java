package dev.gatehouse.injector.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.injector.policy.Action;
import dev.gatehouse.injector.policy.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarningsTest {
  @Test
  void aWarnFindingAlsoListedInTheDecisionsWarningsReachesKubectlOnce() {
    List<Violation> warn = List.of(new Violation("resources-limits", "set resources.limits.memory", Action.WARN));
    assertThat(Warnings.merge(warn, List.of("resources-limits: set resources.limits.memory",
        "[resources-limits] set resources.limits.memory", "a notice of its own")))
        .containsExactly("[resources-limits] set resources.limits.memory", "a notice of its own");
  }

  @Test
  void duplicatesGoAndControlCharactersBecomeSpaces() {
    assertThat(Warnings.limit(List.of("a\nb", "a\nb", "c"))).containsExactly("a b", "c");
  }

  @Test
  void longWarningsAreCutTo256Characters() {
    List<String> out = Warnings.limit(List.of("x".repeat(1000)));
    assertThat(out.get(0)).hasSize(256).endsWith("...");
  }

  @Test
  void theTotalStaysUnder4KiBWithANoteOnWhatWasLeftOut() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add("[rule-" + i + "] " + "y".repeat(100));
    }
    List<String> out = Warnings.limit(many);
    assertThat(out.stream().mapToInt(String::length).sum()).isLessThanOrEqualTo(Warnings.MAX_TOTAL);
    assertThat(out.get(out.size() - 1)).matches("\\[gatehouse\\] \\d+ more warning\\(s\\) not shown");
    assertThat(out.get(0)).startsWith("[rule-0]");
  }
}
