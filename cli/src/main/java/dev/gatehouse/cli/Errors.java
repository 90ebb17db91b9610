package dev.gatehouse.cli;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Location;
import java.io.PrintWriter;
import java.util.List;

/** Prints errors the way opa does: {@code N errors occurred:} then {@code file:row: code: message}, or as JSON. */
final class Errors {
  private Errors() {}

  static void print(PrintWriter err, RegoException e) {
    print(err, e.errors());
  }

  static void print(PrintWriter err, List<RegoError> errors) {
    print(err, errors, "");
  }

  /**
   * As opa check and opa test print: parse errors come from loading the files, so their
   * header says {@code N errors occurred during loading:}. (opa also quotes the line of some parse
   * errors with a caret under the token; gatehouse does not.)
   */
  static void printLoaded(PrintWriter err, List<RegoError> errors) {
    boolean parse = !errors.isEmpty() && errors.stream().allMatch(e -> "rego_parse_error".equals(e.code()));
    print(err, errors, parse ? " during loading" : "");
  }

  private static void print(PrintWriter err, List<RegoError> errors, String when) {
    if (errors.size() == 1) {
      err.println("1 error occurred" + when + ": " + line(errors.get(0)));
    } else {
      err.println(errors.size() + " errors occurred" + when + ":");
      for (RegoError r : errors) {
        err.println(line(r));
      }
    }
    err.flush();
  }

  /**
   * opa's compile error limit ({@code -m}): the first {@code max} errors and then
   * {@code rego_compile_error: error limit reached}; all of them when max is 0 or less. Parse
   * errors are not limited (opa's loader reports them before compiling).
   */
  static List<RegoError> limit(List<RegoError> errors, int max) {
    if (max <= 0 || errors.size() < max || errors.stream().anyMatch(e -> "rego_parse_error".equals(e.code()))) {
      return errors;
    }
    List<RegoError> out = new java.util.ArrayList<>(errors.subList(0, max));
    out.add(new RegoError("rego_compile_error", "error limit reached", null));
    return out;
  }

  /** Errors without a code, and load errors (whose message names the file), print as their message alone, as opa's. */
  static String line(RegoError e) {
    return e.code() == null || e.code().isEmpty() || e.code().equals("load_error") ? e.message() : e.toString();
  }

  /** {@code {"errors":[{"message","code","location":{"file","row","col"}}]}} as opa eval -f json prints. */
  static String json(List<RegoError> errors) {
    StringBuilder sb = new StringBuilder("{\n  \"errors\": [\n");
    for (int i = 0; i < errors.size(); i++) {
      RegoError e = errors.get(i);
      // with details, the message is its first line: the rest is the details as text
      String message = e.details() != null && e.message().indexOf('\n') >= 0
          ? e.message().substring(0, e.message().indexOf('\n')) : e.message();
      sb.append("    {\n      \"message\": ").append(dev.gatehouse.engine.value.Json.quote(message));
      if (e.code() != null && !e.code().isEmpty()) {
        sb.append(",\n      \"code\": ").append(dev.gatehouse.engine.value.Json.quote(e.code()));
      }
      Location l = e.location();
      if (l != null && l != Location.NONE) {
        sb.append(",\n      \"location\": {\n        \"file\": ").append(dev.gatehouse.engine.value.Json.quote(l.file()))
            .append(",\n        \"row\": ").append(l.row()).append(",\n        \"col\": ").append(l.col())
            .append("\n      }");
      }
      if (e.details() != null) {
        sb.append(",\n      \"details\": {");
        int n = 0;
        for (java.util.Map.Entry<String, dev.gatehouse.engine.value.Value> d : e.details().entrySet()) {
          String v = dev.gatehouse.engine.value.Json.writeIndented(d.getValue(), "  ").replace("\n", "\n        ");
          sb.append(n++ == 0 ? "\n" : ",\n").append("        ").append(dev.gatehouse.engine.value.Json.quote(d.getKey()))
              .append(": ").append(v);
        }
        sb.append("\n      }");
      }
      sb.append("\n    }").append(i + 1 < errors.size() ? ",\n" : "\n");
    }
    return sb.append("  ]\n}").toString();
  }
}
