package dev.gatehouse.engine.eval;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.builtins.NetworkPolicy;
import dev.gatehouse.engine.builtins.RelationBuiltin;
import dev.gatehouse.engine.compile.DataIndex;
import dev.gatehouse.engine.compile.Ir;
import dev.gatehouse.engine.compile.RuleIndex;
import dev.gatehouse.engine.compile.RuleTree;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Top-down evaluation of {@link Ir} with backtracking, written in continuation-passing style:
 * every step calls its continuation once per solution and returns true when the caller should
 * stop (an early exit), so no intermediate result lists are built on the hot path.
 * One instance per query evaluation; not thread-safe (the policy it reads is).
 */
final class Evaluator implements BuiltinContext {
  /** Receives one value; true stops the enumeration. */
  interface VK {
    boolean accept(Value v);
  }

  /** Continues with the rest of the body; true stops. */
  interface K {
    boolean run();
  }

  private final CompiledPolicy policy;
  private final EvalOptions options;
  private final long deadline;
  private final long now;
  private Value input;
  private Map<List<String>, Value> dataOverrides;
  private Map<String, Object> mocks;
  private Map<Object, Value> cache = new HashMap<>();
  private final Map<Object, Object> queryCache = new HashMap<>();
  private int depth;
  private int steps;
  private Location callLocation = Location.NONE;

  Evaluator(CompiledPolicy policy, EvalOptions options) {
    this.policy = policy;
    this.options = options;
    this.input = options.input();
    long start = System.nanoTime();
    this.deadline = options.timeout() == null ? Long.MAX_VALUE : start + options.timeout().toNanos();
    this.now = options.nowNanos() != null ? options.nowNanos()
        : java.time.Instant.now().getEpochSecond() * 1_000_000_000L + java.time.Instant.now().getNano();
  }

  // ---- bodies and expressions

  boolean body(Frame f, Ir.E[] exprs, int i, K k) {
    if (i == exprs.length) {
      return k.run();
    }
    if ((++steps & 0x3FF) == 0) {
      checkCancelled();
    }
    if (options.listener() != null) {
      return options.listener() instanceof dev.gatehouse.engine.EvalProfiler p
          ? profiledExpr(f, exprs, i, k, p) : observedExpr(f, exprs, i, k);
    }
    return expr(f, exprs[i], () -> body(f, exprs, i + 1, k));
  }

  /** body() with the listener told whether the expression produced any solution. */
  private boolean observedExpr(Frame f, Ir.E[] exprs, int i, K k) {
    Ir.E e = exprs[i];
    boolean[] any = {false};
    options.listener().attempt(e.location());
    boolean r = expr(f, e, () -> {
      any[0] = true;
      boolean stop = body(f, exprs, i + 1, k);
      if (!stop) {
        options.listener().redo(e.location());
      }
      return stop;
    });
    options.listener().evaluated(e.location(), any[0]);
    if (!any[0] && !(e instanceof Ir.Every) && options.listener().wantsFailedValues()) {
      // as opa's report: an every fails where its body failed, which was reported already
      options.listener().failed(e.location(), seen(f, exprs, i));
    }
    return r;
  }

  /** What a failed expression saw, for test --var-values reports (see EvalListener#failed). */
  private List<dev.gatehouse.engine.EvalListener.Seen> seen(Frame f, Ir.E[] exprs, int i) {
    return FailedValues.of(this, f, exprs, i);
  }

  /**
   * body() with the expression's own time measured: the clock stops while a solution is handed to
   * the rest of the body and restarts when that returns (evaluation is continuation-passing).
   */
  private boolean profiledExpr(Frame f, Ir.E[] exprs, int i, K k, dev.gatehouse.engine.EvalProfiler p) {
    Ir.E e = exprs[i];
    long[] clock = {System.nanoTime(), 0};
    int[] solutions = {0};
    boolean r = expr(f, e, () -> {
      clock[1] += System.nanoTime() - clock[0];
      solutions[0]++;
      try {
        return body(f, exprs, i + 1, k);
      } finally {
        clock[0] = System.nanoTime();
      }
    });
    clock[1] += System.nanoTime() - clock[0];
    p.expression(e.location(), clock[1], solutions[0]);
    return r;
  }

  private boolean expr(Frame f, Ir.E e, K k) {
    if (e instanceof Ir.Unify u) {
      return unify(f, u.left(), u.right(), k);
    }
    if (e instanceof Ir.TermE t) {
      return term(f, t.term(), v -> v != BooleanValue.FALSE && k.run());
    }
    if (e instanceof Ir.CallE c) {
      return callExpr(f, c, k);
    }
    if (e instanceof Ir.SomeIn s) {
      return someIn(f, s, k);
    }
    if (e instanceof Ir.Not n) {
      int mark = f.mark();
      boolean found = expr(f, n.inner(), () -> true);
      f.undo(mark);
      return !found && k.run();
    }
    if (e instanceof Ir.Every ev) {
      return every(f, ev, k);
    }
    if (e instanceof Ir.NotBody nb) {
      return !succeedsOnce(f, nb.body()) && k.run();
    }
    if (e instanceof Ir.Logical l) {
      boolean lhs = succeedsOnce(f, l.lhs());
      if (l.and() ? lhs && succeedsOnce(f, l.rhs()) : lhs || succeedsOnce(f, l.rhs())) {
        return k.run();
      }
      return false;
    }
    if (e instanceof Ir.WithE w) {
      return with(f, w, k);
    }
    if (e instanceof Ir.IndexedScan s) {
      return indexedScan(f, s, k);
    }
    return k.run();
  }

