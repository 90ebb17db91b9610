package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_ARRAY;
import static dev.gatehouse.engine.types.Types.ANY_SET;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.NUMBER;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.func;
import static dev.gatehouse.engine.types.Types.setOf;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** String functions; indexes and lengths count Unicode code points, as OPA's do. */
final class Strings {
  private Strings() {}

  static List<Builtin> all() {
    List<Builtin> b = new ArrayList<>();
    b.add(Fn.of("strings", "concat", func(STRING, STRING, any(arrayOf(STRING), setOf(STRING))), (c, a) -> {
      String sep = Args.str(a, 0);
      StringBuilder sb = new StringBuilder();
      boolean first = true;
      Iterable<Value> parts;
      if (a[1] instanceof ArrayValue arr) {
        parts = arr.elements();
      } else if (a[1] instanceof SetValue s) {
        parts = s;
      } else {
        throw BuiltinException.operandType(2, a[1], "set", "array");
      }
      for (Value v : parts) {
        if (!(v instanceof StringValue s)) {
          throw BuiltinException.operandType(2, a[1], "set of strings", "array of strings");
        }
        if (!first) {
          sb.append(sep);
        }
        first = false;
        sb.append(s.value());
      }
      return StringValue.of(sb.toString());
    }));
    b.add(Fn.of("strings", "contains", func(BOOLEAN, STRING, STRING), (c, a) -> BooleanValue.of(Args.str(a, 0).contains(Args.str(a, 1)))));
    b.add(Fn.of("strings", "startswith", func(BOOLEAN, STRING, STRING), (c, a) -> BooleanValue.of(Args.str(a, 0).startsWith(Args.str(a, 1)))));
    b.add(Fn.of("strings", "endswith", func(BOOLEAN, STRING, STRING), (c, a) -> BooleanValue.of(Args.str(a, 0).endsWith(Args.str(a, 1)))));
    b.add(Fn.of("strings", "lower", func(STRING, STRING), (c, a) -> StringValue.of(Args.str(a, 0).toLowerCase(Locale.ROOT))));
    b.add(Fn.of("strings", "upper", func(STRING, STRING), (c, a) -> StringValue.of(Args.str(a, 0).toUpperCase(Locale.ROOT))));
    b.add(Fn.of("strings", "split", func(arrayOf(STRING), STRING, STRING), (c, a) -> split(Args.str(a, 0), Args.str(a, 1), -1)));
    b.add(Fn.of("strings", "replace", func(STRING, STRING, STRING, STRING),
        (c, a) -> StringValue.of(replaceAll(Args.str(a, 0), Args.str(a, 1), Args.str(a, 2)))));
    b.add(Fn.of("strings", "strings.replace_n", func(STRING, ANY, STRING), (c, a) -> {
      var patterns = Args.obj(a, 0);
      String s = Args.str(a, 1);
      List<String[]> pairs = new ArrayList<>();
      for (Value k : patterns.keys()) {
        if (!(k instanceof StringValue ks)) {
          throw BuiltinException.operandType(1, k, "string");
        }
        Value v = patterns.get(k);
        if (!(v instanceof StringValue vs)) {
          throw BuiltinException.operandType(1, v, "string");
        }
        pairs.add(new String[] {ks.value(), vs.value()});
      }
      // Go's strings.NewReplacer: at each position, the first matching pattern in argument order wins
      StringBuilder out = new StringBuilder();
      int i = 0;
      while (i < s.length()) {
        boolean matched = false;
        for (String[] p : pairs) {
          if (!p[0].isEmpty() && s.startsWith(p[0], i)) {
            out.append(p[1]);
            i += p[0].length();
            matched = true;
            break;
          }
        }
        if (!matched) {
          out.append(s.charAt(i++));
        }
      }
      return StringValue.of(out.toString());
    }));
    b.add(Fn.of("strings", "substring", func(STRING, STRING, NUMBER, NUMBER), (c, a) -> {
      String s = Args.str(a, 0);
      int start = Args.integer(a, 1);
      int len = Args.integer(a, 2);
      if (start < 0) {
        throw BuiltinException.error("negative offset");
      }
      int cps = s.codePointCount(0, s.length());
      if (start >= cps) {
        return StringValue.EMPTY;
      }
      int end = len < 0 || start + (long) len > cps ? cps : start + len;
      return StringValue.of(s.substring(s.offsetByCodePoints(0, start), s.offsetByCodePoints(0, end)));
    }));
    b.add(Fn.of("strings", "indexof", func(NUMBER, STRING, STRING), (c, a) -> {
      String s = Args.str(a, 0);
      String sub = Args.str(a, 1);
      int i = s.indexOf(sub);
      return NumberValue.of(i < 0 ? -1 : s.codePointCount(0, i));
    }));
    b.add(Fn.of("strings", "indexof_n", func(arrayOf(NUMBER), STRING, STRING), (c, a) -> {
      String s = Args.str(a, 0);
      String sub = Args.str(a, 1);
      List<Value> out = new ArrayList<>();
      int i = s.indexOf(sub);
      while (i >= 0) {
        out.add(NumberValue.of(s.codePointCount(0, i)));
        i = s.indexOf(sub, i + Math.max(1, sub.length() == 0 ? 1 : 1));
      }
      return ArrayValue.of(out);
    }));
    b.add(Fn.of("strings", "trim", func(STRING, STRING, STRING), (c, a) -> StringValue.of(trimRight(trimLeft(Args.str(a, 0), Args.str(a, 1)), Args.str(a, 1)))));
    b.add(Fn.of("strings", "trim_left", func(STRING, STRING, STRING), (c, a) -> StringValue.of(trimLeft(Args.str(a, 0), Args.str(a, 1)))));
    b.add(Fn.of("strings", "trim_right", func(STRING, STRING, STRING), (c, a) -> StringValue.of(trimRight(Args.str(a, 0), Args.str(a, 1)))));
    b.add(Fn.of("strings", "trim_prefix", func(STRING, STRING, STRING), (c, a) -> {
      String s = Args.str(a, 0);
      String p = Args.str(a, 1);
      return StringValue.of(s.startsWith(p) ? s.substring(p.length()) : s);
    }));
    b.add(Fn.of("strings", "trim_suffix", func(STRING, STRING, STRING), (c, a) -> {
      String s = Args.str(a, 0);
      String p = Args.str(a, 1);
      return StringValue.of(s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s);
    }));
    b.add(Fn.of("strings", "trim_space", func(STRING, STRING), (c, a) -> StringValue.of(Args.str(a, 0).strip())));
    b.add(Fn.of("strings", "strings.reverse", func(STRING, STRING),
        (c, a) -> StringValue.of(new StringBuilder(Args.str(a, 0)).reverse().toString())));
    b.add(Fn.of("strings", "strings.count", func(NUMBER, STRING, STRING), (c, a) -> {
      String s = Args.str(a, 0);
      String sub = Args.str(a, 1);
      if (sub.isEmpty()) {
        return NumberValue.of(s.codePointCount(0, s.length()) + 1);
      }
      int n = 0;
      for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
        n++;
      }
      return NumberValue.of(n);
    }));
    b.add(Fn.of("strings", "strings.any_prefix_match", func(BOOLEAN, any(STRING, arrayOf(STRING), setOf(STRING)), any(STRING, arrayOf(STRING), setOf(STRING))),
        (c, a) -> anyMatch(a, true)));
    b.add(Fn.of("strings", "strings.any_suffix_match", func(BOOLEAN, any(STRING, arrayOf(STRING), setOf(STRING)), any(STRING, arrayOf(STRING), setOf(STRING))),
        (c, a) -> anyMatch(a, false)));
    b.add(Fn.of("strings", "format_int", func(STRING, NUMBER, NUMBER), (c, a) -> {
      NumberValue n = Args.num(a, 0);
      int base = Args.integer(a, 1);
      if (base != 2 && base != 8 && base != 10 && base != 16) {
        throw BuiltinException.error("operand 2 must be one of {2, 8, 10, 16}");
      }
      BigInteger v = n.bigDecimalValue().setScale(0, java.math.RoundingMode.DOWN).toBigInteger();
      return StringValue.of(v.toString(base));
    }));
    b.add(Fn.of("strings", "sprintf", func(STRING, STRING, ANY_ARRAY), (c, a) -> {
      String f = Args.str(a, 0);
      ArrayValue args = Args.arr(a, 1);
      List<Object> goArgs = new ArrayList<>(args.size());
      for (Value v : args.elements()) {
        goArgs.add(goValue(v));
      }
      return StringValue.of(GoFmt.sprintf(f, goArgs));
    }));
    return b;
  }

  /** The Go value OPA's sprintf passes for a Rego value. */
  private static Object goValue(Value v) {
    if (v instanceof NumberValue n) {
      String text = n.text();
      if (text.contains(".") || text.contains("e") || text.contains("E")) {
        return n.doubleValue();
      }
      return n.isLong() ? (Object) n.longValue() : n.bigIntegerValue();
    }
    if (v instanceof StringValue s) {
      return s.value();
    }
    return v.toString();
  }

  private static Value anyMatch(Value[] a, boolean prefix) {
    List<String> ss = stringsOf(a, 0);
    List<String> ps = stringsOf(a, 1);
    for (String s : ss) {
      for (String p : ps) {
        if (prefix ? s.startsWith(p) : s.endsWith(p)) {
          return BooleanValue.TRUE;
        }
      }
    }
    return BooleanValue.FALSE;
  }

  private static List<String> stringsOf(Value[] a, int i) {
    List<String> out = new ArrayList<>();
    Value v = a[i];
    if (v instanceof StringValue s) {
      out.add(s.value());
      return out;
    }
    Iterable<Value> it;
    if (v instanceof ArrayValue arr) {
      it = arr.elements();
    } else if (v instanceof SetValue s) {
      it = s;
    } else {
      throw BuiltinException.operandType(i + 1, v, "string", "set", "array");
    }
    for (Value e : it) {
      if (!(e instanceof StringValue s)) {
        throw BuiltinException.operandType(i + 1, e, "string");
      }
      out.add(s.value());
    }
    return out;
  }

  static Value split(String s, String sep, int n) {
    List<Value> out = new ArrayList<>();
    if (sep.isEmpty()) {
      s.codePoints().forEach(cp -> out.add(StringValue.of(new String(Character.toChars(cp)))));
      return ArrayValue.of(out);
    }
    int from = 0;
    int i;
    while ((i = s.indexOf(sep, from)) >= 0 && (n < 0 || out.size() < n - 1)) {
      out.add(StringValue.of(s.substring(from, i)));
      from = i + sep.length();
    }
    out.add(StringValue.of(s.substring(from)));
    return ArrayValue.of(out);
  }

  /** Go's strings.ReplaceAll, including the empty-pattern case (insert between code points). */
  static String replaceAll(String s, String old, String repl) {
    if (old.isEmpty()) {
      StringBuilder sb = new StringBuilder(repl);
      s.codePoints().forEach(cp -> sb.appendCodePoint(cp).append(repl));
      return sb.toString();
    }
    return s.replace(old, repl);
  }

  private static String trimLeft(String s, String cutset) {
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (cutset.indexOf(cp) < 0) {
        break;
      }
      i += Character.charCount(cp);
    }
    return s.substring(i);
  }

  private static String trimRight(String s, String cutset) {
    int i = s.length();
    while (i > 0) {
      int cp = s.codePointBefore(i);
      if (cutset.indexOf(cp) < 0) {
        break;
      }
      i -= Character.charCount(cp);
    }
    return s.substring(0, i);
  }
}
