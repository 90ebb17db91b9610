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
      description = "A JSON Schema file for input (references input cannot have and comparisons that cannot hold"
          + " are type errors), or a directory of schemas that METADATA schemas annotations name"
          + " (schema.input for input.json, schema.k8s.pod for k8s/pod.json).")
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
    java.util.Map<String, dev.gatehouse.engine.value.Value> schemas = java.util.Map.of();
    if (schema != null && java.nio.file.Files.isDirectory(schema)) {
      try {
        schemas = schemaDirectory(schema);
      } catch (java.io.IOException | RuntimeException e) {
        err.println("error: unable to read the schemas in " + schema + ": " + e.getMessage());
        err.flush();
        return 1;
      }
    } else if (schema != null) {
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
          .builder().strict(strict).inputSchema(inputSchema).schemas(schemas).v0v1(v0v1).compile();
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

  /**
   * The JSON Schemas of a directory by the reference METADATA annotations use, as opa names them:
   * {@code input.json} is {@code schema.input}, {@code k8s/pod.json} is {@code schema.k8s.pod}.
   */
  static java.util.Map<String, dev.gatehouse.engine.value.Value> schemaDirectory(Path dir) throws java.io.IOException {
    java.util.Map<String, dev.gatehouse.engine.value.Value> out = new java.util.TreeMap<>();
    List<Path> files;
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(dir)) {
      files = s.filter(p -> java.nio.file.Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json"))
          .sorted().toList();
    }
    for (Path f : files) {
      String rel = dir.relativize(f).toString().replace(java.io.File.separatorChar, '/');
      String name = "schema." + rel.substring(0, rel.length() - ".json".length()).replace('/', '.');
      out.put(name, dev.gatehouse.engine.value.Json.parse(java.nio.file.Files.readString(f)));
    }
    return out;
  }
}
