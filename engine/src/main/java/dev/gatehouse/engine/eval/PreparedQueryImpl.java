package dev.gatehouse.engine.eval;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.ast.Body;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.compile.Compiler;
import dev.gatehouse.engine.compile.Ir;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A query compiled against a policy; immutable, evaluated by a fresh {@link Evaluator} per call. */
final class PreparedQueryImpl implements PreparedQuery {
  private final CompiledPolicy policy;
  private final String text;
  private final Compiler.CompiledQuery query;
  /** Top-level expressions in source order, with their source text. */
  private final Ir.E[] sourceOrder;
  private final String[] texts;

  PreparedQueryImpl(CompiledPolicy policy, String text, Body ast, Compiler.CompiledQuery query) {
    this.policy = policy;
    this.text = text;
    this.query = query;
    this.sourceOrder = query.body().exprs().clone();
    Arrays.sort(sourceOrder, Comparator.comparingInt(e -> e.location().offset()));
    this.texts = new String[sourceOrder.length];
    for (int i = 0; i < sourceOrder.length; i++) {
      int start = sourceOrder[i].location().offset();
      int end = i + 1 < sourceOrder.length ? sourceOrder[i + 1].location().offset() : text.length();
      String t = text.substring(Math.min(start, text.length()), Math.min(end, text.length())).strip();
      while (t.endsWith(";")) {
        t = t.substring(0, t.length() - 1).strip();
      }
      texts[i] = t;
    }
  }

  @Override
  public String text() {
    return text;
  }

  @Override
  public List<QueryResult> eval(EvalOptions options) {
    Evaluator ev = new Evaluator(policy, options);
    Frame frame = new Frame(query.frameSize());
    List<QueryResult> results = new ArrayList<>();
    try {
      Ir.E[] exprs = query.body().exprs();
      if (exprs.length == 1 && exprs[0] instanceof Ir.TermE only) {
        // A query that is one term reports its value, false included (`opa eval 'false'` is defined).
        ev.term(frame, only.term(), v -> {
          results.add(result(ev, frame, v));
          return false;
        });
      } else {
        ev.body(frame, exprs, 0, () -> {
          results.add(result(ev, frame, null));
          return false;
        });
      }
    } catch (StackOverflowError e) {
      throw CompiledPolicy.wrap(e);
    }
    return results;
  }

  /** One solution; {@code single} is the value of a one-term query, already computed. */
  private QueryResult result(Evaluator ev, Frame frame, Value single) {
    List<QueryResult.ExpressionValue> exprs = new ArrayList<>(sourceOrder.length);
    for (int i = 0; i < sourceOrder.length; i++) {
      Ir.E e = sourceOrder[i];
      if (e instanceof Ir.IndexedScan s) {
        e = s.original();
      }
      Value v = single != null ? single : BooleanValue.TRUE;
      Ir.T t = null;
      if (e instanceof Ir.TermE te) {
        t = te.term();
      } else if (e instanceof Ir.CallE c && c.out() == null) {
        t = new Ir.CallT(c.callee(), c.args(), c.location());
      }
      if (t != null && single == null) {
        Value[] holder = new Value[1];
        ev.term(frame, t, x -> {
          holder[0] = x;
          return true;
        });
        if (holder[0] != null) {
          v = holder[0];
        }
      }
      Location loc = e.location();
      exprs.add(new QueryResult.ExpressionValue(v, texts[i], new Location("", loc.row(), loc.col(), loc.offset())));
    }
    Map<String, Value> bindings = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> var : query.vars().entrySet()) {
      Value v = frame.get(var.getValue());
      if (v != null) {
        bindings.put(var.getKey(), v);
      }
    }
    return new QueryResult(exprs, bindings);
  }
}
