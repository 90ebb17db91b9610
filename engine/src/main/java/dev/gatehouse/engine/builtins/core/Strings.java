package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.builtins.core.Def.def;
import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_ARRAY;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.NUMBER;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.objectOf;
import static dev.gatehouse.engine.types.Types.setOf;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * String functions. Positions and lengths count Unicode code points, as OPA's do; case mapping,
 * white space and replacement follow Go's strings package.
 */
final class Strings {
  private Strings() {}

  static List<Builtin> all() {
    return List.of(
        def("concat", "Joins a set or array of strings with a delimiter.")
            .categories("strings")
            .arg("delimiter", "string to use as a delimiter", STRING)
            .arg("collection", "strings to join", any(arrayOf(STRING), setOf(STRING)))
            .returns("output", "the joined string", STRING)
            .impl(Strings::concat),
        def("contains", "Returns `true` if the search string is included in the base string")
            .categories("strings")
            .arg("haystack", "string to search in", STRING)
            .arg("needle", "substring to look for", STRING)
            .returns("result", "result of the containment check", BOOLEAN)
            .impl((c, a) -> BooleanValue.of(Args.str(a, 0).contains(Args.str(a, 1)))),
        def("endswith", "Returns true if the search string ends with the base string.")
            .categories("strings")
            .arg("search", "search string", STRING)
            .arg("base", "base string", STRING)
            .returns("result", "result of the suffix check", BOOLEAN)
            .impl((c, a) -> BooleanValue.of(Args.str(a, 0).endsWith(Args.str(a, 1)))),
        def("format_int", "Returns the string representation of the number in the given base after rounding it down "
                + "to an integer value.")
            .categories("strings")
            .arg("number", "number to format", NUMBER)
            .arg("base", "base of number representation to use", NUMBER)
            .returns("output", "formatted number", STRING)
            .impl(Strings::formatInt),
        def("indexof", "Returns the index of a substring contained inside a string.")
            .categories("strings")
            .arg("haystack", "string to search in", STRING)
            .arg("needle", "substring to look for", STRING)
            .returns("output", "index of first occurrence, `-1` if not found", NUMBER)
            .impl(Strings::indexOf),
        def("indexof_n", "Returns a list of all the indexes of a substring contained inside a string.")
            .categories("strings")
            .arg("haystack", "string to search in", STRING)
            .arg("needle", "substring to look for", STRING)
            .returns("output", "all indices at which `needle` occurs in `haystack`, may be empty", arrayOf(NUMBER))
            .impl(Strings::indexOfN),
        def("lower", "Returns the input string but with all characters in lower-case.")
            .categories("strings")
            .arg("x", "string that is converted to lower-case", STRING)
            .returns("y", "lower-case of x", STRING)
            .impl((c, a) -> StringValue.of(lower(Args.str(a, 0)))),
        def("replace", "Replace replaces all instances of a sub-string.")
            .categories("strings")
            .arg("x", "string being processed", STRING)
            .arg("old", "substring to replace", STRING)
            .arg("new", "string to replace `old` with", STRING)
            .returns("y", "string with replaced substrings", STRING)
            .impl(Strings::replace),
        def("split", "Split returns an array containing elements of the input string split on a delimiter.")
            .categories("strings")
            .arg("x", "string that is split", STRING)
            .arg("delimiter", "delimiter used for splitting", STRING)
            .returns("ys", "split parts", arrayOf(STRING))
            .impl(Strings::split),
        def("sprintf", "Returns the given string, formatted.")
            .categories("strings")
            .arg("format", "string with formatting verbs", STRING)
            .arg("values", "arguments to format into formatting verbs", ANY_ARRAY)
            .returns("output", "`format` formatted by the values in `values`", STRING)
            .impl(Strings::sprintf),
        def("startswith", "Returns true if the search string begins with the base string.")
            .categories("strings")
            .arg("search", "search string", STRING)
            .arg("base", "base string", STRING)
            .returns("result", "result of the prefix check", BOOLEAN)
            .impl((c, a) -> BooleanValue.of(Args.str(a, 0).startsWith(Args.str(a, 1)))),
        def("strings.any_prefix_match", "Returns true if any of the search strings begins with any of the base strings.")
            .categories("strings")
            .arg("search", "search string(s)", any(STRING, arrayOf(STRING), setOf(STRING)))
            .arg("base", "base string(s)", any(STRING, arrayOf(STRING), setOf(STRING)))
            .returns("result", "result of the prefix check", BOOLEAN)
            .impl((c, a) -> anyAffixMatch(a, false)),
        def("strings.any_suffix_match", "Returns true if any of the search strings ends with any of the base strings.")
            .categories("strings")
            .arg("search", "search string(s)", any(STRING, arrayOf(STRING), setOf(STRING)))
            .arg("base", "base string(s)", any(STRING, arrayOf(STRING), setOf(STRING)))
            .returns("result", "result of the suffix check", BOOLEAN)
            .impl((c, a) -> anyAffixMatch(a, true)),
        def("strings.count", "Returns the number of non-overlapping instances of a substring in a string.")
            .categories("strings")
            .arg("search", "string to search in", STRING)
            .arg("substring", "substring to look for", STRING)
            .returns("output", "count of occurrences, `0` if not found", NUMBER)
            .impl(Strings::count),
        def("strings.render_template", "Renders a templated string with given template variables injected. For a given templated "
                + "string and key/value mapping, values will be injected into the template where they are "
                + "referenced by key.\n\tFor examples of templating syntax, see "
                + "https://pkg.go.dev/text/template")
            .categories("strings")
            .arg("value", "a templated string", STRING)
            .arg("vars", "a mapping of template variable keys to values", objectOf(STRING, ANY))
            .returns("result", "rendered template with template variables injected", STRING)
            .impl(GoTemplate::render),
        def("strings.replace_n", "Replaces a string from a list of old, new string pairs.\nReplacements are performed in the "
                + "order they appear in the target string, without overlapping matches.\nThe old string "
                + "comparisons are done in argument order.")
            .arg("patterns", "replacement pairs", objectOf(STRING, STRING))
            .arg("value", "string to replace substring matches in", STRING)
            .returns("output", "string with replaced substrings", STRING)
            .impl(Strings::replaceN),
        def("strings.reverse", "Reverses a given string.")
            .categories("strings")
            .arg("x", "string to reverse", STRING)
            .returns("y", "reversed string", STRING)
            .impl(Strings::reverse),
        def("strings.split_n", "Returns an array of at most `n` parts of `x` split on `delimiter`. If `n` is positive, "
                + "returns the first `n` parts. If `n` is negative, returns the last `abs(n)` parts. If `n` "
                + "is zero, returns an empty array. If `abs(n)` exceeds the number of parts, all parts are "
                + "returned.")
            .categories("strings")
            .arg("x", "string that is split", STRING)
            .arg("delimiter", "delimiter used for splitting", STRING)
            .arg("n", "number of parts to return; positive selects from the left, negative from the right, zero "
                + "returns an empty array", NUMBER)
            .returns("ys", "split parts", arrayOf(STRING))
            .impl(Strings::splitN),
        def("substring", "Returns the  portion of a string for a given `offset` and a `length`.  If `length < 0`, "
                + "`output` is the remainder of the string.")
            .categories("strings")
            .arg("value", "string to extract substring from", STRING)
            .arg("offset", "offset, must be positive", NUMBER)
            .arg("length", "length of the substring starting from `offset`", NUMBER)
            .returns("output", "substring of `value` from `offset`, of length `length`", STRING)
            .impl(Strings::substring),
        def("trim", "Returns `value` with all leading or trailing instances of the `cutset` characters removed.")
            .categories("strings")
            .arg("value", "string to trim", STRING)
            .arg("cutset", "string of characters that are cut off", STRING)
            .returns("output", "string trimmed of `cutset` characters", STRING)
            .impl((c, a) -> StringValue.of(trimRight(trimLeft(Args.str(a, 0), Args.str(a, 1)), Args.str(a, 1)))),
        def("trim_left", "Returns `value` with all leading instances of the `cutset` characters removed.")
            .categories("strings")
            .arg("value", "string to trim", STRING)
            .arg("cutset", "string of characters that are cut off on the left", STRING)
            .returns("output", "string left-trimmed of `cutset` characters", STRING)
            .impl((c, a) -> StringValue.of(trimLeft(Args.str(a, 0), Args.str(a, 1)))),
        def("trim_prefix", "Returns `value` without the prefix. If `value` doesn't start with `prefix`, it is returned "
                + "unchanged.")
            .categories("strings")
            .arg("value", "string to trim", STRING)
            .arg("prefix", "prefix to cut off", STRING)
            .returns("output", "string with `prefix` cut off", STRING)
            .impl(Strings::trimPrefix),
        def("trim_right", "Returns `value` with all trailing instances of the `cutset` characters removed.")
            .categories("strings")
            .arg("value", "string to trim", STRING)
            .arg("cutset", "string of characters that are cut off on the right", STRING)
            .returns("output", "string right-trimmed of `cutset` characters", STRING)
            .impl((c, a) -> StringValue.of(trimRight(Args.str(a, 0), Args.str(a, 1)))),
        def("trim_space", "Return the given string with all leading and trailing white space removed.")
            .categories("strings")
            .arg("value", "string to trim", STRING)
            .returns("output", "string leading and trailing white space cut off", STRING)
            .impl((c, a) -> StringValue.of(trimSpace(Args.str(a, 0)))),
        def("trim_suffix", "Returns `value` without the suffix. If `value` doesn't end with `suffix`, it is returned "
                + "unchanged.")
            .categories("strings")
            .arg("value", "string to trim", STRING)
            .arg("suffix", "suffix to cut off", STRING)
            .returns("output", "string with `suffix` cut off", STRING)
            .impl(Strings::trimSuffix),
        def("upper", "Returns the input string but with all characters in upper-case.")
            .categories("strings")
            .arg("x", "string that is converted to upper-case", STRING)
            .returns("y", "upper-case of x", STRING)
            .impl((c, a) -> StringValue.of(upper(Args.str(a, 0)))));
  }

