package dev.gatehouse.impact.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.value.Json;
import org.junit.jupiter.api.Test;

class ClassifierTest {
  static Outcome v(String json) {
    return new Outcome.Defined(Json.parse(json));
  }

  static Classifier.Diff diff(Outcome a, Outcome b) {
    return Classifier.classify(a, b);
  }

  @Test
  void sameJsonIsNoChangeWhateverTheKeyOrder() {
    assertThat(diff(v("{\"a\":1,\"b\":[1,2]}"), v("{\"b\":[1,2],\"a\":1}"))).isNull();
    assertThat(diff(Outcome.UNDEFINED, Outcome.UNDEFINED)).isNull();
    assertThat(diff(new Outcome.Failed("eval_conflict_error", "x"), new Outcome.Failed("eval_conflict_error", "x"))).isNull();
  }

  @Test
  void allowFlagsInEveryShape() {
    assertThat(diff(v("false"), v("true")).cls()).isEqualTo(ChangeClass.DENY_TO_ALLOW);
    assertThat(diff(v("{\"allow\":true}"), v("{\"allow\":false}")).cls()).isEqualTo(ChangeClass.ALLOW_TO_DENY);
    assertThat(diff(v("{\"allowed\":false}"), v("{\"allowed\":true}")).cls()).isEqualTo(ChangeClass.DENY_TO_ALLOW);
    assertThat(diff(v("{\"valid\":true,\"violations\":[]}"),
        v("{\"valid\":false,\"violations\":[{\"rule\":\"ticket\",\"msg\":\"needs a ticket\"}]}")))
        .isEqualTo(new Classifier.Diff(ChangeClass.ALLOW_TO_DENY, java.util.Set.of("ticket"),
            java.util.List.of("allowed: true → false", "+ ticket: needs a ticket")));
    assertThat(diff(v("{\"response\":{\"allowed\":false,\"uid\":\"u\"}}"), v("{\"response\":{\"allowed\":true,\"uid\":\"u\"}}"))
        .cls()).isEqualTo(ChangeClass.DENY_TO_ALLOW);
  }

  @Test
  void findingsReasonsAndOtherFields() {
    Classifier.Diff d = diff(v("{\"allowed\":false,\"reasons\":[{\"rule\":\"self-review\",\"msg\":\"no\"}]}"),
        v("{\"allowed\":false,\"reasons\":[{\"rule\":\"duplicate-review\",\"msg\":\"twice\"}]}"));
    assertThat(d.cls()).isEqualTo(ChangeClass.FINDINGS_CHANGED);
    assertThat(d.rules()).containsExactly("duplicate-review", "self-review");
    assertThat(d.detail()).containsExactly("- self-review: no", "+ duplicate-review: twice");

    Classifier.Diff other = diff(v("{\"valid\":true,\"max_duration\":\"4h\",\"notify\":[]}"),
        v("{\"valid\":true,\"max_duration\":\"2h\",\"notify\":[\"x\"]}"));
    assertThat(other.cls()).isEqualTo(ChangeClass.OTHER_CHANGED);
    assertThat(other.rules()).isEmpty();
    assertThat(other.detail()).containsExactly("changed: max_duration, notify");

    // A duplicated finding that disappears once is a change (findings are a multiset).
    assertThat(diff(v("{\"violations\":[\"a\",\"a\"]}"), v("{\"violations\":[\"a\"]}")).detail())
        .containsExactly("- violations: a");
  }

  @Test
  void errorsAndUndefined() {
    Outcome err = new Outcome.Failed("eval_conflict_error", "p.rego:3: eval_conflict_error: conflict");
    assertThat(diff(v("true"), err).cls()).isEqualTo(ChangeClass.ERROR_INTRODUCED);
    assertThat(diff(Outcome.UNDEFINED, err).cls()).isEqualTo(ChangeClass.ERROR_INTRODUCED);
    assertThat(diff(err, v("true")).cls()).isEqualTo(ChangeClass.ERROR_FIXED);
    assertThat(diff(err, new Outcome.Failed("eval_type_error", "other")).cls()).isEqualTo(ChangeClass.ERROR_CHANGED);
    assertThat(diff(Outcome.UNDEFINED, v("{\"allowed\":false,\"violations\":[{\"rule\":\"r\",\"msg\":\"m\"}]}")))
        .isEqualTo(new Classifier.Diff(ChangeClass.BECAME_DEFINED, java.util.Set.of("r"),
            java.util.List.of("+ {\"allowed\":false,\"violations\":[{\"msg\":\"m\",\"rule\":\"r\"}]}")));
    assertThat(diff(v("1"), Outcome.UNDEFINED).cls()).isEqualTo(ChangeClass.BECAME_UNDEFINED);
  }
}
