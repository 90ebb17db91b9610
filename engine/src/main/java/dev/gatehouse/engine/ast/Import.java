package dev.gatehouse.engine.ast;

/**
 * {@code import data.x.y [as z]}, {@code import input.a}, {@code import future.keywords[.k]},
 * {@code import rego.v1}. alias is null when none was given.
 */
public record Import(Ref path, Var alias, Location location) {
  /** The name the import binds in the module: the alias, or the last path element. */
  public String boundName() {
    if (alias != null) {
      return alias.name();
    }
    Term last = path.get(path.size() - 1);
    if (last instanceof Scalar s && s.value() instanceof dev.gatehouse.engine.value.StringValue str) {
      return str.value();
    }
    return last.toString();
  }
}
