package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.MalformedAstException;
import dev.gatehouse.engine.builtins.graphql.ast.ChildValue;
import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.DefinitionKind;
import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.EnumValueDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FieldDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.TypeRef;
import dev.gatehouse.engine.builtins.graphql.ast.ValueKind;
import dev.gatehouse.engine.builtins.graphql.ast.ValueNode;
import dev.gatehouse.engine.builtins.graphql.ast.VariableDefinition;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Literal values must fit the type expected where they appear (built-in scalars, enums, input objects). */
final class ValuesOfCorrectType implements Rule {
  private static final Pattern GO_INT = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern GO_DECIMAL_FLOAT = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern GO_SPECIAL_FLOAT = Pattern.compile("[+-]?(inf|infinity)|nan", Pattern.CASE_INSENSITIVE);

  @Override
  public void onValue(Walker w, ValueNode value) {
    Annotations.ValueInfo info = w.notes.of(value);
    Definition def = info.definition;
    TypeRef expected = info.expectedType;
    if (def == null || expected == null) {
      return;
    }
    ValueKind kind = value.kind();
    if (kind == null) {
      throw new MalformedAstException("unknown value kind " + value.kindNumber());
    }
    if (kind == ValueKind.NULL && expected.nonNull()) {
      w.report("Expected value of type \"" + expected + "\", found " + value + ".", value.position());
    }
    if (def.kind().equals(DefinitionKind.SCALAR) && !def.nameIsOneOf("Int", "Float", "String", "Boolean", "ID")) {
      return; // custom scalars validate themselves
    }
    List<String> enums = new ArrayList<>();
    if (def.kind().equals(DefinitionKind.ENUM)) {
      for (EnumValueDefinition v : def.enumValues()) {
        enums.add(v.name());
      }
    }
    if (!convertible(w, value)) {
      w.report(unexpectedType(value, info), value.position());
    }
    switch (kind) {
      case NULL, VARIABLE -> { }
      case LIST -> {
        if (expected.elem() == null) {
          w.report(unexpectedType(value, info), value.position());
        }
      }
      case INT -> {
        if (!def.nameIsOneOf("Int", "Float", "ID")) {
          w.report(unexpectedType(value, info), value.position());
        }
      }
      case FLOAT -> {
        if (!def.nameIsOneOf("Float")) {
          w.report(unexpectedType(value, info), value.position());
        }
      }
      case STRING, BLOCK -> {
        if (def.kind().equals(DefinitionKind.ENUM)) {
          w.report("Enum \"" + expected + "\" cannot represent non-enum value: " + value + "."
              + Suggestions.quoted("Did you mean the enum value", value.raw(), enums), value.position());
        } else if (!def.nameIsOneOf("String", "ID")) {
          w.report(unexpectedType(value, info), value.position());
        }
      }
      case ENUM -> {
        if (!def.kind().equals(DefinitionKind.ENUM)) {
          w.report(unexpectedType(value, info) + Suggestions.unquoted("Did you mean the enum value", value.raw(), enums),
              value.position());
        } else if (def.enumValue(value.raw()) == null) {
          w.report("Value \"" + value + "\" does not exist in \"" + expected + "\" enum."
              + Suggestions.quoted("Did you mean the enum value", value.raw(), enums), value.position());
        }
      }
      case BOOLEAN -> {
        if (!def.nameIsOneOf("Boolean")) {
          w.report(unexpectedType(value, info), value.position());
        }
      }
      case OBJECT -> checkObject(w, value, def);
      default -> throw new IllegalStateException(kind.toString());
    }
  }

  private static void checkObject(Walker w, ValueNode value, Definition def) {
    for (FieldDefinition field : def.fields()) {
      if (field.type().nonNull() && value.child(field.name()) == null && field.defaultValue() == null) {
        w.report("Field \"" + def.name() + "." + field.name() + "\" of required type \"" + field.type()
            + "\" was not provided.", value.position());
      }
    }
    for (Directive d : def.directives()) {
      if (!d.name().equals("oneOf")) {
        continue;
      }
      if (value.children().size() != 1) {
        w.report("OneOf Input Object \"" + def.name() + "\" must specify exactly one key.", value.position());
        continue;
      }
      ValueNode fieldValue = value.children().get(0).value();
      if (fieldValue.kindNumber() == ValueKind.NULL.ordinal()) {
        if (def.fields().isEmpty()) {
          throw new MalformedAstException("OneOf input object \"" + def.name() + "\" has no fields");
        }
        w.report("Field \"" + def.name() + "." + def.fields().get(0).name() + "\" must be non-null.", fieldValue.position());
      }
    }
    List<String> names = new ArrayList<>();
    for (FieldDefinition f : def.fields()) {
      names.add(f.name());
    }
    for (ChildValue child : value.children()) {
      if (w.schema.field(def, child.name()) == null) {
        w.report("Field \"" + child.name() + "\" is not defined by type \"" + def.name() + "\"."
            + Suggestions.quoted("Did you mean", child.name(), names), child.position());
      }
    }
  }