  private static Value concat(BuiltinContext c, Value[] a) {
    String sep = Args.str(a, 0);
    Iterable<Value> parts;
    int size;
    if (a[1] instanceof ArrayValue arr) {
      parts = arr.elements();
      size = arr.size();
    } else if (a[1] instanceof SetValue s) {
      parts = s;
      size = s.size();
    } else {
      throw BuiltinException.operandType(2, a[1], "set", "array");
    }
    if (size == 0) {
      return StringValue.EMPTY;
    }
    StringBuilder sb = new StringBuilder();
    boolean first = true;
    for (Value v : parts) {
      if (!(v instanceof StringValue s)) {
        throw Args.elementType(2, a[1], v, "string");
      }
      if (size == 1) {
        return v;
      }
      if (!first) {
        sb.append(sep);
      }
      first = false;
      sb.append(s.value());
    }
    return StringValue.of(sb.toString());
  }

  private static Value formatInt(BuiltinContext c, Value[] a) {
    NumberValue n = Args.num(a, 0);
    NumberValue base = Args.num(a, 1);
    int radix;
    switch (base.text()) {
      case "2" -> radix = 2;
      case "8" -> radix = 8;
      case "10" -> radix = 10;
      case "16" -> radix = 16;
      default -> throw BuiltinException.typeError("operand 2 must be one of {2, 8, 10, 16}");
    }
    BigInteger v;
    if (Arith.isPlain(n.text())) {
      v = n.bigIntegerValue();
    } else {
      // through a 64-bit big.Float, truncated toward zero
      v = Arith.toFloat(n).setScale(0, RoundingMode.DOWN).toBigInteger();
    }
    return StringValue.of(v.toString(radix));
  }

