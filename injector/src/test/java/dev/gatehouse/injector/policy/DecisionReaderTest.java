package dev.gatehouse.injector.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.value.Json;
import org.junit.jupiter.api.Test;

class DecisionReaderTest {
  private static Decision read(String json) {
    return DecisionReader.read(Json.parse(json), "data.d");
  }

  @Test
  void readsTheContractShape() {
    Decision d = read("""
        {"allowed": false, "violations": [
          {"rule": "a", "msg": "A", "action": "deny"},
          {"rule": "b", "msg": "B", "action": "warn"},
          {"rule": "c", "msg": "C", "action": "dryrun"}],
         "warnings": ["w"]}""");
    assertThat(d.denied()).isTrue();
    assertThat(d.withAction(Action.DENY)).containsExactly(new Violation("a", "A", Action.DENY));
    assertThat(d.withAction(Action.WARN)).extracting(Violation::render).containsExactly("[b] B");
    assertThat(d.withAction(Action.DRYRUN)).hasSize(1);
    assertThat(d.warnings()).containsExactly("w");
  }

  @Test
  void aDenyViolationDeniesEvenWhenAllowedIsTrueAndAllowedFalseDeniesAlone() {
    assertThat(read("{\"allowed\": true, \"violations\": [{\"rule\": \"a\", \"msg\": \"A\", \"action\": \"deny\"}]}").denied())
        .isTrue();
    assertThat(read("{\"allowed\": false}").denied()).isTrue();
    assertThat(read("{\"violations\": [{\"rule\": \"a\", \"msg\": \"A\", \"action\": \"warn\"}]}").denied()).isFalse();
  }

  @Test
  void notifyAndBreakGlassAreReadWhenPresent() {
    Decision d = read("""
        {"allowed": true, "violations": [], "notify": ["security-oncall", "slack:#payments"],
         "break_glass": {"user": "pat", "reason": "INC-1", "expires": "2025-06-02T10:45:00Z", "attempt": 1}}""");
    assertThat(d.notifyChannels()).containsExactly("security-oncall", "slack:#payments");
    assertThat(d.breakGlassUsed()).isTrue();
    assertThat(d.breakGlass()).containsEntry("user", "pat").containsEntry("attempt", "1");
    assertThat(read("{\"break_glass\": null}").breakGlassUsed()).isFalse();
    assertThat(read("{\"break_glass\": false}").breakGlassUsed()).isFalse();
    assertThat(read("{}").notifyChannels()).isEmpty();
    assertThatThrownBy(() -> read("{\"notify\": [1]}")).hasMessage("data.d.notify[0] must be a string, got number");
    assertThatThrownBy(() -> read("{\"break_glass\": \"yes\"}"))
        .hasMessage("data.d.break_glass must be an object or null, got string");
    assertThatThrownBy(() -> read("{\"break_glass\": {}}"))
        .hasMessage("data.d.break_glass must say who broke glass and why, got {}");
  }

  @Test
  void aViolationWithoutActionDenies() {
    assertThat(read("{\"violations\": [{\"rule\": \"a\", \"msg\": \"A\"}]}").withAction(Action.DENY)).hasSize(1);
  }

  @Test
  void malformedDecisionsAreErrorsThatSayWhere() {
    assertThatThrownBy(() -> read("[]")).isInstanceOf(DecisionReader.MalformedDecision.class)
        .hasMessage("data.d must be an object {allowed, violations, warnings}, got array");
    assertThatThrownBy(() -> read("{\"allowed\": \"yes\"}")).hasMessage("data.d.allowed must be a boolean, got string");
    assertThatThrownBy(() -> read("{\"violations\": [{\"msg\": \"x\"}]}"))
        .hasMessage("data.d.violations[0].rule must be a string, got nothing");
    assertThatThrownBy(() -> read("{\"violations\": [{\"rule\": \"r\", \"action\": \"block\"}]}"))
        .hasMessage("data.d.violations[0].action must be deny, warn or dryrun, got \"block\"");
    assertThatThrownBy(() -> read("{\"warnings\": \"w\"}")).hasMessage("data.d.warnings must be an array or set, got string");
  }

  @Test
  void violationsFromAPartialSetRuleComeInTheSetsSortedOrder() {
    dev.gatehouse.engine.Policy p = dev.gatehouse.engine.Rego.builder().module("t.rego", """
        package t
        vs contains {"rule": "b", "msg": "B"}
        vs contains {"rule": "a", "msg": "A"}
        d := {"allowed": true, "violations": vs}
        """).compile();
    Decision d = DecisionReader.read(p.prepare("data.t.d").evalValue(null).orElseThrow(), "data.t.d");
    assertThat(d.violations()).extracting(Violation::rule).containsExactly("a", "b");
  }
}
