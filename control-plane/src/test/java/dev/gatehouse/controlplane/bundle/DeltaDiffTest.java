package dev.gatehouse.controlplane.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.bundle.DataPatch;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The index operations of a grants delta rebuild the target list exactly when applied to the
 * base, in order: random grant sets (issued, revoked, expired, unchanged) with a fixed seed.
 */
class DeltaDiffTest {
  private static Bundles.Built built(String revision, TreeMap<String, Value> grants) {
    return new Bundles.Built(revision, grants.keySet().toArray(new String[0]), grants.values().toArray(new Value[0]));
  }

  private static ObjectValue data(TreeMap<String, Value> grants) {
    return ObjectValue.of("gatehouse", ObjectValue.of("grants", ArrayValue.of(new ArrayList<>(grants.values()))));
  }

  private static Value entry(String id, int version) {
    return ObjectValue.of("id", StringValue.of(id), "jws", StringValue.of("jws-" + id + "-" + version));
  }

  @Test
  void randomChangesRebuildTheTargetExactly() {
    Random r = new Random(10);
    for (int round = 0; round < 2000; round++) {
      TreeMap<String, Value> base = new TreeMap<>();
      int n = r.nextInt(30);
      for (int i = 0; i < n; i++) {
        String id = String.format("g-%03d", r.nextInt(60));
        base.put(id, entry(id, 0));
      }
      TreeMap<String, Value> target = new TreeMap<>(base);
      int changes = r.nextInt(8);
      for (int c = 0; c < changes; c++) {
        String id = String.format("g-%03d", r.nextInt(60));
        switch (r.nextInt(3)) {
          case 0 -> target.remove(id); // expired
          case 1 -> target.put(id, entry(id, 1 + c)); // issued or revoked (re-signed)
          default -> { } // nothing
        }
      }
      List<DataPatch.Op> ops = Bundles.diff(built("grants-1", base), built("grants-2", target));
      assertThat(ops).as("never empty: OPA reads an empty patch as erase-all").isNotEmpty();
      assertThat(DataPatch.apply(data(base), ops)).as("round %d: %s", round, ops).isEqualTo(data(target));
      if (!base.equals(target)) {
        long changed = target.keySet().stream().filter(k -> !target.get(k).equals(base.get(k))).count()
            + base.keySet().stream().filter(k -> !target.containsKey(k)).count();
        assertThat(ops).as("one operation per changed grant").hasSize((int) changed);
      }
    }
  }
}
