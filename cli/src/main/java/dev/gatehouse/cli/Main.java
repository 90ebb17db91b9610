package dev.gatehouse.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gatehouse} command. Subcommands are listed in {@link #COMMANDS} rather than in the
 * annotation: picocli builds the model of every listed command up front (about 300 ms of CPU for
 * all of them), so a run that names its command only builds that one.
 */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Policy-as-code for just-in-time access and deploy guardrails, with an OPA-compatible Rego engine.")
public final class Main implements Runnable {
  /** Every subcommand, in help order. Add new commands here. */
  static final List<Class<?>> COMMANDS = List.of(EvalCommand.class, BenchCommand.class, TestCommand.class, CheckCommand.class,
      FmtCommand.class, BuildCommand.class, CapabilitiesCommand.class, ConformanceCommand.class, WebhookCommand.class,
      InjectCommand.class, ImpactCommand.class, SidecarCommand.class, ControlPlaneCommand.class, UpCommand.class, RequestCommand.class, ReviewCommand.class,
      GrantCommand.class, AuditCommand.class, LoginCommand.class, VersionCommand.class, CommandLine.HelpCommand.class);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code;
    try {
      code = run(args);
    } catch (OutOfMemoryError e) {
      // Input or data larger than the heap the process was given: an operating condition with a
      // remedy, not a bug, so one line instead of a stack trace.
      code = reportOutOfMemory();
    }
    System.exit(code);
  }

  private static int reportOutOfMemory() {
    long mib = maxHeapBytes() / (1024 * 1024);
    System.err.println("gatehouse: out of memory (heap limit " + mib + " MiB); give it more with "
        + "GATEHOUSE_JAVA_OPTS=-Xmx<size>, e.g. GATEHOUSE_JAVA_OPTS=-Xmx" + Math.max(1, mib * 4 / 1024) + "g");
    return 2;
  }

  /** The configured heap limit (-Xmx), which Runtime.maxMemory() understates by a survivor space. */
  private static long maxHeapBytes() {
    try {
      return Long.parseLong(java.lang.management.ManagementFactory
          .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("MaxHeapSize").getValue());
    } catch (RuntimeException | LinkageError e) {
      return Runtime.getRuntime().maxMemory();
    }
  }

  /** Runs the CLI with these arguments and returns the exit code (used by tests). */
  public static int run(String... args) {
    return commandLine(args).execute(args);
  }

  /** The command line with every subcommand (for help and tests). */
  static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /** The command line for these arguments: just the named subcommand when the first argument names one. */
  static CommandLine commandLine(String... args) {
    CommandLine cl = new CommandLine(new Main());
    Class<?> named = args.length > 0 ? find(args[0]) : null;
    if (named != null && named != CommandLine.HelpCommand.class) {
      cl.addSubcommand(named);
    } else {
      for (Class<?> c : COMMANDS) {
        cl.addSubcommand(c);
      }
    }
    // Bad flags or arguments exit 1, as opa's do (2 means failed tests or errors to scripts).
    setInvalidInputExit(cl, 1);
    // impact's contract: every error, bad flags included, exits 2 (1 is never used, 3 is the gate).
    CommandLine impact = cl.getSubcommands().get("impact");
    if (impact != null) {
      impact.getCommandSpec().exitCodeOnInvalidInput(ImpactCommand.EXIT_ERROR);
    }
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      cmd.getErr().println("error: " + ex.getMessage());
      return 1;
    });
    return cl;
  }

  private static Class<?> find(String name) {
    for (Class<?> c : COMMANDS) {
      Command a = c.getAnnotation(Command.class);
      if (a != null && (a.name().equals(name) || java.util.Arrays.asList(a.aliases()).contains(name))) {
        return c;
      }
    }
    return null;
  }

  private static void setInvalidInputExit(CommandLine cl, int code) {
    // The JIT client commands document 2 for usage errors (1 means the server or policy refused).
    int c = cl.getCommandSpec().userObject() instanceof ClientCommand ? ClientCommand.USAGE : code;
    cl.getCommandSpec().exitCodeOnInvalidInput(c);
    for (CommandLine sub : cl.getSubcommands().values()) {
      setInvalidInputExit(sub, c);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
