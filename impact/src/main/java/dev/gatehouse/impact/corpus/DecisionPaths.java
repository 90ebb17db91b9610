package dev.gatehouse.impact.corpus;

import dev.gatehouse.engine.value.Json;
import java.util.regex.Pattern;

/** Decision paths as OPA's decision log writes them ({@code a/b/c}) turned into queries ({@code data.a.b.c}). */
public final class DecisionPaths {
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private DecisionPaths() {}

  /**
   * {@code gatehouse/sidecar/decision}, {@code /gatehouse/sidecar/decision} and
   * {@code data.gatehouse.sidecar.decision} all give {@code data.gatehouse.sidecar.decision};
   * segments that are not identifiers are quoted ({@code data.a["b-c"]}).
   *
   * @throws IllegalArgumentException for an empty path or an empty segment
   */
  public static String toQuery(String path) {
    String p = path.trim();
    if (p.equals("data") || p.startsWith("data.") || p.startsWith("data[")) {
      return p;
    }
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    if (p.startsWith("data/")) {
      p = p.substring(5);
    }
    if (p.isEmpty()) {
      throw new IllegalArgumentException("empty decision path");
    }
    StringBuilder sb = new StringBuilder("data");
    for (String seg : p.split("/", -1)) {
      if (seg.isEmpty()) {
        throw new IllegalArgumentException("empty segment in decision path \"" + path + "\"");
      }
      if (IDENT.matcher(seg).matches()) {
        sb.append('.').append(seg);
      } else {
        sb.append('[').append(Json.quote(seg)).append(']');
      }
    }
    return sb.toString();
  }
}
