package dev.gatehouse.engine.test;

import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Expr;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.ast.Term;
import dev.gatehouse.engine.ast.Var;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.parse.RegoParser;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.types.Types;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes the failing cases of a parameterized test visible. {@code test_x[name] if { some name, c
 * in cases; check(c) }} only defines the keys whose cases pass, so, like {@code opa test}, the
 * runner inserts a call {@code internal.test_case([name])} right after the first body expression
 * that mentions the key variable: every case that gets that far is recorded, and a recorded case
 * missing from the result failed. The call is inserted into the source text at the start of the
 * next expression, on the same line, so rows (and so messages and coverage) stay as written.
 */
final class TestCases {
  private TestCases() {}

  static final String BUILTIN = "internal.test_case";

  private static final ThreadLocal<Set<String>> CURRENT = new ThreadLocal<>();

  /** The builtin: records its argument's case key for the test running on this thread. */
  static Builtin builtin() {
    return new Builtin() {
      @Override public String name() { return BUILTIN; }

      @Override public Type.Func decl() { return Types.func(Types.BOOLEAN, Types.ANY); }

      @Override
      public Value call(BuiltinContext ctx, Value[] args) {
        Set<String> s = CURRENT.get();
        if (s != null && args[0] instanceof ArrayValue a && a.size() > 0) {
          s.add(keyText(a.get(0)));
        }
        return BooleanValue.TRUE;
      }
    };
  }

  static String keyText(Value k) {
    return k instanceof StringValue s ? s.value() : Json.write(k);
  }

  /** Starts recording for the calling thread; {@link #finish()} returns what was recorded. */
  static void start() {
    CURRENT.set(new LinkedHashSet<>());
  }

  static Set<String> finish() {
    Set<String> s = CURRENT.get();
    CURRENT.remove();
    return s == null ? Set.of() : s;
  }

  /**
   * The source with the recording call inserted into each parameterized test rule; the source
   * unchanged when it does not parse (the compiler will report that) or has no such rule.
   */
  static String instrument(String file, String source, RegoVersion version) {
    Module m;
    try {
      m = RegoParser.parseModule(file, source, version);
    } catch (RegoException e) {
      return source;
    }
    List<int[]> inserts = new ArrayList<>(); // offset, rule index
    List<String> texts = new ArrayList<>();
    for (Rule r : m.rules()) {
      String name = r.head().name();
      if (!name.startsWith("test_") || r.head().isFunction() || r.head().ref().size() != 2
          || !(r.head().ref().get(1) instanceof Var key) || r.body() == null) {
        continue;
      }
      List<Expr> exprs = r.body().exprs();
      Pattern mention = Pattern.compile("(?<![\\w.])" + Pattern.quote(key.name()) + "(?!\\w)");
      for (int i = 0; i + 1 < exprs.size(); i++) {
        if (mention.matcher(exprs.get(i).toString()).find()) {
          Expr next = exprs.get(i + 1);
          if (next.location() != null && next.location().offset() > 0 && next.location().offset() < source.length()) {
            inserts.add(new int[] {next.location().offset()});
            texts.add(BUILTIN + "([" + key.name() + "]); ");
          }
          break;
        }
      }
    }
    if (inserts.isEmpty()) {
      return source;
    }
    StringBuilder sb = new StringBuilder(source);
    for (int i = inserts.size() - 1; i >= 0; i--) {
      sb.insert(inserts.get(i)[0], texts.get(i));
    }
    return sb.toString();
  }
}
