package dev.gatehouse.cli;

import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.load.Loader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse check}: parse and compile, like {@code opa check}. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Parse and compile Rego files; print errors as file:row: code: message and exit 1 if any.")
final class CheckCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-S", "--strict"}, description = "Enable strict compile checks.")
  boolean strict;

  @Option(names = "--v0-compatible", description = "Parse modules as Rego v0.")
  boolean v0;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to check.")
  List<Path> paths;

  @Override
  public Integer call() {
    try {
      Loader.load(paths).toBuilder(v0 ? RegoVersion.V0 : RegoVersion.V1).strict(strict).compile();
      return 0;
    } catch (RegoException e) {
      Errors.print(spec.commandLine().getErr(), e);
      return 1;
    }
  }
}
