package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.NUMBER;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.func;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;

/** Regular expressions (RE2 semantics through RE2/J, linear time) and globs. */
final class Patterns {
  private Patterns() {}

  static List<Builtin> all() {
    List<Builtin> b = new ArrayList<>();
    b.add(Fn.of("regex", "regex.match", func(BOOLEAN, STRING, STRING),
        (c, a) -> BooleanValue.of(regex(c, Args.str(a, 0)).matcher(Args.str(a, 1)).find())));
    b.add(Fn.of("regex", "re_match", func(BOOLEAN, STRING, STRING),
        (c, a) -> BooleanValue.of(regex(c, Args.str(a, 0)).matcher(Args.str(a, 1)).find())).deprecate());
    b.add(Fn.of("regex", "regex.is_valid", func(BOOLEAN, ANY), (c, a) -> {
      if (!(a[0] instanceof StringValue s)) {
        return BooleanValue.FALSE;
      }
      try {
        Pattern.compile(s.value());
        return BooleanValue.TRUE;
      } catch (PatternSyntaxException e) {
        return BooleanValue.FALSE;
      }
    }));
    b.add(Fn.of("regex", "regex.split", func(arrayOf(STRING), STRING, STRING), (c, a) -> {
      Pattern p = regex(c, Args.str(a, 0));
      String s = Args.str(a, 1);
      List<Value> out = new ArrayList<>();
      Matcher m = p.matcher(s);
      int last = 0;
      while (m.find()) {
        if (m.end() == 0 && m.start() == 0) {
          continue;
        }
        out.add(StringValue.of(s.substring(last, m.start())));
        last = m.end();
      }
      out.add(StringValue.of(s.substring(last)));
      return ArrayValue.of(out);
    }));
    b.add(Fn.of("regex", "regex.find_n", func(arrayOf(STRING), STRING, STRING, NUMBER), (c, a) -> {
      Pattern p = regex(c, Args.str(a, 0));
      String s = Args.str(a, 1);
      int n = Args.integer(a, 2);
      List<Value> out = new ArrayList<>();
      Matcher m = p.matcher(s);
      while ((n < 0 || out.size() < n) && m.find()) {
        out.add(StringValue.of(m.group()));
      }
      return ArrayValue.of(out);
    }));
    b.add(Fn.of("regex", "regex.find_all_string_submatch_n", func(arrayOf(arrayOf(STRING)), STRING, STRING, NUMBER), (c, a) -> {
      Pattern p = regex(c, Args.str(a, 0));
      String s = Args.str(a, 1);
      int n = Args.integer(a, 2);
      List<Value> out = new ArrayList<>();
      Matcher m = p.matcher(s);
      while ((n < 0 || out.size() < n) && m.find()) {
        List<Value> groups = new ArrayList<>();
        for (int g = 0; g <= m.groupCount(); g++) {
          String gv = m.group(g);
          groups.add(StringValue.of(gv == null ? "" : gv));
        }
        out.add(ArrayValue.of(groups));
      }
      return ArrayValue.of(out);
    }));
    b.add(Fn.of("regex", "regex.replace", func(STRING, STRING, STRING, STRING), (c, a) -> {
      String s = Args.str(a, 0);
      Pattern p = regex(c, Args.str(a, 1));
      String repl = Args.str(a, 2);
      return StringValue.of(p.matcher(s).replaceAll(goTemplate(repl)));
    }));
    b.add(Fn.of("regex", "regex.template_match", func(BOOLEAN, STRING, STRING, STRING, STRING), (c, a) -> {
      String template = Args.str(a, 0);
      String s = Args.str(a, 1);
      String open = Args.str(a, 2);
      String close = Args.str(a, 3);
      StringBuilder re = new StringBuilder("^");
      int i = 0;
      while (i < template.length()) {
        int o = template.indexOf(open, i);
        if (o < 0) {
          re.append(Pattern.quote(template.substring(i)));
          break;
        }
        int e = template.indexOf(close, o + open.length());
        if (e < 0) {
          throw BuiltinException.error("missing closing delimiter");
        }
        re.append(Pattern.quote(template.substring(i, o)));
        re.append('(').append(template, o + open.length(), e).append(')');
        i = e + close.length();
      }
      re.append('$');
      return BooleanValue.of(regex(c, re.toString()).matcher(s).find());
    }));
    b.add(Fn.of("glob", "glob.match", func(BOOLEAN, STRING, any(arrayOf(STRING), dev.gatehouse.engine.types.Types.NULL), STRING), (c, a) -> {
      String pattern = Args.str(a, 0);
      List<Character> delims = new ArrayList<>();
      if (a[1] instanceof NullValue) {
        // no delimiters
      } else if (a[1] instanceof ArrayValue arr) {
        for (Value d : arr.elements()) {
          String ds = d instanceof StringValue sv ? sv.value() : null;
          if (ds == null) {
            throw BuiltinException.operandType(2, d, "string");
          }
          if (!ds.isEmpty()) {
            delims.add(ds.charAt(0));
          }
        }
        if (arr.size() == 0) {
          delims.add('.');
        }
      } else {
        throw BuiltinException.operandType(2, a[1], "array", "null");
      }
      String match = Args.str(a, 2);
      String key = "glob:" + pattern + "\u0000" + delims;
      Pattern p = (Pattern) c.sharedCache().computeIfAbsent(key, k -> Pattern.compile(Glob.toRegex(pattern, delims)));
      return BooleanValue.of(p.matcher(match).matches());
    }));
    b.add(Fn.of("glob", "glob.quote_meta", func(STRING, STRING), (c, a) -> {
      String s = Args.str(a, 0);
      StringBuilder sb = new StringBuilder();
      for (char ch : s.toCharArray()) {
        if ("*?\\[]{}".indexOf(ch) >= 0) {
          sb.append('\\');
        }
        sb.append(ch);
      }
      return StringValue.of(sb.toString());
    }));
    return b;
  }

  /** Go's $1 / ${name} replacement syntax → RE2/J's (which uses the same $ forms). */
  private static String goTemplate(String repl) {
    return repl;
  }

  static Pattern regex(BuiltinContext c, String re) {
    Object cached = c.sharedCache().get("re:" + re);
    if (cached instanceof Pattern p) {
      return p;
    }
    try {
      Pattern p = Pattern.compile(re);
      c.sharedCache().put("re:" + re, p);
      return p;
    } catch (PatternSyntaxException e) {
      throw BuiltinException.error("error parsing regexp: " + e.getDescription() + ": `" + e.getPattern() + "`");
    }
  }
}
