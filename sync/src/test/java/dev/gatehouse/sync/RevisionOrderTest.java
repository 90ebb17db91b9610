package dev.gatehouse.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.bundle.Manifest;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionOrderTest {
  private static Manifest manifest(String revision, ObjectValue metadata) {
    return new Manifest(revision, List.of("gatehouse/grants"), null, Map.of(), metadata);
  }

  @Test
  void grantsRevisionsAreOrderedByEpochThenSequence() {
    RevisionOrder g9 = RevisionOrder.of(manifest("grants-9", null));
    RevisionOrder g10 = RevisionOrder.of(manifest("grants-10", null));
    RevisionOrder g1e2 = RevisionOrder.of(manifest("grants-1", ObjectValue.of("epoch", NumberValue.of(2))));
    assertThat(g9).isLessThan(g10);
    assertThat(g10).isLessThan(g1e2);
    assertThat(g1e2.text()).isEqualTo("grants-1@2");
    // what is persisted reads back to the same order
    assertThat(RevisionOrder.parse(g1e2.text())).isEqualByComparingTo(g1e2);
    assertThat(RevisionOrder.parse("grants-10")).isEqualByComparingTo(g10);
  }

  @Test
  void otherRevisionsHaveNoOrder() {
    assertThat(RevisionOrder.of(manifest("3f2a9c1e0b", null))).isNull();
    assertThat(RevisionOrder.of(manifest("grants-", null))).isNull();
    assertThat(RevisionOrder.of(manifest("policies-rev-1", null))).isNull();
    assertThat(RevisionOrder.parse("garbage")).isNull();
    // a negative or non-integer epoch counts as none
    assertThat(RevisionOrder.of(manifest("grants-4", ObjectValue.of("epoch", NumberValue.of(-1)))).epoch()).isZero();
  }
}
