package dev.gatehouse.cli;

import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.load.Loader;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.impact.Impact;
import dev.gatehouse.impact.ImpactException;
import dev.gatehouse.impact.ImpactReport;
import dev.gatehouse.impact.corpus.Corpus;
import dev.gatehouse.impact.replay.Masks;
import dev.gatehouse.impact.replay.Replayer;
import dev.gatehouse.impact.report.JsonReport;
import dev.gatehouse.impact.report.MarkdownReport;
import dev.gatehouse.impact.report.TextReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse impact}: replay recorded decisions against the policies of two Git revisions. */
@Command(name = "impact", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Replay recorded decisions against the policies at a base and a head revision (read from Git,"
        + " nothing checked out) and report every changed decision, grouped by decision path and rule, with the"
        + " tests, coverage, strict check and formatting of head.", "",
        "  gatehouse impact --decisions decisions.log.gz",
        "  gatehouse impact --base main --admission-reviews reviews/ -f markdown",
        "  gatehouse impact --golden golden/ --fail-on deny-to-allow", "",
        "Exit codes: 0; 3 when a --fail-on class occurred; 4 when head does not compile; 2 on errors"
            + " (bad refs, unreadable corpora, a base that does not compile, bad flags)."})
final class ImpactCommand implements Callable<Integer> {
  static final int EXIT_ERROR = ImpactReport.EXIT_ERROR;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".", description = "A directory inside the Git repository (default: .).")
  Path repo;

  @Option(names = "--base", paramLabel = "REF", description = "Base revision (default: the merge-base of head with origin/HEAD, else main, else master).")
  String base;

  @Option(names = "--head", paramLabel = "REF", defaultValue = "HEAD", description = "Head revision (default: HEAD).")
  String head;

  @Option(names = "--policies", paramLabel = "PATH", defaultValue = "policies",
      description = "Policy directory inside the repository, loaded as eval -d loads it (default: policies).")
  String policies;

  @Option(names = "--decisions", arity = "1..*", paramLabel = "FILE|DIR",
      description = "OPA decision-log files (JSON lines, plain or gzip) or directories of them (repeatable).")
  List<Path> decisions = new ArrayList<>();

  @Option(names = "--admission-reviews", arity = "1..*", paramLabel = "DIR",
      description = "Directories (or files) of recorded AdmissionReviews (repeatable).")
  List<Path> admissionReviews = new ArrayList<>();

  @Option(names = "--golden", arity = "1..*", paramLabel = "DIR",
      description = "Directories (or files) of golden decisions in the policy-tests format (repeatable).")
  List<Path> golden = new ArrayList<>();

  @Option(names = "--admission-path", paramLabel = "PATH", defaultValue = Corpus.ADMISSION_PATH,
      description = "Decision path for AdmissionReviews (default: ${DEFAULT-VALUE}).")
  String admissionPath;

  @Option(names = "--now", paramLabel = "TIME",
      description = "input.now for AdmissionReviews (RFC 3339). Default: the review's own \"now\" or \"timestamp\", else the time of this run.")
  String now;

  @Option(names = {"-d", "--data"}, paramLabel = "FILE", description = "Runtime data (JSON/YAML: grants, teams...) merged into both revisions (repeatable).")
  List<Path> data = new ArrayList<>();

  @Option(names = "--mask", paramLabel = "POINTER",
      description = "Mask rule for examples, a JSON pointer such as /input/request/object/data (repeatable; adds to the defaults).")
  List<String> masks = new ArrayList<>();

  @Option(names = "--no-default-masks", description = "Do not hide Authorization/Cookie headers and Secret data in examples.")
  boolean noDefaultMasks;

  @Option(names = "--examples", paramLabel = "N", defaultValue = "3", description = "Examples kept per group (default: 3).")
  int examples;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Output: text (default), markdown (one PR comment) or json.")
  String format;

  @Option(names = "--fail-on", split = ",", paramLabel = "CLASS",
      description = "Exit 3 when this class of change occurred: deny-to-allow, allow-to-deny or any (repeatable).")
  List<String> failOn = new ArrayList<>();

  @Option(names = "--no-tests", description = "Do not run the Rego tests of both revisions.")
  boolean noTests;

  @Option(names = "--threads", paramLabel = "N", description = "Replay threads (default: the number of cores).")
  Integer threads;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = GoDuration.class,
      description = "Limit per evaluation (default: 10s).")
  Duration timeout;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      if (!List.of("text", "markdown", "json").contains(format)) {
        throw new ImpactException("invalid --format \"" + format + "\": must be one of text, markdown, json");
      }
      Set<ImpactReport.FailOn> gates = EnumSet.noneOf(ImpactReport.FailOn.class);
      for (String f : failOn) {
        gates.add(ImpactReport.FailOn.parse(f));
      }
      if (decisions.isEmpty() && admissionReviews.isEmpty() && golden.isEmpty()) {
        throw new ImpactException("nothing to replay: give --decisions, --admission-reviews or --golden");
      }
      if (examples < 0) {
        throw new ImpactException("--examples must be 0 or more");
      }
      List<String> maskRules = new ArrayList<>(noDefaultMasks ? List.of() : Masks.DEFAULTS);
      maskRules.addAll(masks);
      Masks m;
      try {
        m = Masks.of(maskRules);
      } catch (IllegalArgumentException e) {
        throw new ImpactException(e.getMessage());
      }
      Replayer.Options replay = new Replayer.Options(m, examples,
          threads != null ? Math.max(1, threads) : Runtime.getRuntime().availableProcessors(),
          timeout.isZero() ? Duration.ofDays(1) : timeout);
      Corpus.Sources sources = new Corpus.Sources(decisions, admissionReviews, golden, admissionPath, parseNow(),
          Instant.now());
      ImpactReport report = Impact.run(new Impact.Request(repo, base, head, policies, sources, runtimeData(), replay,
          !noTests));
      out.print(switch (format) {
        case "markdown" -> MarkdownReport.render(report);
        case "json" -> JsonReport.render(report) + "\n";
        default -> TextReport.render(report);
      });
      out.flush();
      int code = report.exitCode(gates);
      if (code == ImpactReport.EXIT_HEAD_BROKEN) {
        err.println("error: head (" + report.head().ref() + ") does not compile; see the report");
      } else if (code == EXIT_ERROR) {
        err.println("error: base (" + report.base().ref() + ") does not compile; see the report");
      } else if (code == ImpactReport.EXIT_FAIL_ON) {
        err.println("impact: --fail-on " + String.join(",", failOn) + ": such changes occurred");
      }
      err.flush();
      return code;
    } catch (ImpactException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return EXIT_ERROR;
    } catch (RegoException e) {
      Errors.print(err, e);
      return EXIT_ERROR;
    } catch (RuntimeException e) {
      // Anything unexpected is still an error by this command's contract (2), never a crash.
      err.println("error: " + e);
      err.flush();
      return EXIT_ERROR;
    }
  }

  private Instant parseNow() {
    if (now == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(now).toInstant();
    } catch (DateTimeParseException e) {
      throw new ImpactException("--now " + now + ": not an RFC 3339 time (e.g. 2025-06-02T10:00:00Z)");
    }
  }

  private ObjectValue runtimeData() {
    if (data.isEmpty()) {
      return ObjectValue.EMPTY;
    }
    for (Path p : data) {
      String n = p.getFileName().toString();
      if (!(n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml"))) {
        throw new ImpactException("--data " + p + ": expected a JSON or YAML file");
      }
    }
    Value v = Loader.load(data).data();
    return v instanceof ObjectValue o ? o : ObjectValue.EMPTY;
  }
}