  /**
   * Whether gqlparser can turn the literal into a Go value (no variables are supplied): integers
   * must fit 64 bits, floats must be in range, booleans must read as Go booleans, and lists and
   * objects must hold such values (object fields bound to unset variables are skipped).
   */
  private static boolean convertible(Walker w, ValueNode v) {
    ValueKind kind = v.kind();
    if (kind == null) {
      throw new MalformedAstException("unknown value kind " + v.kindNumber());
    }
    switch (kind) {
      case VARIABLE -> {
        VariableDefinition var = w.notes.of(v).variableDefinition;
        return var == null || var.defaultValue() == null || convertible(w, var.defaultValue());
      }
      case INT -> {
        return GO_INT.matcher(v.raw()).matches() && fitsLong(v.raw());
      }
      case FLOAT -> {
        return parsesAsGoFloat(v.raw());
      }
      case BOOLEAN -> {
        return switch (v.raw()) {
          case "1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False" -> true;
          default -> false;
        };
      }
      case LIST -> {
        for (ChildValue c : v.children()) {
          if (!convertible(w, c.value())) {
            return false;
          }
        }
        return true;
      }
      case OBJECT -> {
        for (ChildValue c : v.children()) {
          if (isUnsetVariable(w, c.value())) {
            continue;
          }
          if (!convertible(w, c.value())) {
            return false;
          }
        }
        return true;
      }
      default -> {
        return true;
      }
    }
  }

  private static boolean isUnsetVariable(Walker w, ValueNode v) {
    if (v.kindNumber() != ValueKind.VARIABLE.ordinal()) {
      return false;
    }
    VariableDefinition var = w.notes.of(v).variableDefinition;
    return var == null || var.defaultValue() == null;
  }

  private static boolean fitsLong(String digits) {
    try {
      new BigInteger(digits.startsWith("+") ? digits.substring(1) : digits).longValueExact();
      return true;
    } catch (ArithmeticException | NumberFormatException e) {
      return false;
    }
  }

  /** strconv.ParseFloat(s, 64) succeeds: decimal syntax and not out of range, or inf/nan spelled out. */
  static boolean parsesAsGoFloat(String s) {
    if (GO_SPECIAL_FLOAT.matcher(s).matches()) {
      return true;
    }
    if (!GO_DECIMAL_FLOAT.matcher(s).matches()) {
      return false;
    }
    String plain = s.startsWith("+") ? s.substring(1) : s;
    try {
      return !Double.isInfinite(new BigDecimal(plain).doubleValue());
    } catch (NumberFormatException e) {
      // an exponent beyond BigDecimal's range: Go overflows (error) or underflows to zero (no error)
      return s.matches(".*[eE]-.*");
    }
  }

  /** The type-specific "cannot represent" message for a value of the wrong kind. */
  private static String unexpectedType(ValueNode v, Annotations.ValueInfo info) {
    String expected = info.expectedType.toString();
    return switch (expected) {
      case "Int", "Int!" -> GO_INT.matcher(v.raw()).matches() && !fitsInt(v.raw())
          ? "Int cannot represent non 32-bit signed integer value: " + v
          : "Int cannot represent non-integer value: " + v;
      case "String", "String!", "[String]" -> "String cannot represent a non string value: " + v;
      case "Boolean", "Boolean!" -> "Boolean cannot represent a non boolean value: " + v;
      case "Float", "Float!" -> "Float cannot represent non numeric value: " + v;
      case "ID", "ID!" -> "ID cannot represent a non-string and non-integer value: " + v;
      default -> info.definition.kind().equals(DefinitionKind.ENUM)
          ? "Enum \"" + expected + "\" cannot represent non-enum value: " + v + "."
          : "Expected value of type \"" + expected + "\", found " + v + ".";
    };
  }

  private static boolean fitsInt(String digits) {
    BigInteger n = new BigInteger(digits.startsWith("+") ? digits.substring(1) : digits);
    return n.bitLength() < 32;
  }
}