  /**
   * An iteration over base data as a lookup in its index ({@link DataIndex}): the members whose
   * indexed fields equal the known values, in iteration order, each bound as the plain iteration
   * binds it. Falls back to the plain iteration whenever the plan's assumptions do not hold here.
   */
  private boolean indexedScan(Frame f, Ir.IndexedScan s, K k) {
    DataIndex ix = s.index();
    if (!policy.indexing() || dataOverrides != null
        || options.listener() != null && !(options.listener() instanceof dev.gatehouse.engine.EvalProfiler)
        || ix.valueVar != null && f.get(ix.valueVar.slot()) != null) {
      return expr(f, s.original(), k);
    }
    for (Ir.Local v : ix.vars) {
      if (v != null && f.get(v.slot()) != null) {
        return expr(f, s.original(), k); // a lookup, not an iteration
      }
    }
    Ir.T[] known = ix.known;
    // the equalities up to the first whose variable is unbound here (that one binds, not compares)
    int n = 0;
    while (n < known.length && bound(f, known[n])) {
      n++;
    }
    if (n == 0) {
      return expr(f, s.original(), k);
    }
    Value[] values = new Value[n];
    for (int i = 0; i < n; i++) {
      Value v = single(f, known[i]);
      if (v == null) {
        return false; // the equality fails for every member
      }
      values[i] = v;
    }
    BuiltIndex built = BuiltIndex.of(policy, ix, n);
    int[] group = built.groups.get(ix.key(values));
    if (options.listener() instanceof dev.gatehouse.engine.EvalProfiler p) {
      p.indexed(s.location(), ix.describe(), built.size(), group == null ? 0 : group.length);
    }
    if (group == null) {
      return false;
    }
    for (int pos : group) {
      int mark = f.mark();
      Value[] keys = built.keys[pos];
      for (int w = 0; w < keys.length; w++) {
        if (ix.vars[w] != null) {
          f.bind(ix.vars[w].slot(), keys[w]);
        }
      }
      if (ix.valueVar != null) {
        f.bind(ix.valueVar.slot(), built.values[pos]);
      }
      boolean stop = ix.thenOriginal ? expr(f, s.original(), k) : k.run();
      f.undo(mark);
      if (stop) {
        return true;
      }
    }
    return false;
  }

  /** True when every variable a known term reads is bound. */
  private static boolean bound(Frame f, Ir.T t) {
    if (t instanceof Ir.Local l) {
      return f.get(l.slot()) != null;
    }
    if (t instanceof Ir.Ref r && r.head() instanceof Ir.Local h) {
      return f.get(h.slot()) != null;
    }
    return true;
  }

  /** Runs a closed-scope body for its first solution only; its bindings are undone. */
  private boolean succeedsOnce(Frame f, Ir.Body b) {
    int mark = f.mark();
    boolean found = body(f, b.exprs(), 0, () -> true);
    f.undo(mark);
    return found;
  }

  private boolean callExpr(Frame f, Ir.CallE c, K k) {
    if (c.callee() instanceof Ir.BuiltinCallee b && isPrint(b.name())) {
      print(f, c.args(), c.location());
      return k.run();
    }
    return args(f, c.args(), 0, new Value[c.args().length], argv -> call(f, c.callee(), argv, c.location(), result -> {
      if (c.out() != null) {
        return unifyValue(f, c.out(), result, k);
      }
      return result != BooleanValue.FALSE && k.run();
    }));
  }

  private static boolean isPrint(String name) {
    return name.equals("print") || name.equals("internal.print");
  }

