package dev.gatehouse.engine.compile;

import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The plan of one indexed iteration, made at compile time by {@link DataIndexPlanner}; the index
 * itself is built at run time, on first use, from the policy's base data
 * ({@code eval.BuiltIndex}).
 *
 * <p>The plan: iterate the members of base data at {@code steps} (constant keys from data's root,
 * then constant keys and wildcards: {@code data.c[_]}, {@code data.inventory.namespace[_][v].Ingress[n]}),
 * binding {@code vars[w]} to the key each wildcard {@code w} takes (absent entries bind nothing)
 * and {@code valueVar} to the member, but only members whose fields at {@code fields[i]}
 * (constants, and wildcards for any element: {@code g.spec.rules[_].host}) can equal the value
 * of {@code known[i]}. Those equalities stay in the body and
 * still run for each member the index yields, so the index only skips members on which they
 * would certainly fail — and they never raise errors or bind anything, so skipping them changes
 * nothing but the time spent. When {@code thenOriginal} is set the iteration was inside the
 * indexed expression itself ({@code data.x[_].name == y}): the expression runs for each member
 * with its key variable bound.
 *
 * <p>The index ({@code eval.BuiltIndex}): members grouped by the tuple of their field values (Value equality, as
 * {@code ==} compares), each group in the collection's iteration order, so solutions come in the
 * same order as the plain iteration's. Members lacking a field are in no group. Built once per
 * policy and field set and shared by every plan over the same collection and fields.
 */
public final class DataIndex {
  /** A wildcard in {@link #steps} or in a field path. */
  public static final Value ANY = null;

  // read by the evaluator (eval.BuiltIndex and the indexed scan); arrays are never changed
  public final Value[] steps;
  public final Ir.Local[] vars;
  public final Ir.Local valueVar;
  public final Value[][] fields;
  public final Ir.T[] known;
  public final boolean thenOriginal;
  /** The index over the first n fields, at n - 1 (fewer when a later equality binds its variable). */
  private final Shape[] shapes;
  /**
   * The run time's built indexes for this plan (at n - 1, as {@link #shapes}), kept here so the
   * evaluator skips the policy's map lookup; the compiler never reads or writes it.
   */
  public final Object[] built;

  DataIndex(Value[] steps, Ir.Local[] vars, Ir.Local valueVar, Value[][] fields, Ir.T[] known, boolean thenOriginal) {
    this.steps = steps;
    this.vars = vars;
    this.valueVar = valueVar;
    this.fields = fields;
    this.known = known;
    this.thenOriginal = thenOriginal;
    this.shapes = new Shape[fields.length];
    List<List<Value>> fs = new ArrayList<>();
    for (int i = 0; i < fields.length; i++) {
      fs.add(Arrays.asList(fields[i].clone()));
      shapes[i] = new Shape(Arrays.asList(steps.clone()), List.copyOf(fs));
    }
    this.built = new Object[fields.length];
  }

  /** What an index is built over: shared by plans that iterate the same members on the same fields. */
  public record Shape(List<Value> steps, List<List<Value>> fields) {}

  /** A short description for profiles: {@code data.grants[_] on .subject, .service}. */
  public String describe() {
    StringBuilder sb = new StringBuilder("data");
    path(sb, steps);
    sb.append(" on ");
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      if (fields[i].length == 0) {
        sb.append("the member");
      }
      path(sb, fields[i]);
    }
    return sb.toString();
  }

  private static void path(StringBuilder sb, Value[] steps) {
    for (Value f : steps) {
      sb.append(f == ANY ? "[_]" : f instanceof StringValue s ? "." + s.value() : "[" + f + "]");
    }
  }

  /** The lookup key for the known values: the value itself for one field, a list for several. */
  public Object key(Value[] knownValues) {
    return knownValues.length == 1 ? knownValues[0] : Arrays.asList(knownValues);
  }

  /** What the index over the first {@code n} fields is built over. */
  public Shape shape(int n) {
    return shapes[n - 1];
  }
}
