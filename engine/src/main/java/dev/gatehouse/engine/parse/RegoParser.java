package dev.gatehouse.engine.parse;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Body;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.ast.Term;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Rego source → AST. Errors are thrown as {@link RegoException} with code {@code rego_parse_error},
 * file:row:col and OPA's wording.
 */
public final class RegoParser {
  private RegoParser() {}

  public static Module parseModule(String file, String source, RegoVersion version) {
    return run(file, source, version, Parser::parseModule);
  }

  /**
   * A v0 module held to v1's rules as well ({@code opa check --v0-v1}): it must parse as v0 and
   * have {@code if} before every body and {@code contains} in partial set rules.
   */
  public static Module parseModuleV0V1(String file, String source) {
    List<ParseProblem> problems = new ArrayList<>();
    return run(file, source, problems, () -> new Parser(file, source, RegoVersion.V0, problems, true).parseModule());
  }

  /** Parses an ad-hoc query (one or more expressions separated by newlines or semicolons). */
  public static Body parseQuery(String source, RegoVersion version) {
    return run("", source, version, Parser::parseQueryBody);
  }

  /** Parses a single term, e.g. a literal input document written in Rego syntax. */
  public static Term parseTerm(String source) {
    return run("", source, RegoVersion.V1, Parser::parseSingleTerm);
  }

  private static <T> T run(String file, String source, RegoVersion version, Function<Parser, T> what) {
    List<ParseProblem> problems = new ArrayList<>();
    return run(file, source, problems, () -> what.apply(new Parser(file, source, version, problems)));
  }

  private static <T> T run(String file, String source, List<ParseProblem> problems,
      java.util.function.Supplier<T> what) {
    T result = null;
    try {
      result = what.get();
    } catch (Parser.Failure f) {
      problems.add(f.problem);
      if (f.context != null) {
        problems.add(f.context);
      }
    } catch (RegoException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // A parser bug must still surface as a parse error at a location, never as a crash.
      problems.add(new ParseProblem("internal parser error: " + e, new Location(file, 1, 1, 0)));
    }
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparingInt(p -> p.location().offset()));
      List<RegoError> errors = new ArrayList<>();
      for (ParseProblem p : problems) {
        RegoError e = new RegoError("rego_parse_error", p.message(), p.location());
        if (!errors.contains(e)) {
          errors.add(e);
        }
      }
      throw new RegoException(errors);
    }
    return result;
  }
}