  private static Value indexOf(BuiltinContext c, Value[] a) {
    String s = Args.str(a, 0);
    String sub = Args.str(a, 1);
    if (sub.isEmpty()) {
      throw BuiltinException.error("empty search character");
    }
    int i = s.indexOf(sub);
    return NumberValue.of(i < 0 ? -1 : s.codePointCount(0, i));
  }

  private static Value indexOfN(BuiltinContext c, Value[] a) {
    String s = Args.str(a, 0);
    String sub = Args.str(a, 1);
    if (sub.isEmpty()) {
      throw BuiltinException.error("empty search character");
    }
    List<Value> out = new ArrayList<>();
    int cps = 0;
    int last = 0;
    // overlapping matches: the search resumes one code point after each match
    for (int i = s.indexOf(sub); i >= 0; ) {
      cps += s.codePointCount(last, i);
      last = i;
      out.add(NumberValue.of(cps));
      int next = i + Character.charCount(s.codePointAt(i));
      i = s.indexOf(sub, next);
    }
    return ArrayValue.of(out);
  }

  private static Value substring(BuiltinContext c, Value[] a) {
    String s = Args.str(a, 0);
    long start = Args.intOperand(a, 1);
    long len = Args.intOperand(a, 2);
    if (start < 0) {
      throw BuiltinException.error("negative offset");
    }
    int cps = s.codePointCount(0, s.length());
    if (start >= cps) {
      return StringValue.EMPTY;
    }
    if (start == 0 && (len < 0 || len >= cps)) {
      return a[0];
    }
    int from = s.offsetByCodePoints(0, (int) start);
    if (len < 0 || len >= cps - start) {
      return StringValue.of(s.substring(from));
    }
    return StringValue.of(s.substring(from, s.offsetByCodePoints(from, (int) len)));
  }

  private static Value count(BuiltinContext c, Value[] a) {
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
  }

