package dev.gatehouse.engine.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Objects are a shape (keys, shared between objects with the same key sequence) plus values, with
 * a scan for small objects and a hash index above eight keys. These properties check every way of
 * building an object — the builder, {@code of(Map)}, {@code with}/{@code without} chains, the JSON
 * reader (shared shapes) and the YAML reader — against a plain {@link LinkedHashMap} model of the
 * old map-backed object, on random key sets: lookups, sorted iteration, the insertion-ordered map
 * view, equality and hashes across representations, and order.
 */
class ObjectRepresentationTest {
  private static final int CASES = 3_000;

  /** The model: what the map-backed object did. */
  private static final class Model {
    final LinkedHashMap<Value, Value> map = new LinkedHashMap<>();

    void put(Value k, Value v) {
      map.put(k, v); // an equal key keeps its first instance and place
    }

    Value[] sortedKeys() {
      Value[] ks = map.keySet().toArray(new Value[0]);
      Arrays.sort(ks);
      return ks;
    }

    int hash() {
      int h = 0;
      for (Map.Entry<Value, Value> e : map.entrySet()) {
        h += e.getKey().hashCode() * 31 ^ e.getValue().hashCode();
      }
      h = h * 31 + 5;
      return h == 0 ? 1 : h;
    }

    String text() {
      StringBuilder sb = new StringBuilder("{");
      Value[] ks = sortedKeys();
      for (int i = 0; i < ks.length; i++) {
        sb.append(i > 0 ? ", " : "").append(ks[i]).append(": ").append(map.get(ks[i]));
      }
      return sb.append('}').toString();
    }

    /** OPA's object order, over the model's sorted entries. */
    int compare(Model o) {
      Value[] a = sortedKeys();
      Value[] b = o.sortedKeys();
      for (int i = 0; i < Math.min(a.length, b.length); i++) {
        int c = a[i].compareTo(b[i]);
        if (c != 0) {
          return c;
        }
        c = map.get(a[i]).compareTo(o.map.get(b[i]));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(a.length, b.length);
    }
  }

  /** Keys drawn from a small pool so sets overlap; includes 1 and 1.0 (equal keys), hash-colliding strings, and non-string keys. */
  private static Value randomKey(Random r) {
    switch (r.nextInt(10)) {
      case 0:
        return r.nextBoolean() ? NumberValue.of(r.nextInt(4)) : NumberValue.parse(r.nextInt(4) + ".0");
      case 1:
        return collidingString(r.nextInt(6), r.nextInt(8));
      case 2:
        return r.nextBoolean() ? NullValue.INSTANCE : BooleanValue.of(r.nextBoolean());
      case 3:
        return ArrayValue.of(StringValue.of("k" + r.nextInt(3)));
      default:
        return StringValue.of(new String(new char[] {(char) ('a' + r.nextInt(20))}) + (r.nextInt(3) == 0 ? "é" : "") + r.nextInt(30));
    }
  }

  /** Strings of equal length built from "Aa"/"BB" blocks all share one Java hash code. */
  private static StringValue collidingString(int blocks, int bits) {
    StringBuilder sb = new StringBuilder("x");
    for (int i = 0; i < blocks; i++) {
      sb.append((bits >> i & 1) == 0 ? "Aa" : "BB");
    }
    return StringValue.of(sb.toString());
  }

  private static Value randomValue(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> NumberValue.of(r.nextInt(5));
      case 1 -> StringValue.of("v" + r.nextInt(5));
      case 2 -> BooleanValue.of(r.nextBoolean());
      case 3 -> ArrayValue.of(NumberValue.of(r.nextInt(3)));
      default -> NullValue.INSTANCE;
    };
  }

