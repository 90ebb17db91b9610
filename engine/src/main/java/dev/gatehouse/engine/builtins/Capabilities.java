package dev.gatehouse.engine.builtins;

import dev.gatehouse.engine.types.TypeJson;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The capabilities document of {@code opa capabilities}: builtins sorted by name, each with the
 * fields OPA's Builtin struct marshals (name, description, categories, decl, infix, relation,
 * deprecated, nondeterministic; empty ones omitted), then the future keywords and features.
 */
public final class Capabilities {
  private Capabilities() {}

  /** One builtin's entry, as a value (for comparisons; key order is not kept). */
  public static Value entry(Builtin b) {
    ObjectValue.Builder o = ObjectValue.builder().put("name", StringValue.of(b.name()));
    if (b.description() != null && !b.description().isEmpty()) {
      o.put("description", StringValue.of(b.description()));
    }
    if (!b.categories().isEmpty()) {
      o.put("categories", ArrayValue.of(b.categories().stream().map(StringValue::of).toList()));
    }
    o.put("decl", TypeJson.toValue(b.decl()));
    if (b.infix() != null) {
      o.put("infix", StringValue.of(b.infix()));
    }
    if (b instanceof RelationBuiltin) {
      o.put("relation", BooleanValue.TRUE);
    }
    if (b.deprecated()) {
      o.put("deprecated", BooleanValue.TRUE);
    }
    if (b.nondeterministic()) {
      o.put("nondeterministic", BooleanValue.TRUE);
    }
    return o.build();
  }

  /** The whole document as OPA prints it: two-space indentation, fields in OPA's order. */
  public static String toJson(Collection<Builtin> builtins, List<String> futureKeywords, List<String> features) {
    List<Builtin> sorted = new ArrayList<>(builtins);
    sorted.sort(Comparator.comparing(Builtin::name));
    StringBuilder sb = new StringBuilder("{\n  \"builtins\": [");
    for (int i = 0; i < sorted.size(); i++) {
      sb.append(i == 0 ? "\n" : ",\n");
      writeEntry(sb, sorted.get(i));
    }
    sb.append(sorted.isEmpty() ? "],\n" : "\n  ],\n");
    sb.append("  \"future_keywords\": ").append(indent(Json.writeIndented(strings(futureKeywords), "  "), "  ")).append(",\n");
    sb.append("  \"features\": ").append(indent(Json.writeIndented(strings(features), "  "), "  ")).append("\n}");
    return sb.toString();
  }

  private static void writeEntry(StringBuilder sb, Builtin b) {
    ObjectValue e = (ObjectValue) entry(b);
    String pad = "      ";
    sb.append("    {");
    boolean first = true;
    for (String key : List.of("name", "description", "categories", "decl", "infix", "relation", "deprecated",
        "nondeterministic")) {
      Value v = e.get(key);
      if (v == null) {
        continue;
      }
      sb.append(first ? "\n" : ",\n").append(pad).append(Json.quote(key)).append(": ")
          .append(indent(Json.writeIndented(v, "  "), pad));
      first = false;
    }
    sb.append("\n    }");
  }

  private static Value strings(List<String> xs) {
    return ArrayValue.of(xs.stream().map(StringValue::of).toList());
  }

  /** Continuation lines of a nested value carry the indentation of the line it starts on. */
  private static String indent(String json, String pad) {
    return json.replace("\n", "\n" + pad);
  }
}
