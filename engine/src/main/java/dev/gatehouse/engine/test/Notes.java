package dev.gatehouse.engine.test;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.types.Types;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code trace(note)} while tests run with {@code --explain notes}: the builtin replaces the
 * engine's (which only returns true) and records each note, with where it was made, for the test
 * running on the calling thread, as opa's tracer records Note events.
 */
final class Notes {
  private Notes() {}

  private static final ThreadLocal<List<TestResult.Note>> CURRENT = new ThreadLocal<>();

  static Builtin builtin() {
    return new Builtin() {
      @Override public String name() { return "trace"; }

      @Override public Type.Func decl() { return Types.func(Types.BOOLEAN, Types.STRING); }

      @Override
      public Value call(BuiltinContext ctx, Value[] args) {
        List<TestResult.Note> notes = CURRENT.get();
        if (notes != null && args[0] instanceof StringValue s) {
          notes.add(new TestResult.Note(ctx.location(), s.value()));
        }
        return BooleanValue.TRUE;
      }
    };
  }

  static void start() {
    CURRENT.set(new ArrayList<>());
  }

  static List<TestResult.Note> finish() {
    List<TestResult.Note> n = CURRENT.get();
    CURRENT.remove();
    return n == null ? List.of() : n;
  }
}
