package dev.gatehouse.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs the CLI as a user would: arguments in; exit code, stdout and stderr out. */
final class Cli {
  static final Path TESTS = Path.of("src/test/resources/tests");

  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    return runWithStdin(null, args);
  }

  static synchronized Result runWithStdin(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    InputStream saved = System.in;
    if (stdin != null) {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }
    try {
      var cl = Main.commandLine(args);
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      int code = cl.execute(args);
      return new Result(code, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  private Cli() {}
}
