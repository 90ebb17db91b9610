package dev.gatehouse.engine.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void numbersRoundTripWithTheirOriginalText() {
    Value v = Json.parse("{\"a\": 1.0, \"b\": 1e2, \"c\": 12345678901234567890123}");
    assertThat(v.toJson()).isEqualTo("{\"a\":1.0,\"b\":1e2,\"c\":12345678901234567890123}");
  }

  @Test
  void escapesLikeGoEncodingJson() {
    // opa eval -f json (v1.22.2) prints "\u003ca\u003e\u0026" and "é\u2028"
    assertThat(Json.quote("<a>&")).isEqualTo("\"\\u003ca\\u003e\\u0026\"");
    assertThat(Json.quote("é\u2028")).isEqualTo("\"é\\u2028\"");
    assertThat(Json.quote("tab\tnl\nq\"bs\\\u0001")).isEqualTo("\"tab\\tnl\\nq\\\"bs\\\\\\u0001\"");
  }

  @Test
  void setsBecomeSortedArraysAndNonStringKeysTheirJsonText() {
    Value v = ObjectValue.builder()
        .put(NumberValue.ONE, NumberValue.of(2))
        .put(StringValue.of("b"), SetValue.EMPTY)
        .put(StringValue.of("a"), SetValue.of(NumberValue.of(3), NumberValue.ONE))
        .build();
    assertThat(v.toJson()).isEqualTo("{\"1\":2,\"a\":[1,3],\"b\":[]}");
  }

  @Test
  void indentedOutputMatchesGoMarshalIndent() {
    Value v = Json.parse("{\"x\": [1, {\"y\": []}], \"e\": {}}");
    assertThat(Json.writeIndented(v, "  ")).isEqualTo(String.join("\n",
        "{",
        "  \"e\": {},",
        "  \"x\": [",
        "    1,",
        "    {",
        "      \"y\": []",
        "    }",
        "  ]",
        "}"));
  }

  @Test
  void malformedJsonReportsWhere() {
    assertThatThrownBy(() -> Json.parse("{\"a\": }"))
        .isInstanceOfSatisfying(ValueFormatException.class, e -> {
          assertThat(e.line()).isEqualTo(1);
          assertThat(e.column()).isPositive();
        });
    assertThatThrownBy(() -> Json.parse("{} {}")).isInstanceOf(ValueFormatException.class);
    assertThatThrownBy(() -> Json.parse("")).isInstanceOf(ValueFormatException.class);
  }

  @Test
  void yamlDocumentsReadAsJsonCompatibleData() {
    List<Value> docs = Json.parseYamlDocuments("a: 1\nb: [x, true, null]\n---\n- 2.50\n");
    assertThat(docs).hasSize(2);
    assertThat(docs.get(0).toJson()).isEqualTo("{\"a\":1,\"b\":[\"x\",true,null]}");
    assertThat(docs.get(1).toJson()).isEqualTo("[2.50]");
  }

  @Test
  void javaObjectsConvertBothWays() {
    Value v = Values.of(java.util.Map.of("k", List.of(1, "two", java.util.Set.of(true))));
    assertThat(v.toJson()).isEqualTo("{\"k\":[1,\"two\",[true]]}");
    assertThat(Values.toJava(v)).isEqualTo(java.util.Map.of("k", List.of(1L, "two", java.util.Set.of(true))));
  }

  @Test
  void yamlAnchorsAliasesAndMergeKeysResolveAsAYamlLibraryReadsThem() {
    Value v = Json.parseYaml("""
        base: &base {cpu: 100m, memory: 128Mi}
        tags: &tags [a, b]
        name: &name web
        copy: *base
        list: *tags
        who: *name
        merged:
          <<: *base
          memory: 256Mi
        several:
          <<: [*base, {cpu: 1, gpu: 0}]
        """);
    assertThat(v).isEqualTo(Json.parse("{\"base\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"},\"tags\":[\"a\",\"b\"],"
        + "\"name\":\"web\",\"copy\":{\"cpu\":\"100m\",\"memory\":\"128Mi\"},\"list\":[\"a\",\"b\"],\"who\":\"web\","
        + "\"merged\":{\"memory\":\"256Mi\",\"cpu\":\"100m\"},\"several\":{\"cpu\":\"100m\",\"memory\":\"128Mi\",\"gpu\":0}}"));
    // anchors belong to their document
    List<Value> docs = Json.parseYamlDocuments("a: &x 1\nb: *x\n---\nc: &x 2\nd: *x\n");
    assertThat(docs.get(0)).isEqualTo(Json.parse("{\"a\":1,\"b\":1}"));
    assertThat(docs.get(1)).isEqualTo(Json.parse("{\"c\":2,\"d\":2}"));
    docs = Json.parseYamlDocuments("a: &x 1\n---\n---\n- &y {k: v}\n- *y\n");
    assertThat(docs.get(docs.size() - 1)).isEqualTo(Json.parse("[{\"k\":\"v\"},{\"k\":\"v\"}]"));
    assertThatThrownBy(() -> Json.parseYaml("a: *nope\n")).isInstanceOf(ValueFormatException.class)
        .hasMessageContaining("unknown anchor 'nope' referenced");
    assertThatThrownBy(() -> Json.parseYaml("a:\n  <<: 3\n")).isInstanceOf(ValueFormatException.class)
        .hasMessageContaining("map merge requires map or sequence of maps as the value");
  }
}
