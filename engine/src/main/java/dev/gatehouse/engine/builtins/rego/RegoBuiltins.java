package dev.gatehouse.engine.builtins.rego;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.func;
import static dev.gatehouse.engine.types.Types.named;
import static dev.gatehouse.engine.types.Types.objectOf;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.builtins.BuiltinProvider;
import dev.gatehouse.engine.builtins.core.Args;
import dev.gatehouse.engine.builtins.core.Fn;
import dev.gatehouse.engine.parse.RegoParser;
import java.util.List;

/** rego.parse_module: a module's AST as OPA's JSON, for policies that inspect policies. */
public final class RegoBuiltins implements BuiltinProvider {
  @Override
  public List<Builtin> builtins() {
    return List.of(Fn.of("rego", "rego.parse_module", func(named("output", objectOf(STRING, ANY)),
        named("filename", STRING), named("rego", STRING)), (c, a) -> {
          String file = Args.str(a, 0);
          String source = Args.str(a, 1);
          Module m;
          try {
            m = RegoParser.parseModule(file, source, RegoVersion.V1);
          } catch (RegoException e) {
            throw BuiltinException.error(describe(e.errors(), source));
          }
          return AstJson.module(m);
        }));
  }

  /** OPA's rendering of a parse error list: a count, then each error with the offending line and a caret. */
  static String describe(List<RegoError> errors, String source) {
    StringBuilder sb = new StringBuilder();
    if (errors.size() == 1) {
      sb.append("1 error occurred: ");
      appendError(sb, errors.get(0), source);
    } else {
      sb.append(errors.size()).append(" errors occurred:");
      for (RegoError e : errors) {
        sb.append('\n');
        appendError(sb, e, source);
      }
    }
    return sb.toString();
  }

  private static void appendError(StringBuilder sb, RegoError e, String source) {
    sb.append(e);
    Location loc = e.location();
    if (loc == null || loc.row() < 1) {
      return;
    }
    String[] lines = source.split("\n", -1);
    if (loc.row() > lines.length) {
      return;
    }
    String line = lines[loc.row() - 1];
    String trimmed = line.replaceFirst("^\t+", "");
    int indent = Math.max(0, loc.col() - 1 - (line.length() - trimmed.length()));
    sb.append("\n\t").append(trimmed).append("\n\t").append(" ".repeat(indent)).append('^');
  }
}
