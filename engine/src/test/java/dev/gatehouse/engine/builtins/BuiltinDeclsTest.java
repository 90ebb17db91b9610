package dev.gatehouse.engine.builtins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every builtin's declaration (name, documentation, categories, signature, flags) against the
 * output of {@code opa capabilities --current} of OPA v1.22.2, recorded in
 * {@code opa/capabilities-v1.22.2.json}: signatures cannot drift from OPA's.
 */
class BuiltinDeclsTest {
  private static String fixtureText;
  private static Map<String, Value> opa;

  @BeforeAll
  static void loadFixture() throws IOException {
    try (InputStream in = BuiltinDeclsTest.class.getResourceAsStream("/opa/capabilities-v1.22.2.json")) {
      fixtureText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    opa = new LinkedHashMap<>();
    for (Value b : ((ArrayValue) ((ObjectValue) Json.parse(fixtureText)).get("builtins")).elements()) {
      opa.put(((StringValue) ((ObjectValue) b).get("name")).value(), b);
    }
  }

  @Test
  void everyRegisteredBuiltinIsAnOpaBuiltinDeclaredExactlyAsOpaDeclaresIt() {
    List<String> unknown = new ArrayList<>();
    List<String> different = new ArrayList<>();
    for (Builtin b : BuiltinRegistry.defaults().all()) {
      Value want = opa.get(b.name());
      if (want == null) {
        unknown.add(b.name());
      } else if (!Capabilities.entry(b).equals(want)) {
        different.add(b.name() + "\n  ours: " + Capabilities.entry(b) + "\n  opa:  " + want);
      }
    }
    assertThat(unknown).as("builtins OPA v1.22.2 does not have").isEmpty();
    assertThat(different).as("declarations that differ from OPA's").isEmpty();
  }

  @Test
  void theCoreCategoriesCoverOpasLanguageBuiltins() {
    for (String name : List.of("plus", "sprintf", "regex.match", "time.parse_rfc3339_ns", "net.cidr_merge", "uri.parse",
        "uuid.parse", "strings.render_template", "cast_array", "re_match", "set_diff", "print", "walk")) {
      assertThat(BuiltinRegistry.defaults().get(name)).as(name).isNotNull();
    }
  }

  @Test
  void theDocumentIsLaidOutAsOpaPrintsIt() {
    for (String name : List.of("abs", "all", "walk", "print", "json.marshal_with_options", "rand.intn", "minus")) {
      String doc = Capabilities.toJson(List.of(BuiltinRegistry.defaults().get(name)), List.of(), List.of());
      assertThat(entryText(doc, name)).as(name).isEqualTo(entryText(fixtureText, name));
    }
  }

  @Test
  void theDocumentHasOpasTopLevelShape() {
    ObjectValue doc = (ObjectValue) Json.parse(Capabilities.toJson(BuiltinRegistry.defaults().all(),
        List.of("if"), List.of("rego_v1")));
    assertThat(doc.keys()).containsExactly(StringValue.of("builtins"), StringValue.of("features"),
        StringValue.of("future_keywords"));
    assertThat(((ArrayValue) doc.get("builtins")).size()).isEqualTo(BuiltinRegistry.defaults().all().size());
  }

  /** The text of one builtin's entry, from its opening brace to its closing one. */
  private static String entryText(String doc, String name) {
    int at = doc.indexOf("      \"name\": " + Json.quote(name) + ",\n");
    int start = doc.lastIndexOf("    {\n", at);
    int end = doc.indexOf("\n    }", at);
    return doc.substring(start, end + 6);
  }
}
