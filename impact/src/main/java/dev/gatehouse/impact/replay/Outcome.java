package dev.gatehouse.impact.replay;

import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;

/** What one revision decided for one entry: a value, undefined, or an evaluation error. */
public sealed interface Outcome {
  record Defined(Value value) implements Outcome {}

  record Undefined() implements Outcome {}

  record Failed(String code, String message) implements Outcome {}

  Outcome UNDEFINED = new Undefined();

  /** {@code {"result": v}}, {@code {}} when undefined, {@code {"error": {code, message}}}, as reports show it. */
  default Value toJson() {
    if (this instanceof Defined d) {
      return ObjectValue.of("result", d.value());
    }
    if (this instanceof Failed f) {
      return ObjectValue.of("error", ObjectValue.of("code", StringValue.of(f.code()), "message",
          StringValue.of(f.message())));
    }
    return ObjectValue.EMPTY;
  }

  /** Compares as JSON: two outcomes are the same when they serialise to the same bytes. */
  default boolean sameAs(Outcome other) {
    if (this instanceof Defined a && other instanceof Defined b) {
      return a.value().equals(b.value()) || Json.write(a.value()).equals(Json.write(b.value()));
    }
    return this.equals(other);
  }
}
