package dev.gatehouse.cli;

import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.conformance.ConformanceRunner;
import dev.gatehouse.engine.value.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse conformance}: run OPA's YAML conformance cases and count passes. */
@Command(name = "conformance", mixinStandardHelpOptions = true,
    description = "Run every OPA-format YAML case file under DIR and print a summary. "
        + "Exits 0 even when cases fail (the numbers are the result); 1 only if DIR cannot be read.")
final class ConformanceCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-f", "--format"}, defaultValue = "pretty", description = "Output format: pretty or json.")
  String format;

  @Option(names = "--v0", description = "Parse the cases' modules as Rego v0 (for the suite's v0 folder).")
  boolean v0;

  @Option(names = "--show-failures", description = "With pretty output, list every failing case and why.")
  boolean showFailures;

  @Parameters(index = "0", paramLabel = "DIR", description = "Directory of YAML case files (e.g. OPA's v1/test/cases/testdata/v1).")
  Path dir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isDirectory(dir)) {
      spec.commandLine().getErr().println("error: cannot read directory " + dir);
      return 1;
    }
    ConformanceRunner.Report r = ConformanceRunner.run(dir, v0 ? RegoVersion.V0 : RegoVersion.V1);
    if (format.equals("json")) {
      // the contract's key order: totals first, then folders, then failures
      StringBuilder sb = new StringBuilder();
      sb.append("{\"total\":").append(r.total()).append(",\"passed\":").append(r.passed())
          .append(",\"failed\":").append(r.failed()).append(",\"skipped\":").append(r.skipped())
          .append(",\"folders\":");
      Json.write(((dev.gatehouse.engine.value.ObjectValue) r.toValue()).get("folders"), sb);
      sb.append(",\"failures\":");
      Json.write(((dev.gatehouse.engine.value.ObjectValue) r.toValue()).get("failures"), sb);
      out.println(sb.append('}'));
      return 0;
    }
    r.folders().forEach((name, c) -> out.printf("%-44s %5d passed %5d failed%n", name, c.passed(), c.failed()));
    if (showFailures) {
      for (ConformanceRunner.Failure f : r.failures()) {
        out.println("FAIL " + f.file() + " :: " + f.note() + " :: " + f.reason());
      }
    }
    out.printf("conformance: %d passed, %d failed, %d skipped of %d cases%n", r.passed(), r.failed(), r.skipped(), r.total());
    return 0;
  }
}
