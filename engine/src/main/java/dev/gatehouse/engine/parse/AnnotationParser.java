package dev.gatehouse.engine.parse;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Annotations;
import dev.gatehouse.engine.ast.Comment;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.Package;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Finds `# METADATA` comment blocks, parses their YAML and attaches them to the next statement. */
final class AnnotationParser {
  private static final Set<String> SCOPES = Set.of("rule", "document", "package", "subpackages");

  private AnnotationParser() {}

  /** Returns the rules with annotations attached; fills {@code all} with every block in order. */
  static List<Rule> attach(String file, List<Comment> comments, Package pkg, List<Rule> rules, List<Annotations> all) {
    List<Block> blocks = blocks(comments);
    if (blocks.isEmpty()) {
      return rules;
    }
    List<List<Annotations>> perRule = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      perRule.add(new ArrayList<>());
    }
    for (Block b : blocks) {
      int target = -1;
      for (int i = 0; i < rules.size(); i++) {
        if (rules.get(i).location().row() > b.lastRow) {
          target = i;
          break;
        }
      }
      boolean beforePackage = pkg.location().row() > b.lastRow;
      Annotations a = parse(file, b, beforePackage ? "package" : "rule");
      all.add(a);
      if (!beforePackage && target >= 0 && !a.scope().equals("package") && !a.scope().equals("subpackages")) {
        perRule.get(target).add(a);
      }
    }
    List<Rule> out = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      out.add(perRule.get(i).isEmpty() ? r
          : new Rule(r.isDefault(), r.head(), r.body(), r.elseRule(), perRule.get(i), r.location()));
    }
    return out;
  }

  private record Block(Location location, int lastRow, String yaml) {}

  private static List<Block> blocks(List<Comment> comments) {
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < comments.size(); i++) {
      Comment c = comments.get(i);
      if (!c.text().strip().equals("METADATA")) {
        continue;
      }
      StringBuilder yaml = new StringBuilder();
      int row = c.location().row();
      int j = i + 1;
      while (j < comments.size() && comments.get(j).location().row() == row + 1
          && comments.get(j).location().col() == c.location().col()) {
        String text = comments.get(j).text();
        yaml.append(text.startsWith(" ") ? text.substring(1) : text).append('\n');
        row++;
        j++;
      }
      out.add(new Block(c.location(), row, yaml.toString()));
      i = j - 1;
    }
    return out;
  }

  private static Annotations parse(String file, Block b, String defaultScope) {
    Value doc;
    try {
      doc = b.yaml.isBlank() ? ObjectValue.EMPTY : Json.parseYaml(b.yaml);
    } catch (ValueFormatException e) {
      throw new RegoException(new RegoError("rego_parse_error", "yaml: " + e.getMessage(), b.location));
    }
    if (!(doc instanceof ObjectValue obj)) {
      throw new RegoException(new RegoError("rego_parse_error", "yaml: annotations must be a mapping", b.location));
    }
    Value scope = obj.get("scope");
    String s = defaultScope;
    if (scope != null) {
      if (!(scope instanceof StringValue sv) || !SCOPES.contains(sv.value())) {
        throw new RegoException(new RegoError("rego_parse_error", "invalid annotation scope '"
            + (scope instanceof StringValue sv2 ? sv2.value() : scope.toString()) + "'", b.location));
      }
      s = sv.value();
    }
    return new Annotations(s, normalize(obj, s, b.location), b.location);
  }

  /**
   * The annotation as OPA's {@code rego.metadata.*} return it: known keys only, in OPA's shape
   * (authors as {name, email}, related resources as {ref, description}, schemas as paths).
   */
  private static ObjectValue normalize(ObjectValue raw, String scope, Location at) {
    ObjectValue.Builder out = ObjectValue.builder();
    out.put("scope", StringValue.of(scope));
    copyString(raw, "title", out);
    if (BooleanValue.TRUE.equals(raw.get("entrypoint"))) {
      out.put("entrypoint", BooleanValue.TRUE);
    }
    copyString(raw, "description", out);
    if (raw.get("organizations") instanceof ArrayValue orgs && orgs.size() > 0) {
      out.put("organizations", orgs);
    }
    if (raw.get("related_resources") instanceof ArrayValue rrs && rrs.size() > 0) {
      List<Value> list = new ArrayList<>();
      for (Value rr : rrs.elements()) {
        list.add(relatedResource(rr, at));
      }
      out.put("related_resources", ArrayValue.of(list));
    }
    if (raw.get("authors") instanceof ArrayValue authors && authors.size() > 0) {
      List<Value> list = new ArrayList<>();
      for (Value a : authors.elements()) {
        list.add(author(a, at));
      }
      out.put("authors", ArrayValue.of(list));
    }
    if (raw.get("schemas") instanceof ArrayValue schemas && schemas.size() > 0) {
      List<Value> list = new ArrayList<>();
      for (Value sc : schemas.elements()) {
        if (sc instanceof ObjectValue so) {
          so.forEach((k, v) -> {
            ObjectValue.Builder e = ObjectValue.builder();
            e.put("path", dottedPath(k instanceof StringValue ks ? ks.value() : k.toString()));
            if (v instanceof StringValue vs) {
              e.put("schema", dottedPath(vs.value()));
            } else {
              e.put("definition", v);
            }
            list.add(e.build());
          });
        }
      }
      out.put("schemas", ArrayValue.of(list));
    }
    if (raw.get("custom") instanceof ObjectValue custom && custom.size() > 0) {
      out.put("custom", custom);
    }
    if (raw.get("labels") instanceof ObjectValue labels && labels.size() > 0) {
      out.put("labels", labels);
    }
    return out.build();
  }

  private static void copyString(ObjectValue raw, String key, ObjectValue.Builder out) {
    if (raw.get(key) instanceof StringValue v && !v.value().isEmpty()) {
      out.put(key, v);
    }
  }

  private static Value dottedPath(String path) {
    List<Value> parts = new ArrayList<>();
    for (String p : path.split("\\.")) {
      parts.add(StringValue.of(p));
    }
    return ArrayValue.of(parts);
  }

  private static Value relatedResource(Value rr, Location at) {
    if (rr instanceof StringValue s && !s.value().isEmpty()) {
      return ObjectValue.of("ref", s);
    }
    if (rr instanceof ObjectValue o && o.get("ref") instanceof StringValue ref && !ref.value().isBlank()) {
      ObjectValue.Builder b = ObjectValue.builder().put("ref", StringValue.of(ref.value().strip()));
      if (o.get("description") instanceof StringValue d && !d.value().isBlank()) {
        b.put("description", StringValue.of(d.value().strip()));
      }
      return b.build();
    }
    throw new RegoException(new RegoError("rego_parse_error",
        "invalid related-resource definition " + rr + ": " + (rr instanceof ObjectValue
            ? "'ref' value required in object" : "invalid value type, must be string or map"), at));
  }

  /** {@code "Jane Doe <jane@example.com>"} or {name, email}. */
  private static Value author(Value a, Location at) {
    String name = "";
    String email = "";
    if (a instanceof StringValue s) {
      String[] parts = s.value().strip().split("\\s+");
      int nameParts = parts.length;
      String last = parts[parts.length - 1];
      if (last.length() >= 2 && last.startsWith("<") && last.endsWith(">")) {
        email = last.substring(1, last.length() - 1);
        nameParts--;
      }
      name = String.join(" ", java.util.Arrays.copyOfRange(parts, 0, nameParts));
    } else if (a instanceof ObjectValue o) {
      name = o.get("name") instanceof StringValue n ? n.value().strip() : "";
      email = o.get("email") instanceof StringValue e ? e.value().strip() : "";
    }
    if (name.isEmpty() && email.isEmpty()) {
      throw new RegoException(new RegoError("rego_parse_error", "invalid author definition " + a, at));
    }
    ObjectValue.Builder b = ObjectValue.builder();
    if (!name.isEmpty()) {
      b.put("name", StringValue.of(name));
    }
    if (!email.isEmpty()) {
      b.put("email", StringValue.of(email));
    }
    return b.build();
  }
}