  private static Value split(BuiltinContext c, Value[] a) {
    String s = Args.str(a, 0);
    String sep = Args.str(a, 1);
    if (!s.contains(sep)) {
      return ArrayValue.of(a[0]);
    }
    List<String> parts = goSplit(s, sep, -1);
    List<Value> out = new ArrayList<>(parts.size());
    for (String p : parts) {
      out.add(StringValue.of(p));
    }
    return ArrayValue.of(out);
  }

  private static Value splitN(BuiltinContext c, Value[] a) {
    String s = Args.str(a, 0);
    String sep = Args.str(a, 1);
    long n = Args.intOperand(a, 2);
    List<String> parts;
    if (n >= 0) {
      long limit = n + 1;
      List<String> all = goSplit(s, sep, limit > Integer.MAX_VALUE ? -1 : (int) limit);
      parts = all.subList(0, (int) Math.min(n, all.size()));
    } else {
      List<String> all = goSplit(s, sep, -1);
      long start = Math.max(all.size() + n, 0);
      parts = all.subList((int) start, all.size());
    }
    List<Value> out = new ArrayList<>(parts.size());
    for (String p : parts) {
      out.add(StringValue.of(p));
    }
    return ArrayValue.of(out);
  }

  /** Go's strings.SplitN: n < 0 means all parts; an empty separator splits into code points. */
  static List<String> goSplit(String s, String sep, int n) {
    List<String> out = new ArrayList<>();
    if (n == 0) {
      return out;
    }
    if (sep.isEmpty()) {
      int i = 0;
      while (i < s.length() && (n < 0 || out.size() < n - 1)) {
        int len = Character.charCount(s.codePointAt(i));
        out.add(s.substring(i, i + len));
        i += len;
      }
      if (i < s.length()) {
        out.add(s.substring(i));
      }
      return out;
    }
    int from = 0;
    int i;
    while ((n < 0 || out.size() < n - 1) && (i = s.indexOf(sep, from)) >= 0) {
      out.add(s.substring(from, i));
      from = i + sep.length();
    }
    out.add(s.substring(from));
    return out;
  }

  private static Value replace(BuiltinContext c, Value[] a) {
    String s = Args.str(a, 0);
    String old = Args.str(a, 1);
    String repl = Args.str(a, 2);
    String r = old.isEmpty() ? replacePairs(s, List.<String[]>of(new String[] {old, repl})) : s.replace(old, repl);
    return r.equals(s) ? a[0] : StringValue.of(r);
  }

  private static Value replaceN(BuiltinContext c, Value[] a) {
    ObjectValue patterns = Args.obj(a, 0);
    String s = Args.str(a, 1);
    List<String[]> pairs = new ArrayList<>();
    for (Value k : patterns.keys()) {
      if (!(k instanceof StringValue ks)) {
        throw BuiltinException.typeError("operand 1 non-string key found in pattern object");
      }
      if (!(patterns.get(k) instanceof StringValue vs)) {
        throw BuiltinException.typeError("operand 1 non-string value found in pattern object");
      }
      pairs.add(new String[] {ks.value(), vs.value()});
    }
    return StringValue.of(replacePairs(s, pairs));
  }