  /** A size that exercises the scan (≤ 8), the index (> 8) and the reader's unshared path (> 32). */
  private static int randomSize(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> r.nextInt(4);
      case 1 -> r.nextInt(10);
      case 2 -> 6 + r.nextInt(8);
      default -> r.nextInt(60);
    };
  }

  private static void assertSameAsModel(ObjectValue o, Model m, Random r) {
    assertThat(o.size()).isEqualTo(m.map.size());
    assertThat(o.isEmpty()).isEqualTo(m.map.isEmpty());
    assertThat(o.keys()).containsExactly(m.sortedKeys());
    // keys() hands out the very key instances the model kept (1 vs 1.0 print differently)
    assertThat(o.keys().toString()).isEqualTo(Arrays.toString(m.sortedKeys()));
    List<Value> visited = new ArrayList<>();
    o.forEach((k, v) -> {
      visited.add(k);
      assertThat(v).isSameAs(m.map.get(k));
    });
    assertThat(visited).containsExactly(m.sortedKeys());
    assertThat(new ArrayList<>(o.asMap().keySet())).containsExactly(m.map.keySet().toArray(new Value[0]));
    assertThat(new ArrayList<>(o.asMap().values())).containsExactlyElementsOf(m.map.values());
    assertThat(o.asMap()).isEqualTo(m.map);
    for (Value k : m.map.keySet()) {
      assertThat(o.get(k)).isSameAs(m.map.get(k));
      assertThat(o.containsKey(k)).isTrue();
      if (k instanceof StringValue s) {
        assertThat(o.get(s.value())).isSameAs(m.map.get(k));
      }
    }
    for (int i = 0; i < 20; i++) {
      Value k = randomKey(r);
      assertThat(o.get(k)).isEqualTo(m.map.get(k));
      assertThat(o.containsKey(k)).isEqualTo(m.map.containsKey(k));
      assertThat(o.asMap().containsKey(k)).isEqualTo(m.map.containsKey(k));
    }
    assertThat(o.hashCode()).isEqualTo(m.hash());
    assertThat(o.toString()).isEqualTo(m.text());
  }

  @Test
  void everyConstructionBehavesLikeTheMapModel() {
    Random r = new Random(14);
    for (int c = 0; c < CASES; c++) {
      Model m = new Model();
      ObjectValue.Builder b = ObjectValue.builder();
      LinkedHashMap<Value, Value> plain = new LinkedHashMap<>();
      ObjectValue chained = ObjectValue.EMPTY;
      int n = randomSize(r);
      for (int i = 0; i < n; i++) {
        Value k = randomKey(r);
        Value v = randomValue(r);
        m.put(k, v);
        b.put(k, v);
        plain.put(k, v);
        chained = chained.with(k, v);
        assertThat(b.size()).isEqualTo(m.map.size());
        assertThat(b.get(k)).isSameAs(v);
        Value probe = randomKey(r);
        assertThat(b.containsKey(probe)).isEqualTo(m.map.containsKey(probe));
        assertThat(b.get(probe)).isEqualTo(m.map.get(probe));
      }
      ObjectValue built = b.build();
      assertSameAsModel(built, m, r);
      assertSameAsModel(ObjectValue.of(plain), m, r);
      assertSameAsModel(chained, m, r);
      assertThat(built).isEqualTo(chained).isEqualTo(ObjectValue.of(plain));
      assertThat(built.compareTo(chained)).isZero();
      assertThat(b.build()).isSameAs(ObjectValue.EMPTY); // the builder starts over

      // without: remove a random half of the keys, in random order
      List<Value> keys = new ArrayList<>(m.map.keySet());
      java.util.Collections.shuffle(keys, r);
      ObjectValue shrunk = built;
      for (Value k : keys.subList(0, keys.size() / 2)) {
        shrunk = shrunk.without(k);
        m.map.remove(k);
        assertThat(shrunk.without(k)).isSameAs(shrunk);
      }
      assertSameAsModel(shrunk, m, r);
    }
  }

  @Test
  void objectsReadFromJsonShareShapesAndEqualBuiltOnes() {
    Random r = new Random(15);
    for (int c = 0; c < CASES / 3; c++) {
      // several objects over a few key sequences in one document, so shapes are shared; keys may repeat inside an object
      int kinds = 1 + r.nextInt(3);
      List<List<String>> sequences = new ArrayList<>();
      for (int i = 0; i < kinds; i++) {
        List<String> seq = new ArrayList<>();
        int n = randomSize(r);
        for (int j = 0; j < n; j++) {
          Value k = randomKey(r);
          seq.add(k instanceof StringValue s ? s.value() : k.toString());
        }
        sequences.add(seq);
      }
      StringBuilder doc = new StringBuilder("[");
      List<Model> models = new ArrayList<>();
      List<Boolean> repeats = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        List<String> seq = sequences.get(r.nextInt(kinds));
        repeats.add(new java.util.HashSet<>(seq).size() != seq.size());
        Model m = new Model();
        doc.append(i > 0 ? "," : "").append('{');
        for (int j = 0; j < seq.size(); j++) {
          Value v = NumberValue.of(r.nextInt(3));
          m.put(StringValue.of(seq.get(j)), v);
          doc.append(j > 0 ? "," : "").append(Json.quote(seq.get(j))).append(':').append(v.toJson());
        }
        doc.append('}');
        models.add(m);
      }
      doc.append(']');
      ArrayValue parsed = (ArrayValue) Json.parse(doc.toString());
      ArrayValue yaml = (ArrayValue) Json.parseYaml(doc.toString());
      for (int i = 0; i < models.size(); i++) {
        Model m = models.get(i);
        ObjectValue o = (ObjectValue) parsed.get(i);
        assertSameAsModel(o, m, r);
        if (!repeats.get(i)) { // YAML moves a repeated key to its last place
          assertSameAsModel((ObjectValue) yaml.get(i), m, r);
        }
        ObjectValue.Builder b = ObjectValue.builder();
        m.map.forEach(b::put);
        ObjectValue built = b.build();
        assertThat(o).isEqualTo(built);
        assertThat(built).isEqualTo(o);
        assertThat(o.hashCode()).isEqualTo(built.hashCode());
        assertThat(o.compareTo(built)).isZero();
        for (int j = 0; j < models.size(); j++) {
          ObjectValue other = (ObjectValue) parsed.get(j);
          assertThat(o.equals(other)).isEqualTo(m.map.equals(models.get(j).map));
          assertThat(Integer.signum(o.compareTo(other))).isEqualTo(Integer.signum(m.compare(models.get(j))));
          assertThat(Integer.signum(built.compareTo(other))).isEqualTo(Integer.signum(m.compare(models.get(j))));
        }
      }
    }
  }

  @Test
  void orderAndEqualityAcrossRandomObjectsMatchTheModel() {
    Random r = new Random(16);
    List<Model> models = new ArrayList<>();
    List<ObjectValue> objects = new ArrayList<>();
    for (int c = 0; c < 300; c++) {
      Model m = new Model();
      ObjectValue.Builder b = ObjectValue.builder();
      int n = r.nextInt(3) == 0 ? r.nextInt(20) : r.nextInt(4);
      for (int i = 0; i < n; i++) {
        Value k = r.nextBoolean() ? StringValue.of("k" + r.nextInt(4)) : randomKey(r);
        Value v = NumberValue.of(r.nextInt(2));
        m.put(k, v);
        b.put(k, v);
      }
      models.add(m);
      objects.add(b.build());
    }
    for (int i = 0; i < objects.size(); i++) {
      for (int j = 0; j < objects.size(); j++) {
        ObjectValue a = objects.get(i);
        ObjectValue b = objects.get(j);
        boolean eq = models.get(i).map.equals(models.get(j).map);
        assertThat(a.equals(b)).isEqualTo(eq);
        if (eq) {
          assertThat(a.hashCode()).isEqualTo(b.hashCode());
        }
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(models.get(i).compare(models.get(j))));
      }
    }
  }

  @Test
  void largeObjectsKeepHashLookupsWithCollidingKeys() {
    // 2^10 distinct strings with one Java hash code, and 5,000 ordinary keys
    ObjectValue.Builder b = ObjectValue.builder();
    for (int bits = 0; bits < 1 << 10; bits++) {
      b.put(collidingString(10, bits), NumberValue.of(bits));
    }
    for (int i = 0; i < 5_000; i++) {
      b.put(StringValue.of("key-" + i), NumberValue.of(i));
    }
    ObjectValue o = b.build();
    assertThat(o.size()).isEqualTo(1024 + 5000);
    for (int bits = 0; bits < 1 << 10; bits++) {
      assertThat(o.get(collidingString(10, bits))).isEqualTo(NumberValue.of(bits));
    }
    for (int i = 0; i < 5_000; i++) {
      assertThat(o.get("key-" + i)).isEqualTo(NumberValue.of(i));
    }
    assertThat(o.get(collidingString(11, 0))).isNull();
    assertThat(o.get("key-5000")).isNull();
    assertThat(o.keys()).isSorted();
    ObjectValue parsed = (ObjectValue) Json.parse(o.toJson());
    assertThat(parsed).isEqualTo(o);
    assertThat(parsed.with(StringValue.of("key-1"), NullValue.INSTANCE).get("key-1")).isEqualTo(NullValue.INSTANCE);
    assertThat(parsed.without(StringValue.of("key-1")).get("key-1")).isNull();
    assertThat(parsed.without(StringValue.of("key-1")).get("key-2")).isEqualTo(NumberValue.of(2));
  }

  @Test
  void jsonObjectsOfOneKindShareTheirShape() {
    ArrayValue a = (ArrayValue) Json.parse("[{\"name\":\"a\",\"port\":80},{\"name\":\"b\",\"port\":8080},{\"port\":1,\"name\":\"c\"}]");
    ObjectValue first = (ObjectValue) a.get(0);
    ObjectValue second = (ObjectValue) a.get(1);
    ObjectValue third = (ObjectValue) a.get(2);
    assertThat(first.keys()).containsExactly(StringValue.of("name"), StringValue.of("port"));
    assertThat(first.shape()).isSameAs(second.shape());
    assertThat(third.shape()).isNotSameAs(first.shape()); // another key order is another sequence
    assertThat(new ArrayList<>(third.asMap().keySet())).containsExactly(StringValue.of("port"), StringValue.of("name"));
    assertThat(third.keys()).containsExactly(StringValue.of("name"), StringValue.of("port"));
    assertThat(Json.write(third)).isEqualTo("{\"name\":\"c\",\"port\":1}");
    ArrayValue y = (ArrayValue) Json.parseYaml("- name: a\n  port: 80\n- name: b\n  port: 8080\n");
    assertThat(((ObjectValue) y.get(0)).shape()).isSameAs(((ObjectValue) y.get(1)).shape());
    assertThat(y).isEqualTo(Json.parse("[{\"name\":\"a\",\"port\":80},{\"name\":\"b\",\"port\":8080}]"));
  }

  @Test
  void duplicateJsonKeysKeepTheFirstPlaceAndTheLastValue() {
    ObjectValue o = (ObjectValue) Json.parse("{\"b\":1,\"a\":2,\"b\":3}");
    assertThat(new ArrayList<>(o.asMap().keySet())).containsExactly(StringValue.of("b"), StringValue.of("a"));
    assertThat(o.get("b")).isEqualTo(NumberValue.of(3));
    assertThat(o).isEqualTo(ObjectValue.of("a", NumberValue.of(2), "b", NumberValue.of(3)));
  }

  @Test
  void repeatedNumberLiteralsKeepTheirSpelling() {
    ArrayValue a = (ArrayValue) Json.parse("[8080, 8080, 1.0, 1, 1e0, 1.0]");
    assertThat(a.get(0)).isSameAs(a.get(1));
    assertThat(a.toJson()).isEqualTo("[8080,8080,1.0,1,1e0,1.0]");
    assertThat(a.get(2)).isEqualTo(a.get(3)).isEqualTo(a.get(4));
  }
}
