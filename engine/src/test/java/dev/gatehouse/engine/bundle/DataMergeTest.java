package dev.gatehouse.engine.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link DataMerge} with one builder gives the object the former chain of {@code with} calls gave, or null on a conflict. */
class DataMergeTest {

  private static ObjectValue withChain(ObjectValue a, ObjectValue b) {
    ObjectValue out = a;
    for (Value k : b.keys()) {
      Value existing = out.get(k);
      Value incoming = b.get(k);
      if (existing == null) {
        out = out.with(k, incoming);
      } else if (existing instanceof ObjectValue eo && incoming instanceof ObjectValue io) {
        ObjectValue m = withChain(eo, io);
        if (m == null) {
          return null;
        }
        out = out.with(k, m);
      } else {
        return null;
      }
    }
    return out;
  }

  private static Value randomDoc(Random r, int depth) {
    if (depth == 0 || r.nextInt(4) == 0) {
      return NumberValue.of(r.nextInt(3));
    }
    ObjectValue.Builder b = ObjectValue.builder();
    int n = r.nextInt(depth == 3 ? 20 : 5);
    for (int i = 0; i < n; i++) {
      b.put(StringValue.of("k" + r.nextInt(40)), randomDoc(r, depth - 1));
    }
    return b.build();
  }

  @Test
  void mergeGivesTheWithChainsObjectOrNull() {
    Random r = new Random(9);
    int conflicts = 0;
    for (int c = 0; c < 2_000; c++) {
      if (!(randomDoc(r, 3) instanceof ObjectValue a) || !(randomDoc(r, 3) instanceof ObjectValue b)) {
        continue;
      }
      ObjectValue expected = withChain(a, b);
      ObjectValue actual = DataMerge.merge(a, b);
      if (expected == null) {
        conflicts++;
        assertThat(actual).isNull();
      } else {
        assertThat(actual).isEqualTo(expected);
        assertThat(new ArrayList<>(actual.asMap().keySet())).containsExactlyElementsOf(expected.asMap().keySet());
      }
    }
    assertThat(conflicts).isPositive().isLessThan(2_000); // both outcomes were exercised
  }
}