  /**
   * Go's strings.Replacer: at each position the first pair (in order) whose old string matches
   * wins; no overlapping matches. An empty old string matches between any two bytes of the UTF-8
   * text, so inside a multi-byte character Go splits it into bytes that are no longer valid
   * UTF-8; each such byte reads back as U+FFFD, which is what we produce.
   */
  static String replacePairs(String s, List<String[]> pairs) {
    String emptyValue = null;
    for (String[] p : pairs) {
      if (p[0].isEmpty()) {
        emptyValue = p[1];
        break;
      }
    }
    StringBuilder out = new StringBuilder(s.length());
    boolean prevMatchEmpty = false;
    int n = s.length();
    int i = 0;
    while (i <= n) {
      String[] match = null;
      for (String[] p : pairs) {
        if (p[0].isEmpty() ? !prevMatchEmpty : s.startsWith(p[0], i)) {
          match = p;
          break;
        }
      }
      prevMatchEmpty = match != null && match[0].isEmpty();
      if (match != null) {
        out.append(match[1]);
        i += match[0].length();
        continue;
      }
      if (i == n) {
        break;
      }
      int cp = s.codePointAt(i);
      int bytes = utf8Length(cp);
      if (emptyValue != null && bytes > 1 && !emptyValue.isEmpty()) {
        out.append('\uFFFD');
        for (int b = 1; b < bytes; b++) {
          out.append(emptyValue).append('\uFFFD');
        }
      } else {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /** The UTF-8 length in bytes of s[0:end]. */
  static int utf8Length(String s, int end) {
    int n = 0;
    for (int i = 0; i < end; ) {
      int cp = s.codePointAt(i);
      n += utf8Length(cp);
      i += Character.charCount(cp);
    }
    return n;
  }

  static int utf8Length(int cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }

  private static Value reverse(BuiltinContext c, Value[] a) {
    String s = Args.str(a, 0);
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = s.length(); i > 0; ) {
      int cp = s.codePointBefore(i);
      sb.appendCodePoint(cp);
      i -= Character.charCount(cp);
    }
    return StringValue.of(sb.toString());
  }

  private static Value trimPrefix(BuiltinContext c, Value[] a) {
    String s = Args.str(a, 0);
    String p = Args.str(a, 1);
    return s.startsWith(p) && !p.isEmpty() ? StringValue.of(s.substring(p.length())) : a[0];
  }

  private static Value trimSuffix(BuiltinContext c, Value[] a) {
    String s = Args.str(a, 0);
    String p = Args.str(a, 1);
    return s.endsWith(p) && !p.isEmpty() ? StringValue.of(s.substring(0, s.length() - p.length())) : a[0];
  }

  static String trimLeft(String s, String cutset) {
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

  static String trimRight(String s, String cutset) {
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

  /** Go's strings.TrimSpace: Unicode White_Space, not Java's idea of white space. */
  static String trimSpace(String s) {
    int i = 0;
    while (i < s.length() && isGoSpace(s.codePointAt(i))) {
      i += Character.charCount(s.codePointAt(i));
    }
    int j = s.length();
    while (j > i && isGoSpace(s.codePointBefore(j))) {
      j -= Character.charCount(s.codePointBefore(j));
    }
    return s.substring(i, j);
  }

  /** Go's unicode.IsSpace. */
  static boolean isGoSpace(int cp) {
    if (cp <= 0xFF) {
      return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0;
    }
    return cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
        || cp == 0x205F || cp == 0x3000;
  }

  /** Go's strings.ToLower: the simple per-character mapping (no context, no expansion). */
  static String lower(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int lc = Character.toLowerCase(cp);
      if (lc != cp && sb == null) {
        sb = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (sb != null) {
        sb.appendCodePoint(lc);
      }
      i += Character.charCount(cp);
    }
    return sb == null ? s : sb.toString();
  }

  /** Go's strings.ToUpper: the simple per-character mapping ("ß" stays "ß"). */
  static String upper(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int uc = Character.toUpperCase(cp);
      if (uc != cp && sb == null) {
        sb = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (sb != null) {
        sb.appendCodePoint(uc);
      }
      i += Character.charCount(cp);
    }
    return sb == null ? s : sb.toString();
  }

  private static Value anyAffixMatch(Value[] a, boolean suffix) {
    List<String> search;
    if (a[0] instanceof StringValue s) {
      search = List.of(s.value());
    } else if (a[0] instanceof ArrayValue || a[0] instanceof SetValue) {
      search = Args.strings(a, 0);
    } else {
      throw BuiltinException.operandType(1, a[0], "string", "set", "array");
    }
    List<String> bases;
    if (a[1] instanceof StringValue s) {
      bases = List.of(s.value());
    } else if (a[1] instanceof ArrayValue || a[1] instanceof SetValue) {
      bases = Args.strings(a, 1);
    } else {
      throw BuiltinException.operandType(2, a[1], "string", "set", "array");
    }
    for (String s : search) {
      for (String b : bases) {
        if (suffix ? s.endsWith(b) : s.startsWith(b)) {
          return BooleanValue.TRUE;
        }
      }
    }
    return BooleanValue.FALSE;
  }

  private static Value sprintf(BuiltinContext c, Value[] a) {
    String f = Args.str(a, 0);
    ArrayValue values = Args.arr(a, 1);
    List<Object> args = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      args.add(goArg(values.get(i)));
    }
    return StringValue.of(GoFmt.sprintf(f, args));
  }

  /** The Go value OPA hands fmt.Sprintf for a Rego value. */
  static Object goArg(Value v) {
    if (v instanceof StringValue s) {
      return s.value();
    }
    if (v instanceof NumberValue n) {
      String text = n.text();
      if (!Arith.isPlain(text)) {
        double d = n.doubleValue();
        // json.Number.Float64 fails out of range; OPA then passes the text itself
        return Double.isInfinite(d) ? text : d;
      }
      if (n.isLong()) {
        return n.longValue();
      }
      return n.bigIntegerValue();
    }
    return RegoText.of(v);
  }
}
