package dev.gatehouse.engine.compile;

import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.value.Value;
import java.util.List;

/**
 * The compiled form the evaluator runs: names resolved (locals are frame slots, globals are data
 * paths, builtins are objects), bodies reordered for safety. Built by the compiler, immutable.
 */
public final class Ir {
  private Ir() {}

  /** A term. */
  public sealed interface T permits Const, Local, Ref, Arr, Obj, SetT, ArrCompr, SetCompr, ObjCompr, CallT, Template, Modified {}

  public record Const(Value value) implements T {}

  /** A local variable: a slot in the current frame. Generated names start with {@code $}. */
  public record Local(int slot, String name) implements T {}

  /** Where a reference starts. */
  public enum Root { DATA, INPUT, TERM }

  /**
   * A reference. For DATA and INPUT the head term is null; for TERM the head is any term (a local,
   * a composite, a call). Operands may be constants or locals (bound → lookup, unbound → iterate)
   * or other terms (evaluated).
   */
  public record Ref(Root root, T head, T[] ops, Location location) implements T {}

  public record Arr(T[] elems) implements T {}

  public record Obj(T[] keys, T[] values) implements T {}

  public record SetT(T[] elems) implements T {}

  public record ArrCompr(T head, Body body) implements T {}

  public record SetCompr(T head, Body body) implements T {}

  /** {@code location} is where the comprehension is written (key conflicts are reported there). */
  public record ObjCompr(T key, T value, Body body, Location location) implements T {}

  /** A call used as a term (its value is the result). */
  public record CallT(Callee callee, T[] args, Location location) implements T {}

  /** A template string: literal constants and embedded terms, joined as OPA formats them. */
  public record Template(T[] parts) implements T {}

  /** A term evaluated under {@code with} modifiers (a template-string part {@code {a with input as x}}). */
  public record Modified(T term, List<With> withs) implements T {}

  /** What a call invokes. */
  public sealed interface Callee permits BuiltinCallee, FunctionCallee {
    String name();
  }

  public record BuiltinCallee(Builtin builtin, String name) implements Callee {}

  /** A user function: rules at a data path (the last element is the function name). */
  public record FunctionCallee(List<String> path, String name) implements Callee {}

  /** An expression of a body. */
  public sealed interface E permits Unify, TermE, CallE, SomeIn, Every, Not, NotBody, Logical, WithE, Nop, IndexedScan {
    Location location();
  }

  /** {@code a = b} and {@code a := b}. */
  public record Unify(T left, T right, Location location) implements E {}

  /** A term that must be defined and not false. */
  public record TermE(T term, Location location) implements E {}

  /** A call statement; {@code out} is the output argument or null (then the result must be truthy). */
  public record CallE(Callee callee, T[] args, T out, Location location) implements E {}

  /** {@code some v in d} / {@code some k, v in d}; key null for the one-variable form. */
  public record SomeIn(T key, T value, T domain, Location location) implements E {}

  public record Every(Local key, Local value, T domain, Body body, Location location) implements E {}

  public record Not(E inner, Location location) implements E {}

  /** {@code not { body }}: succeeds once when the body (a closed scope) has no solution. */
  public record NotBody(Body body, Location location) implements E {}

  /** {@code lhs and rhs} / {@code lhs or rhs}: operands are closed scopes tried at most once each. */
  public record Logical(boolean and, Body lhs, Body rhs, Location location) implements E {}

  /** An expression evaluated under {@code with} modifiers. */
  public record WithE(E inner, List<With> withs, Location location) implements E {}

  /** {@code some x} declarations compile to nothing. */
  public record Nop(Location location) implements E {}

  /**
   * An iteration over a collection in base data that the equalities after it (or around it) filter:
   * evaluated as a lookup in a hash index (see {@link DataIndex}), or as {@code original} whenever
   * the index cannot be used (indexing off, {@code with} on data, a listener, a variable not bound
   * as planned). Added after compilation by {@link DataIndexPlanner}; no compile check sees it.
   */
  public record IndexedScan(E original, DataIndex index, Location location) implements E {}

  /**
   * A {@code with} target: input or a data path (value replaced), or a function/builtin (replaced
   * by another function, {@code mock}, or by a constant result, {@code value}).
   */
  public record With(WithTarget target, List<String> path, String functionName, T value, Callee mock) {}

  public enum WithTarget { INPUT, DATA, FUNCTION }

  public record Body(E[] exprs) {}

  /** The kind of a rule as placed at its node. */
  public enum RuleKind { COMPLETE, MULTI_VALUE, FUNCTION }

  /**
   * A compiled rule at a rule-tree node. {@code suffix} is the part of the head ref below the
   * node (empty for plain rules; {@code [x]} for {@code p[x] := v}; {@code [x, "c"]} for
   * {@code p[x].c := v}). For multi-value rules {@code key} is the member.
   */
  public record Rule(RuleKind kind, boolean isDefault, T[] suffix, T[] args, T key, T value, Body body,
      Rule elseRule, int frameSize, Location location, String module, List<dev.gatehouse.engine.ast.Annotations> annotations,
      InputRequirement[] requires) {}

  /**
   * What OPA's rule index requires of the input before it evaluates a rule's body at all (see
   * {@link RuleIndex}): the document at {@code path} below input is defined and, when
   * {@code equals} is not null, equal to it.
   */
  public record InputRequirement(Value[] path, Value equals) {}
}
