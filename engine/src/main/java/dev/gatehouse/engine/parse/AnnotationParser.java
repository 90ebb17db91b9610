package dev.gatehouse.engine.parse;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Annotations;
import dev.gatehouse.engine.ast.Comment;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.Package;
import dev.gatehouse.engine.ast.Rule;
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
    return new Annotations(s, obj.with(StringValue.of("scope"), StringValue.of(s)), b.location);
  }
}
