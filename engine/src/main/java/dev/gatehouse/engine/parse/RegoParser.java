package dev.gatehouse.engine.parse;

import dev.gatehouse.engine.ast.Body;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.RegoVersion;

/**
 * Rego source → AST. Errors are thrown as {@link dev.gatehouse.engine.RegoException} with code
 * {@code rego_parse_error}, file:row:col and OPA's wording.
 */
public final class RegoParser {
  private RegoParser() {}

  public static Module parseModule(String file, String source, RegoVersion version) {
    throw new UnsupportedOperationException("the parser is not written yet");
  }

  /** Parses an ad-hoc query (one or more expressions separated by newlines or semicolons). */
  public static Body parseQuery(String source, RegoVersion version) {
    throw new UnsupportedOperationException("the parser is not written yet");
  }
}
