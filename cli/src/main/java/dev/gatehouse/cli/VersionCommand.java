package dev.gatehouse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse version}. */
@Command(name = "version", description = "Print the Gatehouse version and the OPA version it is compatible with.")
final class VersionCommand implements Callable<Integer> {
  static final String VERSION = "0.1.0-SNAPSHOT";
  static final String OPA_VERSION = dev.gatehouse.engine.conformance.SuiteLocator.PINNED_OPA_VERSION;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println("Version: " + VERSION);
    spec.commandLine().getOut().println("OPA compatibility: " + OPA_VERSION);
    spec.commandLine().getOut().println("Java: " + System.getProperty("java.version"));
    return 0;
  }

  /** Supplies {@code --version}. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"gatehouse " + VERSION + " (OPA " + OPA_VERSION + " compatible)"};
    }
  }
}
