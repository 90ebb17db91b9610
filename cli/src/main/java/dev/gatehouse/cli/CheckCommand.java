package dev.gatehouse.cli;

import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse check}: parse and compile, like {@code opa check}. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Parse and compile Rego files, like opa check. Errors go to stderr as"
        + " 'file:row: code: message' (or JSON with --format json).", "",
        "  gatehouse check --strict policies/", "",
        "Exit codes: 0 when everything compiles; 1 otherwise."})
final class CheckCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-S", "--strict"}, description = "Enable strict compile checks.")
  boolean strict;

  @Option(names = {"-b", "--bundle"}, description = "Treat the paths as bundles (their .manifest roots are checked).")
  boolean bundleMode;

  @Option(names = {"-f", "--format"}, defaultValue = "pretty", description = "Error format: pretty (default) or json.")
  String format;

  @Option(names = "--v0-compatible", description = "Parse modules as Rego v0.")
  boolean v0;

  @Option(names = {"-s", "--schema"}, paramLabel = "PATH",
      description = "A JSON Schema file for input: references input cannot have and comparisons that cannot hold"
          + " are type errors. (A directory of schemas, which opa applies through METADATA schemas"
          + " annotations, is accepted and not applied.)")
  Path schema;

  @Option(names = "--v0-v1", description = "Modules must be valid Rego v0 and v1 alike (parsed as v0; `if` and"
      + " `contains` required, as v1 requires them).")
  boolean v0v1;

  @Option(names = "--ignore", split = ",", paramLabel = "GLOB",
      description = "File and directory names to skip while loading (e.g. '.*' skips hidden files); repeatable.")
  List<String> ignore = new ArrayList<>();

  @Option(names = {"-m", "--max-errors"}, paramLabel = "N", defaultValue = "10",
      description = "Compile errors to report before stopping (default 10; 0 or less for all).")
  int maxErrors;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to check.")
  List<Path> paths;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    dev.gatehouse.engine.value.Value inputSchema = null;
    if (schema != null && !java.nio.file.Files.isDirectory(schema)) {
      try {
        inputSchema = dev.gatehouse.engine.value.Json.parse(java.nio.file.Files.readString(schema));
      } catch (java.io.IOException | RuntimeException e) {
        err.println("error: unable to read the schema " + schema + ": " + e.getMessage());
        err.flush();
        return 1;
      }
    }
    try {
      List<Path> none = new ArrayList<>();
      Inputs.load(bundleMode ? none : paths, bundleMode ? paths : none, v0 || v0v1 ? RegoVersion.V0 : RegoVersion.V1,
          ignore, true)
          .builder().strict(strict).inputSchema(inputSchema).v0v1(v0v1).compile();
      return 0;
    } catch (RegoException e) {
      List<dev.gatehouse.engine.RegoError> errors = Errors.limit(e.errors(), maxErrors);
      if (format.equals("json")) {
        err.println(Errors.json(errors));
        err.flush();
      } else {
        Errors.printLoaded(err, errors);
      }
      return 1;
    }
  }
}
