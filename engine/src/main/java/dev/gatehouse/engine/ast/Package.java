package dev.gatehouse.engine.ast;

/** {@code package a.b.c}; path is the full ref starting at {@code data} ({@code data.a.b.c}). */
public record Package(Ref path, Location location) {
  /** The path without the leading {@code data}, dotted: {@code a.b.c}. */
  public String dottedName() {
    String s = path.toString();
    return s.startsWith("data.") ? s.substring(5) : s;
  }
}