  private void print(Frame f, Ir.T[] args, Location at) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < args.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      List<Value> vs = new ArrayList<>();
      term(f, args[i], v -> {
        vs.add(v);
        return false;
      });
      if (vs.isEmpty()) {
        sb.append("<undefined>");
      } else {
        Value v = vs.size() == 1 ? vs.get(0) : SetValue.of(vs);
        sb.append(v instanceof StringValue s ? s.value() : v.toString());
      }
    }
    if (options.printHook() != null) {
      options.printHook().print(at, sb.toString());
    }
  }

  private interface ArgsK {
    boolean run(Value[] args);
  }

  /** Evaluates call arguments; an argument with several values (iteration) multiplies the calls. */
  private boolean args(Frame f, Ir.T[] ts, int i, Value[] out, ArgsK k) {
    if (i == ts.length) {
      return k.run(out);
    }
    Ir.T t = ts[i];
    if (t instanceof Ir.Const c) {
      out[i] = c.value();
      return args(f, ts, i + 1, out, k);
    }
    if (t instanceof Ir.Local l && f.get(l.slot()) != null) {
      out[i] = f.get(l.slot());
      return args(f, ts, i + 1, out, k);
    }
    return term(f, t, v -> {
      out[i] = v;
      return args(f, ts, i + 1, out, k);
    });
  }

  private boolean someIn(Frame f, Ir.SomeIn s, K k) {
    return term(f, s.domain(), coll -> {
      if (coll instanceof ArrayValue a) {
        for (int i = 0; i < a.size(); i++) {
          if (member(f, s, NumberValue.of(i), a.get(i), k)) {
            return true;
          }
        }
      } else if (coll instanceof ObjectValue o) {
        for (Value key : o.keys()) {
          if (member(f, s, key, o.get(key), k)) {
            return true;
          }
        }
      } else if (coll instanceof SetValue set) {
        for (Value m : set) {
          if (member(f, s, m, m, k)) {
            return true;
          }
        }
      }
      return false;
    });
  }

  private boolean member(Frame f, Ir.SomeIn s, Value key, Value value, K k) {
    if (s.key() == null) {
      return unifyValue(f, s.value(), value, k);
    }
    return unifyValue(f, s.key(), key, () -> unifyValue(f, s.value(), value, k));
  }

  private boolean every(Frame f, Ir.Every ev, K k) {
    List<Value> domains = new ArrayList<>();
    term(f, ev.domain(), v -> {
      domains.add(v);
      return false;
    });
    if (domains.isEmpty()) {
      return false;
    }
    Value coll = domains.get(0);
    List<Value[]> pairs = new ArrayList<>();
    if (coll instanceof ArrayValue a) {
      for (int i = 0; i < a.size(); i++) {
        pairs.add(new Value[] {NumberValue.of(i), a.get(i)});
      }
    } else if (coll instanceof ObjectValue o) {
      o.forEach((key, val) -> pairs.add(new Value[] {key, val}));
    } else if (coll instanceof SetValue set) {
      for (Value m : set) {
        pairs.add(new Value[] {m, m});
      }
    } else {
      return false;
    }
    for (Value[] kv : pairs) {
      int mark = f.mark();
      if (ev.key() != null) {
        f.bind(ev.key().slot(), kv[0]);
      }
      f.bind(ev.value().slot(), kv[1]);
      boolean ok = body(f, ev.body().exprs(), 0, () -> true);
      f.undo(mark);
      if (!ok) {
        return false;
      }
    }
    return k.run();
  }

  private boolean with(Frame f, Ir.WithE w, K k) {
    return underModifiers(f, w.withs(), inner -> expr(f, w.inner(), inner), k);
  }

  /** Something evaluated with a continuation: an expression, or a term feeding its values on. */
  private interface Scoped {
    boolean run(K inner);
  }

  /**
   * Runs {@code scoped} with the modifiers applied; they are lifted again while the continuation
   * {@code k} runs, so only the modified expression sees them. A modifier value that iterates
   * ({@code with input as cases[_]}) runs the expression once per value, as OPA's compiler
   * evaluates such values in an expression of their own before the modified one.
   */
  private boolean underModifiers(Frame f, List<Ir.With> withs, Scoped scoped, K k) {
    return withValues(f, withs, 0, new Value[withs.size()], scoped, k);
  }

  /** Evaluates the modifier values in the outer context, every combination of their values. */
  private boolean withValues(Frame f, List<Ir.With> withs, int i, Value[] values, Scoped scoped, K k) {
    if (i == withs.size()) {
      return applyModifiers(withs, values.clone(), scoped, k);
    }
    Ir.T value = withs.get(i).value();
    if (value == null) {
      return withValues(f, withs, i + 1, values, scoped, k);
    }
    return term(f, value, v -> {
      values[i] = v;
      return withValues(f, withs, i + 1, values, scoped, k);
    });
  }

  private boolean applyModifiers(List<Ir.With> withs, Value[] values, Scoped scoped, K k) {
    Value savedInput = input;
    Map<List<String>, Value> savedData = dataOverrides;
    Map<String, Object> savedMocks = mocks;
    Map<Object, Value> savedCache = cache;
    Value newInput = input;
    Map<List<String>, Value> newData = dataOverrides == null ? null : new HashMap<>(dataOverrides);
    Map<String, Object> newMocks = mocks == null ? null : new HashMap<>(mocks);
    for (int i = 0; i < withs.size(); i++) {
      Ir.With with = withs.get(i);
      Value v = values[i];
      switch (with.target()) {
        case INPUT:
          newInput = with.path().isEmpty() ? v : setPath(newInput, with.path(), 0, v);
          break;
        case DATA:
          if (newData == null) {
            newData = new HashMap<>();
          }
          newData.put(with.path(), v);
          break;
        default:
          if (newMocks == null) {
            newMocks = new HashMap<>();
          }
          newMocks.put(with.functionName(), with.mock() != null ? with.mock() : v);
          break;
      }
    }
    Value ni = newInput;
    Map<List<String>, Value> nd = newData;
    Map<String, Object> nm = newMocks;
    Map<Object, Value> innerCache = new HashMap<>();
    Runnable apply = () -> {
      input = ni;
      dataOverrides = nd;
      mocks = nm;
      cache = innerCache;
    };
    Runnable restore = () -> {
      input = savedInput;
      dataOverrides = savedData;
      mocks = savedMocks;
      cache = savedCache;
    };
    apply.run();
    try {
      return scoped.run(() -> {
        restore.run();
        try {
          return k.run();
        } finally {
          apply.run();
        }
      });
    } finally {
      restore.run();
    }
  }

  private static Value setPath(Value base, List<String> path, int i, Value v) {
    if (i == path.size()) {
      return v;
    }
    ObjectValue obj = base instanceof ObjectValue o ? o : ObjectValue.EMPTY;
    StringValue key = StringValue.of(path.get(i));
    return obj.with(key, setPath(obj.get(key), path, i + 1, v));
  }

  // ---- unification

  private boolean unify(Frame f, Ir.T a, Ir.T b, K k) {
    if (isUnboundPattern(f, a)) {
      if (isUnboundPattern(f, b)) {
        if (a instanceof Ir.Arr x && b instanceof Ir.Arr y) {
          return x.elems().length == y.elems().length && unifyPairs(f, x.elems(), y.elems(), 0, k);
        }
        if (a instanceof Ir.Obj x && b instanceof Ir.Obj y) {
          return unifyObjects(f, x, y, k);
        }
        throw new RegoException(new dev.gatehouse.engine.RegoError("rego_unsafe_var_error",
            "var " + firstUnbound(f, a) + " is unsafe", null));
      }
      return term(f, b, v -> unifyValue(f, a, v, k));
    }
    return term(f, a, v -> unifyValue(f, b, v, k));
  }

  private boolean unifyObjects(Frame f, Ir.Obj x, Ir.Obj y, K k) {
    if (x.keys().length != y.keys().length) {
      return false;
    }
    // match keys by value
    Value[] xk = new Value[x.keys().length];
    Value[] yk = new Value[y.keys().length];
    for (int i = 0; i < xk.length; i++) {
      xk[i] = single(f, x.keys()[i]);
      yk[i] = single(f, y.keys()[i]);
      if (xk[i] == null || yk[i] == null) {
        return false;
      }
    }
    Ir.T[] left = new Ir.T[xk.length];
    Ir.T[] right = new Ir.T[xk.length];
    for (int i = 0; i < xk.length; i++) {
      int j = indexOf(yk, xk[i]);
      if (j < 0) {
        return false;
      }
      left[i] = x.values()[i];
      right[i] = y.values()[j];
    }
    return unifyPairs(f, left, right, 0, k);
  }

  private static int indexOf(Value[] vs, Value v) {
    for (int i = 0; i < vs.length; i++) {
      if (vs[i].equals(v)) {
        return i;
      }
    }
    return -1;
  }

  private String firstUnbound(Frame f, Ir.T t) {
    if (t instanceof Ir.Local l) {
      return l.name();
    }
    if (t instanceof Ir.Arr a) {
      for (Ir.T e : a.elems()) {
        if (isUnboundPattern(f, e)) {
          return firstUnbound(f, e);
        }
      }
    }
    if (t instanceof Ir.Obj o) {
      for (Ir.T e : o.values()) {
        if (isUnboundPattern(f, e)) {
          return firstUnbound(f, e);
        }
      }
    }
    return "?";
  }

  private boolean unifyPairs(Frame f, Ir.T[] xs, Ir.T[] ys, int i, K k) {
    if (i == xs.length) {
      return k.run();
    }
    return unify(f, xs[i], ys[i], () -> unifyPairs(f, xs, ys, i + 1, k));
  }

  /** True when the term has an unbound local in a pattern position. */
  private boolean isUnboundPattern(Frame f, Ir.T t) {
    if (t instanceof Ir.Local l) {
      return f.get(l.slot()) == null;
    }
    if (t instanceof Ir.Arr a) {
      for (Ir.T e : a.elems()) {
        if (isUnboundPattern(f, e)) {
          return true;
        }
      }
      return false;
    }
    if (t instanceof Ir.Obj o) {
      for (Ir.T e : o.values()) {
        if (isUnboundPattern(f, e)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Matches a pattern term against a value, binding unbound locals. */
  boolean unifyValue(Frame f, Ir.T pattern, Value v, K k) {
    if (pattern instanceof Ir.Local l) {
      Value cur = f.get(l.slot());
      if (cur != null) {
        return cur.equals(v) && k.run();
      }
      int mark = f.mark();
      f.bind(l.slot(), v);
      boolean stop = k.run();
      f.undo(mark);
      return stop;
    }
    if (pattern instanceof Ir.Const c) {
      return c.value().equals(v) && k.run();
    }
    if (pattern instanceof Ir.Arr a && isUnboundPattern(f, pattern)) {
      if (!(v instanceof ArrayValue av) || av.size() != a.elems().length) {
        return false;
      }
      return unifyElems(f, a.elems(), av, 0, k);
    }
    if (pattern instanceof Ir.Obj o && isUnboundPattern(f, pattern)) {
      if (!(v instanceof ObjectValue ov) || ov.size() != o.keys().length) {
        return false;
      }
      return unifyEntries(f, o, ov, 0, k);
    }
    return term(f, pattern, pv -> pv.equals(v) && k.run());
  }

  private boolean unifyElems(Frame f, Ir.T[] ps, ArrayValue av, int i, K k) {
    if (i == ps.length) {
      return k.run();
    }
    return unifyValue(f, ps[i], av.get(i), () -> unifyElems(f, ps, av, i + 1, k));
  }

  private boolean unifyEntries(Frame f, Ir.Obj o, ObjectValue ov, int i, K k) {
    if (i == o.keys().length) {
      return k.run();
    }
    return term(f, o.keys()[i], key -> {
      Value v = ov.get(key);
      return v != null && unifyValue(f, o.values()[i], v, () -> unifyEntries(f, o, ov, i + 1, k));
    });
  }

  private Value single(Frame f, Ir.T t) {
    Value[] out = new Value[1];
    term(f, t, v -> {
      out[0] = v;
      return true;
    });
    return out[0];
  }

  // ---- terms

  boolean term(Frame f, Ir.T t, VK vk) {
    if (t instanceof Ir.Const c) {
      return vk.accept(c.value());
    }
    if (t instanceof Ir.Local l) {
      Value v = f.get(l.slot());
      if (v == null) {
        throw new RegoException(new dev.gatehouse.engine.RegoError("rego_unsafe_var_error",
            "var " + l.name() + " is unsafe", null));
      }
      return vk.accept(v);
    }
    if (t instanceof Ir.Ref r) {
      return ref(f, r, vk);
    }
    if (t instanceof Ir.CallT c) {
      if (c.callee() instanceof Ir.BuiltinCallee b && isPrint(b.name())) {
        print(f, c.args(), c.location());
        return vk.accept(BooleanValue.TRUE);
      }
      return args(f, c.args(), 0, new Value[c.args().length], argv -> call(f, c.callee(), argv, c.location(), vk));
    }
    if (t instanceof Ir.Arr a) {
      return collect(f, a.elems(), 0, new Value[a.elems().length], vals -> vk.accept(ArrayValue.wrap(vals.clone())));
    }
    if (t instanceof Ir.SetT s) {
      return collect(f, s.elems(), 0, new Value[s.elems().length], vals -> vk.accept(SetValue.of(vals)));
    }
    if (t instanceof Ir.Obj o) {
      Ir.T[] both = new Ir.T[o.keys().length * 2];
      for (int i = 0; i < o.keys().length; i++) {
        both[2 * i] = o.keys()[i];
        both[2 * i + 1] = o.values()[i];
      }
      return collect(f, both, 0, new Value[both.length], vals -> {
        ObjectValue.Builder b = ObjectValue.builder();
        for (int i = 0; i < vals.length; i += 2) {
          b.put(vals[i], vals[i + 1]);
        }
        return vk.accept(b.build());
      });
    }
    if (t instanceof Ir.ArrCompr c) {
      List<Value> out = new ArrayList<>();
      int mark = f.mark();
      body(f, c.body().exprs(), 0, () -> {
        term(f, c.head(), v -> {
          out.add(v);
          return false;
        });
        return false;
      });
      f.undo(mark);
      return vk.accept(ArrayValue.of(out));
    }
    if (t instanceof Ir.SetCompr c) {
      SetValue.Builder out = SetValue.builder();
      body(f, c.body().exprs(), 0, () -> {
        term(f, c.head(), v -> {
          out.add(v);
          return false;
        });
        return false;
      });
      return vk.accept(out.build());
    }
    if (t instanceof Ir.ObjCompr c) {
      ObjectValue.Builder out = ObjectValue.builder();
      body(f, c.body().exprs(), 0, () -> {
        term(f, c.key(), key -> term(f, c.value(), val -> {
          Value prev = out.get(key);
          if (prev != null && !prev.equals(val)) {
            throw EvalError.conflict("object keys must be unique", c.location());
          }
          out.put(key, val);
          return false;
        }));
        return false;
      });
      return vk.accept(out.build());
    }
    if (t instanceof Ir.Modified m) {
      Value[] current = new Value[1];
      return underModifiers(f, m.withs(), inner -> term(f, m.term(), v -> {
        current[0] = v;
        return inner.run();
      }), () -> vk.accept(current[0]));
    }
    Ir.Template tp = (Ir.Template) t;
    StringBuilder sb = new StringBuilder();
    for (Ir.T part : tp.parts()) {
      Value v = single(f, part);
      sb.append(v == null ? "<undefined>" : v instanceof StringValue s ? s.value() : v.toString());
    }
    return vk.accept(StringValue.of(sb.toString()));
  }

  private interface ValsK {
    boolean run(Value[] vals);
  }

  private boolean collect(Frame f, Ir.T[] ts, int i, Value[] out, ValsK k) {
    if (i == ts.length) {
      return k.run(out);
    }
    return term(f, ts[i], v -> {
      out[i] = v;
      return collect(f, ts, i + 1, out, k);
    });
  }

  // ---- references

  private boolean ref(Frame f, Ir.Ref r, VK vk) {
    switch (r.root()) {
      case INPUT:
        return input != null && walk(f, input, r.ops(), 0, vk);
      case TERM:
        return term(f, r.head(), v -> walk(f, v, r.ops(), 0, vk));
      default:
        return walkData(f, policy.tree().root(), policy.data(), new ArrayList<>(), r.ops(), 0, vk);
    }
  }

  /** Walks the data document: rule tree and base data side by side. */
  private boolean walkData(Frame f, RuleTree.Node node, Value base, List<String> path, Ir.T[] ops, int i, VK vk) {
    if (dataOverrides != null) {
      Value o = dataOverrides.get(path);
      if (o != null) {
        return walk(f, o, ops, i, vk);
      }
    }
    if (node != null && node.hasRules()) {
      Value v = nodeValue(node, path);
      return v != null && walk(f, v, ops, i, vk);
    }
    if (i == ops.length) {
      Value v = materialize(node, base, path);
      return v != null && vk.accept(v);
    }
    Ir.T op = ops[i];
    Value key = null;
    if (op instanceof Ir.Const c) {
      key = c.value();
    } else if (op instanceof Ir.Local l) {
      key = f.get(l.slot());
      if (key == null) {
        return iterateData(f, node, base, path, ops, i, l, vk);
      }
    } else if (isUnboundPattern(f, op)) {
      Value whole = materialize(node, base, path);
      return whole != null && walk(f, whole, ops, i, vk);
    } else {
      return term(f, op, kv -> stepData(f, node, base, path, ops, i, kv, vk));
    }
    return stepData(f, node, base, path, ops, i, key, vk);
  }

  private boolean stepData(Frame f, RuleTree.Node node, Value base, List<String> path, Ir.T[] ops, int i, Value key, VK vk) {
    if (key instanceof NumberValue n && n.isLong() && (base == null || base instanceof ObjectValue)) {
      // the data document is stored with string keys: data[2] reads data["2"], as in OPA
      key = StringValue.of(Long.toString(n.longValue()));
    }
    if (!(key instanceof StringValue s)) {
      Value whole = materialize(node, base, path);
      return whole != null && walk(f, whole, ops, i, vk);
    }
    RuleTree.Node child = node == null ? null : node.child(s.value());
    Value childBase = base instanceof ObjectValue o ? o.get(s) : null;
    if (child == null && childBase == null && !hasOverrideBelow(path, s.value())) {
      return false;
    }
    if (child == null && dataOverrides == null) {
      return walkStorage(f, childBase, ops, i + 1, vk);
    }
    path.add(s.value());
    try {
      return walkData(f, child, childBase, path, ops, i + 1, vk);
    } finally {
      path.remove(path.size() - 1);
    }
  }

  private boolean hasOverrideBelow(List<String> path, String key) {
    if (dataOverrides == null) {
      return false;
    }
    for (List<String> p : dataOverrides.keySet()) {
      if (p.size() > path.size() && p.subList(0, path.size()).equals(path) && p.get(path.size()).equals(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Iterates the keys of the data document at a node: base keys, then rule-tree keys not in the
   * base. Each key is then read as a ground step would read it (a child holding rules is read
   * from its rules), as OPA does.
   */
  private boolean iterateData(Frame f, RuleTree.Node node, Value base, List<String> path, Ir.T[] ops, int i,
      Ir.Local var, VK vk) {
    if (!(base == null || base instanceof ObjectValue) || (dataOverrides != null && hasAnyOverrideBelow(path))) {
      Value whole = materialize(node, base, path);
      return whole != null && walk(f, whole, ops, i, vk);
    }
    ObjectValue bo = (ObjectValue) base;
    List<Value> keys = new ArrayList<>();
    if (bo != null) {
      keys.addAll(bo.keys());
    }
    if (node != null) {
      for (RuleTree.Node c : node.children.values()) {
        StringValue k = StringValue.of(c.name);
        if ((bo == null || !bo.containsKey(k)) && c.isDefinedBelow()) {
          keys.add(k);
        }
      }
    }
    for (Value k : keys) {
      int mark = f.mark();
      f.bind(var.slot(), k);
      boolean stop = stepData(f, node, base, path, ops, i, k, vk);
      f.undo(mark);
      if (stop) {
        return true;
      }
    }
    return false;
  }

  /** The whole value of the data document at a node: base data merged with every rule below. */
  private Value materialize(RuleTree.Node node, Value base, List<String> path) {
    if (dataOverrides == null) {
      return materializeDocument(node, base, path);
    }
    Value o = dataOverrides.get(path);
    if (o != null) {
      return o;
    }
    List<Map.Entry<List<String>, Value>> below = new ArrayList<>();
    for (Map.Entry<List<String>, Value> e : dataOverrides.entrySet()) {
      List<String> p = e.getKey();
      if (p.size() > path.size() && p.subList(0, path.size()).equals(path)) {
        below.add(e);
      }
    }
    Value v = materializeDocument(node, base, path);
    if (below.isEmpty()) {
      return v;
    }
    // `with data.a.b as x` read through data.a: x is written into the document, merging objects, as OPA does
    below.sort(java.util.Comparator.comparingInt(e -> e.getKey().size()));
    for (Map.Entry<List<String>, Value> e : below) {
      v = upsert(v, e.getKey(), path.size(), e.getValue(), !insideRules(e.getKey()));
    }
    return v;
  }

  /** True when the path lies in a document that rules define (there an override replaces, not merges). */
  private boolean insideRules(List<String> path) {
    RuleTree.Node n = policy.tree().root();
    for (String seg : path) {
      n = n.child(seg);
      if (n == null) {
        return false;
      }
      if (n.hasRules()) {
        return true;
      }
    }
    return false;
  }

  private static Value upsert(Value v, List<String> path, int i, Value x, boolean merge) {
    if (i == path.size()) {
      return merge && v instanceof ObjectValue && x instanceof ObjectValue ? mergeOverrideFirst(x, v) : x;
    }
    ObjectValue obj = v instanceof ObjectValue o ? o : ObjectValue.EMPTY;
    StringValue key = StringValue.of(path.get(i));
    return obj.with(key, upsert(obj.get(key), path, i + 1, x, merge));
  }

  private static Value mergeOverrideFirst(Value override, Value existing) {
    if (!(override instanceof ObjectValue ov) || !(existing instanceof ObjectValue ev)) {
      return override;
    }
    ObjectValue.Builder b = ObjectValue.builder();
    ev.forEach(b::put);
    ov.forEach((k, x) -> {
      Value old = ev.get(k);
      b.put(k, old == null ? x : mergeOverrideFirst(x, old));
    });
    return b.build();
  }

  /** The data document at a node as base data and rules make it, before any {@code with} override. */
  private Value materializeDocument(RuleTree.Node node, Value base, List<String> path) {
    if (node != null && node.hasRules()) {
      return nodeValue(node, path);
    }
    if (node == null) {
      return base;
    }
    ObjectValue.Builder b = ObjectValue.builder();
    boolean defined = base != null || node.isPackage();
    if (base instanceof ObjectValue bo) {
      bo.forEach(b::put);
    } else if (base != null) {
      return base;
    }
    for (RuleTree.Node c : node.children.values()) {
      if (!c.isDefinedBelow()) {
        continue;
      }
      defined = true; // a package, even one with only functions or no rules, is an (empty) object
      StringValue k = StringValue.of(c.name);
      Value cb = base instanceof ObjectValue bo ? bo.get(k) : null;
      path.add(c.name);
      Value cv;
      try {
        cv = materializeDocument(c, cb, path);
      } finally {
        path.remove(path.size() - 1);
      }
      if (cv != null) {
        // where base data and rules both define a key, the base document wins, as in OPA's merge
        b.put(k, cb == null ? cv : mergeBaseFirst(cb, cv));
      }
    }
    return defined ? b.build() : null;
  }

  /** OPA's merge of base and virtual documents: objects merge key by key, otherwise base wins. */
  private static Value mergeBaseFirst(Value base, Value virtual) {
    if (!(base instanceof ObjectValue bo) || !(virtual instanceof ObjectValue vo)) {
      return base;
    }
    ObjectValue.Builder b = ObjectValue.builder();
    bo.forEach(b::put);
    vo.forEach((k, v) -> {
      Value bv = bo.get(k);
      b.put(k, bv == null ? v : mergeBaseFirst(bv, v));
    });
    return b.build();
  }

  private boolean hasAnyOverrideBelow(List<String> path) {
    for (List<String> p : dataOverrides.keySet()) {
      if (p.size() > path.size() && p.subList(0, path.size()).equals(path)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Walks base data below the rule tree. Like {@link #walk}, except that an integer key on an
   * object reads the key's decimal string, as OPA's storage paths do.
   */
  private boolean walkStorage(Frame f, Value v, Ir.T[] ops, int i, VK vk) {
    while (i < ops.length && v instanceof ObjectValue o) {
      Ir.T op = ops[i];
      Value key = op instanceof Ir.Const c ? c.value() : op instanceof Ir.Local l ? f.get(l.slot()) : null;
      if (key instanceof NumberValue n && n.isLong()) {
        key = StringValue.of(Long.toString(n.longValue()));
      } else if (!(key instanceof StringValue)) {
        break;
      }
      v = o.get(key);
      if (v == null) {
        return false;
      }
      i++;
    }
    return walk(f, v, ops, i, vk);
  }

  /** Walks a plain value with the remaining operands. */
  private boolean walk(Frame f, Value v, Ir.T[] ops, int i, VK vk) {
    if (i == ops.length) {
      return vk.accept(v);
    }
    Ir.T op = ops[i];
    if (op instanceof Ir.Const c) {
      Value next = lookup(v, c.value());
      return next != null && walk(f, next, ops, i + 1, vk);
    }
    if (op instanceof Ir.Local l) {
      Value key = f.get(l.slot());
      if (key != null) {
        Value next = lookup(v, key);
        return next != null && walk(f, next, ops, i + 1, vk);
      }
      return iterate(f, v, l, ops, i, vk);
    }
    if (isUnboundPattern(f, op)) {
      return iteratePattern(f, v, op, ops, i, vk);
    }
    return term(f, op, key -> {
      Value next = lookup(v, key);
      return next != null && walk(f, next, ops, i + 1, vk);
    });
  }

  private boolean iterate(Frame f, Value v, Ir.Local var, Ir.T[] ops, int i, VK vk) {
    if (v instanceof ArrayValue a) {
      for (int j = 0; j < a.size(); j++) {
        int mark = f.mark();
        f.bind(var.slot(), NumberValue.of(j));
        boolean stop = walk(f, a.get(j), ops, i + 1, vk);
        f.undo(mark);
        if (stop) {
          return true;
        }
      }
    } else if (v instanceof ObjectValue o) {
      for (Value k : o.keys()) {
        int mark = f.mark();
        f.bind(var.slot(), k);
        boolean stop = walk(f, o.get(k), ops, i + 1, vk);
        f.undo(mark);
        if (stop) {
          return true;
        }
      }
    } else if (v instanceof SetValue s) {
      for (Value m : s) {
        int mark = f.mark();
        f.bind(var.slot(), m);
        boolean stop = walk(f, m, ops, i + 1, vk);
        f.undo(mark);
        if (stop) {
          return true;
        }
      }
    }
    return false;
  }

  /** A composite operand with unbound variables: unify it with every key of the collection. */
  private boolean iteratePattern(Frame f, Value v, Ir.T pattern, Ir.T[] ops, int i, VK vk) {
    List<Value> keys = new ArrayList<>();
    if (v instanceof ArrayValue a) {
      for (int j = 0; j < a.size(); j++) {
        keys.add(NumberValue.of(j));
      }
    } else if (v instanceof ObjectValue o) {
      keys.addAll(o.keys());
    } else if (v instanceof SetValue s) {
      keys.addAll(s.sorted());
    }
    for (Value key : keys) {
      Value next = lookup(v, key);
      if (unifyValue(f, pattern, key, () -> walk(f, next, ops, i + 1, vk))) {
        return true;
      }
    }
    return false;
  }

  static Value lookup(Value v, Value key) {
    if (v instanceof ObjectValue o) {
      return o.get(key);
    }
    if (v instanceof ArrayValue a) {
      if (key instanceof NumberValue n && n.isLong()) {
        long idx = n.longValue();
        return idx >= 0 && idx < a.size() ? a.get((int) idx) : null;
      }
      return null;
    }
    if (v instanceof SetValue s) {
      return s.contains(key) ? key : null;
    }
    return null;
  }

  // ---- virtual documents

  /** The value of the rules at a node (cached per query): complete, multi-value or object. */
  private Value nodeValue(RuleTree.Node node, List<String> path) {
    if (node.isFunction()) {
      return null;
    }
    if (cache.containsKey(node)) {
      return cache.get(node);
    }
    enter();
    Value v;
    try {
      v = computeNode(node);
    } finally {
      depth--;
    }
    cache.put(node, v);
    return v;
  }

  private void enter() {
    if (++depth > options.maxDepth()) {
      depth--;
      throw new RegoException(new dev.gatehouse.engine.RegoError("eval_cancel_error",
          "maximum evaluation depth of " + options.maxDepth() + " exceeded", null));
    }
  }

  /**
   * The value of a node holding rules. Rules placed below it (ref heads such as {@code p.d.r := 3}
   * next to {@code p[q].r.s := i}) contribute to the same object, as in OPA; two rules writing
   * the same key, or one writing inside the other's value, conflict.
   */
  private Value computeNode(RuleTree.Node node) {
    boolean object = false;
    boolean multi = false;
    for (Ir.Rule r : node.rules()) {
      if (r.suffix().length > 0) {
        object = true;
      } else if (r.kind() == Ir.RuleKind.MULTI_VALUE) {
        multi = true;
      }
    }
    if (!object && !node.hasRuleDescendants()) {
      if (!multi) {
        return completeValue(node);
      }
      SetValue.Builder set = SetValue.builder();
      for (Ir.Rule r : node.rules()) {
        evalRule(r, f -> term(f, r.key(), k -> {
          set.add(k);
          produced(r, k);
          return false;
        }));
      }
      return set.build();
    }
    Tree out = new Tree();
    addRules(node, new Value[0], out);
    return out.toValue();
  }

  /** Adds the solutions of the rules at node and below it to out, under prefix. */
  private void addRules(RuleTree.Node node, Value[] prefix, Tree out) {
    if (node.isFunction()) {
      return;
    }
    boolean plain = false;
    for (Ir.Rule r : node.rules()) {
      if (r.suffix().length > 0 || (r.kind() == Ir.RuleKind.MULTI_VALUE && prefix.length > 0)) {
        evalRule(r, f -> insert(f, r, prefix, out));
      } else {
        plain = true;
      }
    }
    if ((plain || node.defaultRule() != null) && prefix.length > 0) {
      Value v = completeValue(node);
      if (v != null) {
        out.put(prefix, v, node.rules().isEmpty() ? node.defaultRule().location() : node.rules().get(0).location());
      }
    }
    for (RuleTree.Node c : node.children.values()) {
      if (c.hasRulesBelow()) {
        Value[] childPrefix = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        childPrefix[prefix.length] = StringValue.of(c.name);
        addRules(c, childPrefix, out);
      }
    }
  }

  private Value completeValue(RuleTree.Node node) {
    Value result = null;
    Location at = null;
    for (Ir.Rule r : node.rules()) {
      Value v = ruleChainValue(r, node);
      if (v != null) {
        if (result != null && !result.equals(v)) {
          throw EvalError.conflict("rule data." + String.join(".", node.path()) + " produced conflicting values",
              r.location());
        }
        result = v;
        at = r.location();
      }
    }
    if (result == null && node.defaultRule() != null) {
      Ir.Rule d = node.defaultRule();
      Frame f = new Frame(d.frameSize());
      Value[] holder = new Value[1];
      term(f, d.value(), v -> {
        holder[0] = v;
        return true;
      });
      result = holder[0];
      produced(d, result);
    }
    return result;
  }

  /** A complete rule with its else chain: the first rule in the chain that produces a value. */
  private Value ruleChainValue(Ir.Rule r, RuleTree.Node node) {
    for (Ir.Rule cur = r; cur != null; cur = cur.elseRule()) {
      Value[] holder = new Value[1];
      Ir.Rule rule = cur;
      evalRule(cur, f -> term(f, rule.value(), v -> {
        if (holder[0] != null && !holder[0].equals(v)) {
          throw EvalError.conflict("rule data." + String.join(".", node.path()) + " produced conflicting values",
              rule.location());
        }
        holder[0] = v;
        return false;
      }));
      produced(rule, holder[0]);
      if (holder[0] != null) {
        return holder[0];
      }
    }
    return null;
  }

  private interface RuleK {
    boolean run(Frame f);
  }

  private void evalRule(Ir.Rule r, RuleK k) {
    if (!RuleIndex.admits(r.requires(), input)) {
      return;
    }
    Frame f = new Frame(r.frameSize());
    body(f, r.body().exprs(), 0, () -> k.run(f));
  }

  /** Inserts one solution of a ref-head / partial-object rule into the object being built. */
  private boolean insert(Frame f, Ir.Rule r, Value[] prefix, Tree out) {
    Ir.T[] suffix = r.suffix();
    return collect(f, suffix, 0, new Value[suffix.length], suffixKeys -> {
      Value[] keys = java.util.Arrays.copyOf(prefix, prefix.length + suffixKeys.length);
      System.arraycopy(suffixKeys, 0, keys, prefix.length, suffixKeys.length);
      if (r.kind() == Ir.RuleKind.MULTI_VALUE) {
        return term(f, r.key(), member -> {
          out.addMember(keys, member, r.location());
          produced(r, member);
          return false;
        });
      }
      return term(f, r.value(), v -> {
        out.put(keys, v, r.location());
        produced(r, v);
        return false;
      });
    });
  }

  /** A nested object under construction for ref-head rules. */
  private static final class Tree {
    private final java.util.LinkedHashMap<Value, Object> entries = new java.util.LinkedHashMap<>();

    boolean isEmpty() {
      return entries.isEmpty();
    }

    void put(Value[] keys, Value v, Location at) {
      Tree t = this;
      for (int i = 0; i < keys.length - 1; i++) {
        Object next = t.entries.get(keys[i]);
        if (next == null) {
          Tree nt = new Tree();
          t.entries.put(keys[i], nt);
          t = nt;
        } else if (next instanceof Tree nt) {
          t = nt;
        } else {
          throw EvalError.conflict("object keys must be unique", at);
        }
      }
      Value last = keys[keys.length - 1];
      Object prev = t.entries.get(last);
      if (prev == null) {
        t.entries.put(last, v);
      } else if (prev instanceof Value pv) {
        if (!pv.equals(v)) {
          throw EvalError.conflict("object keys must be unique", at);
        }
      } else {
        throw EvalError.conflict("object keys must be unique", at);
      }
    }

    void addMember(Value[] keys, Value member, Location at) {
      Tree t = this;
      for (int i = 0; i < keys.length - 1; i++) {
        Object next = t.entries.get(keys[i]);
        if (next == null) {
          Tree nt = new Tree();
          t.entries.put(keys[i], nt);
          t = nt;
        } else if (next instanceof Tree nt) {
          t = nt;
        } else {
          throw EvalError.conflict("object keys must be unique", at);
        }
      }
      Value last = keys[keys.length - 1];
      Object prev = t.entries.get(last);
      SetValue.Builder b;
      if (prev == null) {
        b = SetValue.builder();
        t.entries.put(last, b);
      } else if (prev instanceof SetValue.Builder sb) {
        b = sb;
      } else {
        throw EvalError.conflict("object keys must be unique", at);
      }
      b.add(member);
    }

    Value toValue() {
      ObjectValue.Builder b = ObjectValue.builder();
      for (Map.Entry<Value, Object> e : entries.entrySet()) {
        Object v = e.getValue();
        if (v instanceof Tree t) {
          b.put(e.getKey(), t.toValue());
        } else if (v instanceof SetValue.Builder sb) {
          b.put(e.getKey(), SetValue.of(sb.snapshot()));
        } else {
          b.put(e.getKey(), (Value) v);
        }
      }
      return b.build();
    }
  }

  // ---- calls

  private boolean call(Frame f, Ir.Callee callee, Value[] argv, Location at, VK vk) {
    Object mock = mocks == null ? null : mocks.get(callee.name());
    if (mock != null) {
      if (mock instanceof Value v) {
        return vk.accept(v);
      }
      Ir.Callee replacement = (Ir.Callee) mock;
      Map<String, Object> saved = mocks;
      Map<Object, Value> savedCache = cache;
      // A replacement runs with no mocks at all (so it can call the original, and one mock never
      // calls another), as in OPA; its continuation sees the mocks again.
      mocks = null;
      cache = new HashMap<>();
      try {
        return callUnmocked(replacement, argv, at, v -> {
          Map<String, Object> inside = mocks;
          Map<Object, Value> insideCache = cache;
          mocks = saved;
          cache = savedCache;
          try {
            return vk.accept(v);
          } finally {
            mocks = inside;
            cache = insideCache;
          }
        });
      } finally {
        mocks = saved;
        cache = savedCache;
      }
    }
    return callUnmocked(callee, argv, at, vk);
  }

  private boolean callUnmocked(Ir.Callee callee, Value[] argv, Location at, VK vk) {
    if (callee instanceof Ir.FunctionCallee fc) {
      Value v = callFunction(fc, argv, at);
      return v != null && vk.accept(v);
    }
    Builtin b = ((Ir.BuiltinCallee) callee).builtin();
    Location saved = callLocation;
    callLocation = at;
    try {
      if (b instanceof RelationBuiltin rel) {
        boolean[] stop = new boolean[1];
        rel.each(this, argv.clone(), v -> {
          stop[0] = vk.accept(v);
          return !stop[0];
        });
        return stop[0];
      }
      Value v = b.call(this, argv.clone());
      return v != null && vk.accept(v);
    } catch (BuiltinException e) {
      if (options.strictBuiltinErrors() || e.isAlwaysRaised()) {
        String msg = b.name() + ": " + e.getMessage();
        throw e.isTypeError() ? EvalError.type(msg, at) : EvalError.builtin(msg, at);
      }
      return false;
    } catch (ArithmeticException | IllegalArgumentException | IndexOutOfBoundsException | ClassCastException e) {
      if (options.strictBuiltinErrors()) {
        throw EvalError.builtin(b.name() + ": " + e.getMessage(), at);
      }
      return false;
    } finally {
      callLocation = saved;
    }
  }

  private Value callFunction(Ir.FunctionCallee fc, Value[] argv, Location at) {
    RuleTree.Node node = policy.tree().find(fc.path());
    if (node == null) {
      return null;
    }
    enter();
    try {
      Value result = null;
      for (Ir.Rule r : node.rules()) {
        for (Ir.Rule cur = r; cur != null; cur = cur.elseRule()) {
          Value v = functionBody(cur, argv, fc);
          if (v != null) {
            if (result != null && !result.equals(v)) {
              throw EvalError.conflict("function " + fc.name() + " produced conflicting values for the same inputs",
                  r.location());
            }
            result = v;
            break;
          }
        }
      }
      if (result == null && node.defaultRule() != null) {
        Ir.Rule d = node.defaultRule();
        result = functionBody(d, argv, fc);
      }
      return result;
    } finally {
      depth--;
    }
  }

  private Value functionBody(Ir.Rule r, Value[] argv, Ir.FunctionCallee fc) {
    if (!RuleIndex.admits(r.requires(), input)) {
      return null;
    }
    Frame f = new Frame(r.frameSize());
    Value[] holder = new Value[1];
    Ir.T[] params = r.args();
    if (params.length != argv.length) {
      return null;
    }
    bindArgs(f, params, argv, 0, () -> body(f, r.body().exprs(), 0, () -> term(f, r.value(), v -> {
      if (holder[0] != null && !holder[0].equals(v)) {
        throw EvalError.conflict("function " + fc.name() + " produced conflicting values for the same inputs",
            r.location());
      }
      holder[0] = v;
      return false;
    })));
    produced(r, holder[0]);
    return holder[0];
  }

  /** Tells the listener (coverage) that a rule produced a value. */
  private void produced(Ir.Rule r, Value v) {
    if (v != null && options.listener() != null && r.location() != null) {
      options.listener().ruleProduced(r.location());
    }
  }

  private boolean bindArgs(Frame f, Ir.T[] params, Value[] argv, int i, K k) {
    if (i == params.length) {
      return k.run();
    }
    return unifyValue(f, params[i], argv[i], () -> bindArgs(f, params, argv, i + 1, k));
  }

  // ---- BuiltinContext

  @Override
  public long nowNanos() {
    return now;
  }

  @Override
  public Map<Object, Object> queryCache() {
    return queryCache;
  }

  @Override
  public Map<Object, Object> sharedCache() {
    return policy.sharedCache();
  }

  @Override
  public Location location() {
    return callLocation;
  }

  @Override
  public void print(String line) {
    if (options.printHook() != null) {
      options.printHook().print(callLocation, line);
    }
  }

  @Override
  public void checkCancelled() {
    if (System.nanoTime() > deadline) {
      throw EvalError.cancelled("timed out: evaluation exceeded " + options.timeout());
    }
    if (options.cancelled() != null && options.cancelled().getAsBoolean()) {
      throw EvalError.cancelled("cancelled: the caller no longer needs this evaluation");
    }
  }

  @Override
  public boolean strictBuiltinErrors() {
    return options.strictBuiltinErrors();
  }

  @Override
  public Value runtime() {
    return options.runtime() == null ? ObjectValue.EMPTY : options.runtime();
  }

  @Override
  public NetworkPolicy network() {
    return options.network() == null ? NetworkPolicy.DENY_ALL : options.network();
  }

  static Value nullToUndefined(Value v) {
    return v == NullValue.INSTANCE ? v : v;
  }
}
