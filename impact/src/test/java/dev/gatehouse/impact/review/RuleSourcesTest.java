package dev.gatehouse.impact.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleSourcesTest {
  static final String BASE = """
      package x

      # Only admins.
      allow if input.user == "admin"

      deny contains "a" if input.a
      deny contains "b" if input.b

      f(x) := x + 1

      test_allow if allow with input as {"user": "admin"}
      """;

  @Test
  void layoutMovesAndTestsAreNotChanges() {
    String relaid = """
        package x

        deny contains "b" if   input.b

        # Admins only (reworded comment).
        allow   if input.user   ==   "admin"
        """;
    String moved = """
        package x

        f(x) := x + 1

        deny contains "a" if input.a

        test_allow if false
        """;
    var base = RuleSources.of(Map.of("x.rego", BASE));
    var head = RuleSources.of(Map.of("x.rego", relaid, "y.rego", moved));
    RuleSources.Changes c = RuleSources.compare(base, head);
    assertThat(c.added()).isEmpty();
    assertThat(c.removed()).isEmpty();
    assertThat(c.changed()).isEmpty();
  }

  @Test
  void addedRemovedAndChangedByName() {
    String head = """
        package x

        allow if input.user in {"admin", "root"}

        deny contains "a" if input.a

        g := 1
        """;
    RuleSources.Changes c = RuleSources.compare(RuleSources.of(Map.of("x.rego", BASE)), RuleSources.of(Map.of("x.rego", head)));
    assertThat(c.added()).containsExactly("x.g");
    assertThat(c.removed()).containsExactly("x.f");
    assertThat(c.changed()).containsExactly("x.allow", "x.deny");
  }
}
