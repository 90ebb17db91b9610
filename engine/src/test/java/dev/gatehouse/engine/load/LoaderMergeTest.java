package dev.gatehouse.engine.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Loader#mergeAt} merges with one builder; the result must be the object the former chain
 * of {@code with} calls gave, down to the insertion order {@code asMap} shows, and conflicts must
 * be reported and leave the existing value.
 */
class LoaderMergeTest {

  /** The former merge: one copy per key. */
  private static ObjectValue withChain(ObjectValue a, ObjectValue b, List<String> conflicts) {
    ObjectValue out = a;
    for (Value k : b.keys()) {
      Value existing = out.get(k);
      Value incoming = b.get(k);
      if (existing == null) {
        out = out.with(k, incoming);
      } else if (existing instanceof ObjectValue eo && incoming instanceof ObjectValue io) {
        out = out.with(k, withChain(eo, io, conflicts));
      } else {
        conflicts.add(((StringValue) k).value());
      }
    }
    return out;
  }

  private static Value randomDoc(Random r, int depth) {
    if (depth == 0 || r.nextInt(3) == 0) {
      return NumberValue.of(r.nextInt(3));
    }
    ObjectValue.Builder b = ObjectValue.builder();
    int n = r.nextInt(depth == 3 ? 30 : 6);
    for (int i = 0; i < n; i++) {
      b.put(StringValue.of("k" + r.nextInt(12)), randomDoc(r, depth - 1));
    }
    return b.build();
  }

  private static void assertSameObject(Value actual, Value expected) {
    assertThat(actual).isEqualTo(expected);
    if (expected instanceof ObjectValue eo) {
      ObjectValue ao = (ObjectValue) actual;
      assertThat(new ArrayList<>(ao.asMap().keySet())).containsExactlyElementsOf(eo.asMap().keySet());
      eo.asMap().forEach((k, v) -> assertSameObject(ao.get(k), v));
    }
  }

  @Test
  void mergingGivesTheWithChainsObjectAndConflicts() {
    Random r = new Random(4);
    for (int c = 0; c < 500; c++) {
      ObjectValue data = ObjectValue.EMPTY;
      ObjectValue expected = ObjectValue.EMPTY;
      for (int f = 0; f < 3; f++) {
        Value doc = randomDoc(r, 3);
        if (!(doc instanceof ObjectValue o)) {
          continue;
        }
        List<RegoError> errors = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        data = Loader.mergeAt(data, List.of(), o, "f" + f + ".json", errors);
        expected = withChain(expected, o, conflicts);
        assertSameObject(data, expected);
        assertThat(errors).hasSize(conflicts.size());
        for (int i = 0; i < conflicts.size(); i++) {
          assertThat(errors.get(i).message()).isEqualTo("f" + f + ".json: merge error: conflicting value at " + conflicts.get(i));
        }
      }
    }
  }

  @Test
  void aDocumentOfManyTopLevelKeysMergesUnderItsPrefix() {
    ObjectValue.Builder b = ObjectValue.builder();
    for (int i = 0; i < 50_000; i++) {
      b.put(StringValue.of("grant-" + i), ObjectValue.of("subject", StringValue.of("user-" + i)));
    }
    List<RegoError> errors = new ArrayList<>();
    ObjectValue data = Loader.mergeAt(ObjectValue.EMPTY, List.of("grants"), b.build(), "grants.json", errors);
    data = Loader.mergeAt(data, List.of(), Json.parse("{\"grants\": {\"grant-7\": {\"service\": \"db\"}}}"), "more.json", errors);
    assertThat(errors).isEmpty();
    ObjectValue grants = (ObjectValue) data.get("grants");
    assertThat(grants.size()).isEqualTo(50_000);
    assertThat(grants.get("grant-7")).isEqualTo(Json.parse("{\"service\": \"db\", \"subject\": \"user-7\"}"));
    assertThat(grants.get("grant-49999")).isEqualTo(ObjectValue.of("subject", StringValue.of("user-49999")));
  }
}
