package dev.gatehouse.engine.ast;

/**
 * A variable. {@code _} is the wildcard (the parser gives each one a unique generated name
 * starting with {@code $}); {@code input} and {@code data} are root documents when not shadowed.
 */
public record Var(String name, Location location) implements Term {
  public static final String WILDCARD = "_";

  /** True for names the parser or compiler generated ({@code $0}, {@code $wc3}, ...). */
  public boolean isGenerated() {
    return name.startsWith("$");
  }

  public boolean isWildcard() {
    return name.equals(WILDCARD) || name.startsWith("$_");
  }

  @Override public boolean isGround() { return false; }

  @Override
  public boolean equals(Object o) {
    return o instanceof Var v && v.name.equals(name);
  }

  @Override public int hashCode() { return name.hashCode(); }

  @Override public String toString() { return name; }
}
