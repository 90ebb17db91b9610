package dev.gatehouse.engine.builtins.graphql.json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Go types of gqlparser's AST as far as encoding/json sees them: enough to decode a JSON
 * value into them with Go's rules and to name them in Go's error messages.
 */
sealed interface GoType {
  /** The type as reflect prints it, e.g. {@code ast.Type}, {@code []string}. */
  String name();

  record Str(String name) implements GoType {}

  record Bool() implements GoType {
    public String name() { return "bool"; }
  }

  record Int(String name) implements GoType {}

  /** A pointer to a struct; errors name the struct. */
  record Ptr(Struct target) implements GoType {
    public String name() { return target.name(); }
  }

  record Slice(String name, GoType elem) implements GoType {}

  /** A pointer to a type with its own UnmarshalJSON. */
  record Custom(String name, CustomKind kind) implements GoType {}

  enum CustomKind { OPERATION, FIELD, INLINE_FRAGMENT, FRAGMENT_DEFINITION }

  /** A struct: fields in declaration order, matched to JSON keys exactly or case-insensitively. */
  final class Struct implements GoType {
    private final String name;
    private final List<String> order = new ArrayList<>();
    private final Map<String, GoType> fields = new HashMap<>();
    private final Map<String, String> folded = new HashMap<>();

    Struct(String name) {
      this.name = name;
    }

    Struct field(String fieldName, GoType type) {
      order.add(fieldName);
      fields.put(fieldName, type);
      folded.putIfAbsent(fold(fieldName), fieldName);
      return this;
    }

    public String name() {
      return name;
    }

    /** The struct's name without package, as in "Go struct field X.Y". */
    String shortName() {
      return name.substring(name.indexOf('.') + 1);
    }

    /** The field a JSON key decodes into: exact name first, then ignoring case; null if none. */
    String fieldFor(String key) {
      if (fields.containsKey(key)) {
        return key;
      }
      return folded.get(fold(key));
    }

    GoType typeOf(String field) {
      return fields.get(field);
    }

    private static String fold(String s) {
      StringBuilder sb = new StringBuilder(s.length());
      s.codePoints().forEach(cp -> sb.appendCodePoint(Character.toUpperCase(Character.toLowerCase(cp))));
      return sb.toString();
    }
  }
}
