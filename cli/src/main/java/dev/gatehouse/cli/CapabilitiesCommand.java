package dev.gatehouse.cli;

import dev.gatehouse.engine.builtins.BuiltinRegistry;
import dev.gatehouse.engine.builtins.Capabilities;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse capabilities}: the builtins this engine implements, in opa capabilities JSON. */
@Command(name = "capabilities", mixinStandardHelpOptions = true,
    description = "Print the builtins this engine implements, in the JSON shape of opa capabilities --current.")
final class CapabilitiesCommand implements Callable<Integer> {
  /**
   * The future keywords a v1 module may import (contains, every, if and in are always on) and the
   * language features the parser accepts, by OPA's names.
   */
  static final List<String> FUTURE_KEYWORDS = List.of("and", "not", "or");
  static final List<String> FEATURES = List.of("keywords_in_refs", "rego_v1", "rego_v2", "rego_v2_import",
      "template_strings");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(
        Capabilities.toJson(BuiltinRegistry.defaults().all(), FUTURE_KEYWORDS, FEATURES));
    return 0;
  }
}
