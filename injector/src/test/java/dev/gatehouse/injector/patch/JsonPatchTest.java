package dev.gatehouse.injector.patch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonPatchTest {
  private static JsonNode json(String s) throws Exception {
    return Mappers.JSON.readTree(s.replace('\'', '"'));
  }

  /** Applies with fabric8's zjsonpatch: an implementation independent of the one under test. */
  private static JsonNode apply(List<JsonPatch.Op> ops, JsonNode source) {
    return io.fabric8.zjsonpatch.JsonPatch.apply(JsonPatch.toJson(ops), source);
  }

  @Test
  void equalDocumentsGiveAnEmptyPatch() throws Exception {
    JsonNode a = json("{'a':[1,{'b':2}],'c':null}");
    assertThat(JsonPatch.diff(a, a.deepCopy())).isEmpty();
  }

  @Test
  void insertingAtTheFrontOfAListIsOneAdd() throws Exception {
    JsonNode a = json("{'xs':[{'name':'a'},{'name':'b'},{'name':'c'}]}");
    JsonNode b = json("{'xs':[{'name':'new'},{'name':'a'},{'name':'b'},{'name':'c'}]}");
    List<JsonPatch.Op> ops = JsonPatch.diff(a, b);
    assertThat(JsonPatch.toJson(ops).toString())
        .isEqualTo(json("[{'op':'add','path':'/xs/0','value':{'name':'new'}}]").toString());
    assertThat(apply(ops, a)).isEqualTo(b);
  }

  @Test
  void anElementChangedInPlaceIsPatchedFieldByField() throws Exception {
    JsonNode a = json("{'xs':[{'name':'a','image':'v1'},{'name':'b'}]}");
    JsonNode b = json("{'xs':[{'name':'a','image':'v2'},{'name':'b'}]}");
    assertThat(JsonPatch.toJson(JsonPatch.diff(a, b)).toString())
        .isEqualTo(json("[{'op':'replace','path':'/xs/0/image','value':'v2'}]").toString());
  }

  @Test
  void keysWithSlashesAndTildesAreEscaped() throws Exception {
    JsonNode a = json("{'metadata':{'annotations':{}}}");
    JsonNode b = json("{'metadata':{'annotations':{'gatehouse.dev/status':'x','a~b':'y'}}}");
    List<JsonPatch.Op> ops = JsonPatch.diff(a, b);
    assertThat(ops).extracting(JsonPatch.Op::path)
        .containsExactly("/metadata/annotations/gatehouse.dev~1status", "/metadata/annotations/a~0b");
    assertThat(apply(ops, a)).isEqualTo(b);
  }

  @Test
  void removedKeysAndTypeChangesAreRemovesAndReplaces() throws Exception {
    JsonNode a = json("{'a':1,'b':{'c':2},'d':[1]}");
    JsonNode b = json("{'b':'now a string','d':{'x':1}}");
    List<JsonPatch.Op> ops = JsonPatch.diff(a, b);
    assertThat(ops).extracting(JsonPatch.Op::op).containsExactly("remove", "replace", "replace");
    assertThat(apply(ops, a)).isEqualTo(b);
  }

  @Test
  void removalsInTheMiddleOfAListKeepLaterIndicesRight() throws Exception {
    JsonNode a = json("[1,2,3,4,5,6]");
    JsonNode b = json("[1,3,5,6,7]");
    assertThat(apply(JsonPatch.diff(a, b), a)).isEqualTo(b);
  }

  @Test
  void randomEditsRoundTripThroughAnIndependentApplier() {
    Random rnd = new Random(20260301L);
    for (int i = 0; i < 2000; i++) {
      JsonNode a = randomValue(rnd, 0);
      JsonNode b = mutate(a.deepCopy(), rnd, 0);
      List<JsonPatch.Op> ops = JsonPatch.diff(a, b);
      assertThat(apply(ops, a)).as("case %d: %s -> %s via %s", i, a, b, JsonPatch.toJson(ops)).isEqualTo(b);
    }
  }

  private static JsonNode randomValue(Random rnd, int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    int kind = depth > 3 ? rnd.nextInt(3) : rnd.nextInt(5);
    switch (kind) {
      case 0:
        return f.numberNode(rnd.nextInt(5));
      case 1:
        return f.textNode(List.of("a", "b", "x/y", "t~1", "").get(rnd.nextInt(5)));
      case 2:
        return rnd.nextBoolean() ? f.nullNode() : f.booleanNode(rnd.nextBoolean());
      case 3: {
        ArrayNode arr = f.arrayNode();
        int n = rnd.nextInt(6);
        for (int i = 0; i < n; i++) {
          arr.add(randomValue(rnd, depth + 1));
        }
        return arr;
      }
      default: {
        ObjectNode o = f.objectNode();
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
          o.set(List.of("k", "name", "a/b", "m~n", "z").get(rnd.nextInt(5)), randomValue(rnd, depth + 1));
        }
        return o;
      }
    }
  }

  private static JsonNode mutate(JsonNode n, Random rnd, int depth) {
    if (rnd.nextInt(6) == 0 || depth > 4) {
      return randomValue(rnd, depth);
    }
    if (n instanceof ArrayNode a) {
      int edits = rnd.nextInt(4);
      for (int e = 0; e < edits; e++) {
        int op = rnd.nextInt(3);
        if (op == 0 || a.isEmpty()) {
          a.insert(a.isEmpty() ? 0 : rnd.nextInt(a.size() + 1), randomValue(rnd, depth + 1));
        } else if (op == 1) {
          a.remove(rnd.nextInt(a.size()));
        } else {
          int i = rnd.nextInt(a.size());
          a.set(i, mutate(a.get(i), rnd, depth + 1));
        }
      }
      return a;
    }
    if (n instanceof ObjectNode o) {
      List<String> keys = new java.util.ArrayList<>();
      o.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        int op = rnd.nextInt(4);
        if (op == 0) {
          o.remove(k);
        } else if (op == 1) {
          o.set(k, mutate(o.get(k), rnd, depth + 1));
        }
      }
      if (rnd.nextBoolean()) {
        o.set("added" + rnd.nextInt(3), randomValue(rnd, depth + 1));
      }
      return o;
    }
    return randomValue(rnd, depth);
  }
}
