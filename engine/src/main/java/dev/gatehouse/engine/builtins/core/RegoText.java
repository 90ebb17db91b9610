package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;

/**
 * A value as OPA's {@code ast.Value.String()} prints it (what sprintf shows for composite
 * values): Rego syntax with strings quoted by Go's strconv.Quote, objects and sets in sorted
 * order, the empty set as {@code set()}.
 */
final class RegoText {
  private RegoText() {}

  static String of(Value v) {
    StringBuilder sb = new StringBuilder();
    write(sb, v);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Value v) {
    if (v instanceof StringValue s) {
      sb.append(GoFmt.quote(s.value(), false));
    } else if (v instanceof NumberValue n) {
      sb.append(n.text());
    } else if (v instanceof BooleanValue b) {
      sb.append(b.value());
    } else if (v instanceof NullValue) {
      sb.append("null");
    } else if (v instanceof ArrayValue a) {
      sb.append('[');
      for (int i = 0; i < a.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        write(sb, a.get(i));
      }
      sb.append(']');
    } else if (v instanceof SetValue s) {
      if (s.isEmpty()) {
        sb.append("set()");
        return;
      }
      sb.append('{');
      boolean first = true;
      for (Value m : s) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        write(sb, m);
      }
      sb.append('}');
    } else if (v instanceof ObjectValue o) {
      sb.append('{');
      boolean[] first = {true};
      o.forEach((k, val) -> {
        if (!first[0]) {
          sb.append(", ");
        }
        first[0] = false;
        write(sb, k);
        sb.append(": ");
        write(sb, val);
      });
      sb.append('}');
    }
  }
}
