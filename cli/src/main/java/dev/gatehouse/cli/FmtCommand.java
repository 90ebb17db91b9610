package dev.gatehouse.cli;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.format.RegoFormatter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bitbucket.cowwoc.diffmatchpatch.DiffMatchPatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse fmt}: formats Rego like {@code opa fmt}, with its flags, output and exit codes
 * (1 for stdin errors, 2 for file errors and {@code --fail} on a change).
 */
@Command(name = "fmt", mixinStandardHelpOptions = true,
    description = "Format Rego source files exactly as opa fmt does; reads stdin when no path is given.")
final class FmtCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-w", "--write"}, description = "Overwrite the original source file.")
  boolean write;

  @Option(names = {"-l", "--list"}, description = "List all files who would change when formatted.")
  boolean list;

  @Option(names = {"-d", "--diff"}, description = "Only display a diff of the changes.")
  boolean diff;

  @Option(names = "--fail", description = "Non zero exit code on reformat.")
  boolean fail;

  @Option(names = "--v0-compatible", description = "Parse and format modules as Rego v0.")
  boolean v0;

  @Option(names = {"--v0-v1", "--rego-v1"},
      description = "Format v0 module(s) to be compatible with both Rego v0 and v1.")
  boolean v0v1;

  @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or directories to format (.rego files).")
  List<Path> paths = new ArrayList<>();

  /** Stops the run with opa's message and exit code. */
  private static final class FmtFailure extends RuntimeException {
    final int code;

    FmtFailure(String message) {
      this(message, 2);
    }

    FmtFailure(String message, int code) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  private RegoFormatter.Target target() {
    if (v0v1) {
      return RegoFormatter.Target.V0_V1;
    }
    return v0 ? RegoFormatter.Target.V0 : RegoFormatter.Target.V1;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (paths.isEmpty()) {
      return formatStdin(out, err);
    }
    try {
      for (Path p : paths) {
        if (!Files.exists(p)) {
          throw new FmtFailure("lstat " + p + ": no such file or directory", 1);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(p)) {
          files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
          formatFile(f, out);
        }
      }
      return 0;
    } catch (FmtFailure f) {
      out.flush();
      err.println(f.getMessage());
      err.flush();
      return f.code;
    } catch (IOException | UncheckedIOException e) {
      out.flush();
      err.println(e.getMessage());
      err.flush();
      return 1;
    } finally {
      out.flush();
    }
  }

  private int formatStdin(PrintWriter out, PrintWriter err) {
    String src;
    try {
      InputStream in = System.in;
      src = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.println(e.getMessage());
      err.flush();
      return 1;
    }
    try {
      out.print(RegoFormatter.format("stdin", src, target()));
      out.flush();
      return 0;
    } catch (RegoException e) {
      err.println(describe(e, src));
      err.flush();
      return 1;
    }
  }

  private void formatFile(Path file, PrintWriter out) throws IOException {
    if (!file.getFileName().toString().endsWith(".rego")) {
      return;
    }
    String name = file.toString();
    String src;
    try {
      src = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FmtFailure("failed to open file: " + e.getMessage());
    }
    String formatted;
    try {
      formatted = RegoFormatter.format(name, src, target());
    } catch (RegoException e) {
      throw new FmtFailure("failed to format Rego source file: " + describe(e, src));
    }
    boolean changed = !src.equals(formatted);
    if (fail && !list && !diff) {
      if (changed) {
        throw new FmtFailure("unexpected diff");
      }
    }
    if (list) {
      if (changed) {
        out.println(name);
        if (fail) {
          throw new FmtFailure("unexpected diff");
        }
      }
      return;
    }
    if (diff) {
      if (changed) {
        out.println(prettyDiff(src, formatted));
        if (fail) {
          throw new FmtFailure("unexpected diff");
        }
      }
      return;
    }
    if (write) {
      if (changed) {
        Files.writeString(file, formatted, StandardCharsets.UTF_8);
      }
      return;
    }
    out.print(formatted);
  }

  /** The diff opa prints: diff-match-patch's character diff, insertions green, deletions red. */
  static String prettyDiff(String before, String after) {
    DiffMatchPatch dmp = new DiffMatchPatch();
    StringBuilder sb = new StringBuilder();
    for (DiffMatchPatch.Diff d : dmp.diffMain(before, after, false)) {
      switch (d.operation) {
        case INSERT -> colored(sb, d.text, "\u001b[32m");
        case DELETE -> colored(sb, d.text, "\u001b[31m");
        default -> sb.append(d.text);
      }
    }
    return sb.toString();
  }

  private static void colored(StringBuilder sb, String text, String color) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      sb.append(color).append(lines[i]).append("\u001b[0m");
      if (i < lines.length - 1) {
        sb.append('\n');
      }
    }
  }

  /** OPA's multi-error text: a count line, then each error with its source line and a caret. */
  static String describe(RegoException e, String src) {
    List<RegoError> errors = e.errors();
    StringBuilder sb = new StringBuilder();
    sb.append(errors.size() == 1 ? "1 error occurred: " : errors.size() + " errors occurred:\n");
    String[] lines = src.split("\n", -1);
    for (int i = 0; i < errors.size(); i++) {
      RegoError r = errors.get(i);
      if (i > 0) {
        sb.append('\n');
      }
      sb.append(r);
      if (r.location() != null && r.location().row() > 0 && r.location().row() <= lines.length) {
        String line = lines[r.location().row() - 1].stripTrailing();
        sb.append("\n\t").append(line).append("\n\t")
            .append(" ".repeat(Math.max(0, r.location().col() - 1))).append('^');
      }
    }
    return sb.toString();
  }
}
