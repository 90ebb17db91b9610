package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.builtins.core.Def.def;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.NULL;
import static dev.gatehouse.engine.types.Types.NUMBER;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;

import com.google.re2j.Pattern;
import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Regular expressions (RE2 through RE2/J, Go's match semantics) and globs. */
final class Patterns {
  private Patterns() {}

  static List<Builtin> all() {
    return List.of(
        def("regex.match", "Matches a string against a regular expression.")
            .arg("pattern", "regular expression", STRING)
            .arg("value", "value to match against `pattern`", STRING)
            .returns("result", "true if `value` matches `pattern`", BOOLEAN)
            .impl((c, a) -> BooleanValue.of(Regexes.compile(Args.str(a, 0)).matcher(Args.str(a, 1)).find())),
        def("re_match")
            .arg(STRING)
            .arg(STRING)
            .returns(BOOLEAN)
            .deprecated()
            .impl((c, a) -> BooleanValue.of(Regexes.compile(Args.str(a, 0)).matcher(Args.str(a, 1)).find())),
        def("regex.is_valid", "Checks if a string is a valid regular expression: the detailed syntax for patterns is "
                + "defined by https://github.com/google/re2/wiki/Syntax.")
            .arg("pattern", "regular expression", STRING)
            .returns("result", "true if `pattern` is a valid regular expression", BOOLEAN)
            .impl((c, a) -> BooleanValue.of(a[0] instanceof StringValue s && Regexes.isValid(s.value()))),
        def("regex.split", "Splits the input string by the occurrences of the given pattern.")
            .arg("pattern", "regular expression", STRING)
            .arg("value", "string to match", STRING)
            .returns("output", "the parts obtained by splitting `value`", arrayOf(STRING))
            .impl(Patterns::split),
        def("regex.find_n", "Returns the specified number of matches when matching the input against the pattern.")
            .arg("pattern", "regular expression", STRING)
            .arg("value", "string to match", STRING)
            .arg("number", "number of matches to return, if `-1`, returns all matches", NUMBER)
            .returns("output", "collected matches", arrayOf(STRING))
            .impl(Patterns::findN),
        def("regex.find_all_string_submatch_n", "Returns all successive matches of the expression.")
            .arg("pattern", "regular expression", STRING)
            .arg("value", "string to match", STRING)
            .arg("number", "number of matches to return; `-1` means all matches", NUMBER)
            .returns("output", "array of all matches", arrayOf(arrayOf(STRING)))
            .impl(Patterns::findAllSubmatch),
        def("regex.replace", "Find and replaces the text using the regular expression pattern.")
            .arg("s", "string being processed", STRING)
            .arg("pattern", "regex pattern to be applied", STRING)
            .arg("value", "regex value", STRING)
            .returns("output", "string with replaced substrings", STRING)
            .impl(Patterns::replace),
        def("regex.template_match", "Matches a string against a pattern, where the pattern may be glob-like")
            .arg("template", "template expression containing `0..n` regular expressions", STRING)
            .arg("value", "string to match", STRING)
            .arg("delimiter_start", "start delimiter of the regular expression in `template`", STRING)
            .arg("delimiter_end", "end delimiter of the regular expression in `template`", STRING)
            .returns("result", "true if `value` matches the `template`", BOOLEAN)
            .impl(Patterns::templateMatch),
        def("regex.globs_match", "Checks if the intersection of two glob-style regular expressions matches a non-empty set "
                + "of non-empty strings.\nThe set of regex symbols is limited for this builtin: only `.`, "
                + "`*`, `+`, `[`, `-`, `]` and `\\` are treated as special symbols.")
            .arg("glob1", "first glob-style regular expression", STRING)
            .arg("glob2", "second glob-style regular expression", STRING)
            .returns("result", "true if the intersection of `glob1` and `glob2` matches a non-empty set of non-empty "
                + "strings", BOOLEAN)
            .impl((c, a) -> BooleanValue.of(GlobIntersection.nonEmpty(Args.str(a, 0), Args.str(a, 1)))),
        def("glob.match", "Parses and matches strings against the glob notation. Not to be confused with "
                + "`regex.globs_match`.")
            .arg("pattern", "glob pattern", STRING)
            .arg("delimiters", "glob pattern delimiters, e.g. `[\".\", \":\"]`, defaults to `[\".\"]` if unset. If "
                + "`delimiters` is `null`, glob match without delimiter.", any(NULL, arrayOf(STRING)))
            .arg("match", "string to match against `pattern`", STRING)
            .returns("result", "true if `match` can be found in `pattern` which is separated by `delimiters`", BOOLEAN)
            .impl(Patterns::globMatch),
        def("glob.quote_meta", "Returns a string which represents a version of the pattern where all asterisks have been "
                + "escaped.")
            .arg("pattern", "glob pattern", STRING)
            .returns("output", "the escaped string of `pattern`", STRING)
            .impl((c, a) -> StringValue.of(GlobPattern.quoteMeta(Args.str(a, 0)))));
  }

  private static Value split(BuiltinContext c, Value[] a) {
    Pattern p = Regexes.compile(Args.str(a, 0));
    List<Value> out = new ArrayList<>();
    for (String part : Regexes.split(p, Args.str(a, 1))) {
      out.add(StringValue.of(part));
    }
    return ArrayValue.of(out);
  }

  private static Value findN(BuiltinContext c, Value[] a) {
    Pattern p = Regexes.compile(Args.str(a, 0));
    String s = Args.str(a, 1);
    int n = Args.integer(a, 2);
    List<Value> out = new ArrayList<>();
    for (int[] m : Regexes.findAll(p, s, n)) {
      out.add(StringValue.of(s.substring(m[0], m[1])));
    }
    return ArrayValue.of(out);
  }

  private static Value findAllSubmatch(BuiltinContext c, Value[] a) {
    Pattern p = Regexes.compile(Args.str(a, 0));
    String s = Args.str(a, 1);
    int n = Args.integer(a, 2);
    List<Value> out = new ArrayList<>();
    for (int[] m : Regexes.findAll(p, s, n)) {
      List<Value> groups = new ArrayList<>(m.length / 2);
      for (int g = 0; g < m.length; g += 2) {
        groups.add(m[g] < 0 ? StringValue.EMPTY : StringValue.of(s.substring(m[g], m[g + 1])));
      }
      out.add(ArrayValue.of(groups));
    }
    return ArrayValue.of(out);
  }

  private static Value replace(BuiltinContext c, Value[] a) {
    String s = Args.str(a, 0);
    Pattern p = Regexes.compile(Args.str(a, 1));
    String repl = Args.str(a, 2);
    List<int[]> matches = Regexes.findAll(p, s, -1);
    if (matches.isEmpty()) {
      return a[0];
    }
    StringBuilder out = new StringBuilder(s.length());
    int last = 0;
    for (int[] m : matches) {
      out.append(s, last, m[0]);
      Regexes.expand(out, repl, s, m, p);
      last = m[1];
      if ((out.length() & 0xFFFF) == 0) {
        c.checkCancelled();
      }
    }
    out.append(s, last, s.length());
    String r = out.toString();
    return r.equals(s) ? a[0] : StringValue.of(r);
  }

  private static Value templateMatch(BuiltinContext c, Value[] a) {
    String template = Args.str(a, 0);
    String s = Args.str(a, 1);
    String open = Args.str(a, 2);
    String close = Args.str(a, 3);
    int openLen = open.getBytes(StandardCharsets.UTF_8).length;
    if (openLen != 1) {
      throw BuiltinException.error("start delimiter has to be exactly one character long but is " + openLen + " long");
    }
    if (close.getBytes(StandardCharsets.UTF_8).length != 1) {
      // OPA reports the start delimiter's length here
      throw BuiltinException.error("end delimiter has to be exactly one character long but is " + openLen + " long");
    }
    return BooleanValue.of(Regexes.compile(templateRegex(template, open.charAt(0), close.charAt(0))).matcher(s).find());
  }

  /** The regex for a template: literal text quoted, each delimited part a group; parts must be valid on their own. */
  static String templateRegex(String tpl, char open, char close) {
    List<int[]> spans = new ArrayList<>();
    int level = 0;
    int start = 0;
    for (int i = 0; i < tpl.length(); i++) {
      char ch = tpl.charAt(i);
      if (ch == open) {
        if (++level == 1) {
          start = i;
        }
      } else if (ch == close) {
        if (--level == 0) {
          spans.add(new int[] {start, i + 1});
        } else if (level < 0) {
          throw BuiltinException.error("unbalanced braces in " + GoFmt.goQuote(tpl));
        }
      }
    }
    if (level != 0) {
      throw BuiltinException.error("unbalanced braces in " + GoFmt.goQuote(tpl));
    }
    StringBuilder re = new StringBuilder("^");
    int end = 0;
    for (int[] span : spans) {
      String inner = tpl.substring(span[0] + 1, span[1] - 1);
      re.append(Regexes.quoteMeta(tpl.substring(end, span[0]))).append('(').append(inner).append(')');
      end = span[1];
      Regexes.compile("^" + inner + "$");
    }
    return re.append(Regexes.quoteMeta(tpl.substring(end))).append('$').toString();
  }

  private static Value globMatch(BuiltinContext c, Value[] a) {
    String pattern = Args.str(a, 0);
    int[] delimiters;
    if (a[1] instanceof NullValue) {
      delimiters = new int[0];
    } else if (a[1] instanceof ArrayValue arr) {
      delimiters = new int[arr.size()];
      for (int i = 0; i < arr.size(); i++) {
        Value d = arr.get(i);
        if (!(d instanceof StringValue ds)) {
          throw Args.elementType(2, arr, d, "string");
        }
        String v = ds.value();
        if (v.codePointCount(0, v.length()) != 1) {
          throw Args.elementType(2, arr, d, "rune");
        }
        delimiters[i] = v.codePointAt(0);
      }
      if (delimiters.length == 0) {
        delimiters = new int[] {'.'};
      }
    } else {
      throw BuiltinException.operandType(2, a[1], "array", "null");
    }
    String match = Args.str(a, 2);
    return BooleanValue.of(GlobPattern.compile(pattern, delimiters).matches(match));
  }
}
