package dev.gatehouse.engine.conformance;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinRegistry;
import dev.gatehouse.engine.builtins.NetworkPolicy;
import dev.gatehouse.engine.builtins.core.Def;
import dev.gatehouse.engine.types.Types;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs OPA's YAML conformance cases (the schema of OPA's v1/test/cases/testdata) against the
 * engine. A case passes only on an exact result match (with {@code sort_bindings} honoured) or,
 * for error cases, a matching error code and a message containing {@code want_error}.
 */
public final class ConformanceRunner {
  /** A failed case and why. */
  public record Failure(String file, String note, String reason) {}

  /** Per-folder counts. */
  public record FolderCount(int passed, int failed) {}

  /** The whole run. */
  public record Report(int total, int passed, int failed, int skipped, Map<String, FolderCount> folders,
      List<Failure> failures) {

    /** The JSON shape of {@code gatehouse conformance -f json}. */
    public Value toValue() {
      ObjectValue.Builder fs = ObjectValue.builder();
      folders.forEach((name, c) -> fs.put(name, ObjectValue.of("passed", NumberValue.of(c.passed()),
          "failed", NumberValue.of(c.failed()))));
      List<Value> fl = new ArrayList<>();
      for (Failure f : failures) {
        fl.add(ObjectValue.of("file", StringValue.of(f.file()), "note", StringValue.of(f.note()),
            "reason", StringValue.of(f.reason())));
      }
      return ObjectValue.of("total", NumberValue.of(total), "passed", NumberValue.of(passed),
          "failed", NumberValue.of(failed), "skipped", NumberValue.of(skipped), "folders", fs.build(),
          "failures", ArrayValue.of(fl));
    }
  }

  private static final Duration CASE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Cases may resolve the local machine's name (net.lookup_ip_addr("localhost")) and nothing else:
   * the suite must not reach the network.
   */
  private static final NetworkPolicy CASE_NETWORK = NetworkPolicy.allow(List.of("localhost"));

  /**
   * test.sleep(duration): the test-only builtin OPA's own suite harness registers (used to show
   * that time.now_ns is fixed for a whole query).
   */
  private static final Builtin TEST_SLEEP = Def.def("test.sleep").arg(Types.STRING).returns(Types.NULL).impl((c, a) -> {
    Value ns = BuiltinRegistry.defaults().get("time.parse_duration_ns").call(c, a);
    try {
      Thread.sleep(Duration.ofNanos(((NumberValue) ns).longValue()).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return NullValue.INSTANCE;
  });

  private ConformanceRunner() {}

  /** Runs every *.yaml case file below dir, parsing modules as the given Rego version. */
  public static Report run(Path dir, RegoVersion version) {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int total = 0;
    int passed = 0;
    int skipped = 0;
    Map<String, int[]> folders = new TreeMap<>();
    List<Failure> failures = new ArrayList<>();
    for (Path file : files) {
      Path rel = dir.relativize(file);
      String folder = rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
      Value doc;
      try {
        doc = Json.parseYaml(Files.readString(file));
      } catch (IOException | RuntimeException e) {
        failures.add(new Failure(rel.toString(), "", "cannot read case file: " + e.getMessage()));
        continue;
      }
      if (!(doc instanceof ObjectValue o) || !(o.get("cases") instanceof ArrayValue cases)) {
        continue;
      }
      for (Value c : cases.elements()) {
        ObjectValue tc = (ObjectValue) c;
        total++;
        String note = str(tc.get("note"));
        int[] count = folders.computeIfAbsent(folder, k -> new int[2]);
        String reason;
        try {
          reason = runCase(tc, version);
        } catch (RuntimeException | StackOverflowError e) {
          reason = "crashed: " + e;
        }
        if (reason == null) {
          passed++;
          count[0]++;
        } else {
          count[1]++;
          failures.add(new Failure(rel.toString(), note, reason));
        }
      }
    }
    Map<String, FolderCount> out = new TreeMap<>();
    folders.forEach((k, v) -> out.put(k, new FolderCount(v[0], v[1])));
    return new Report(total, passed, total - passed - skipped, skipped, Collections.unmodifiableMap(out), failures);
  }

  private static String str(Value v) {
    return v instanceof StringValue s ? s.value() : v == null ? "" : v.toString();
  }

  /** Runs one case; null when it passes, else the reason it failed. */
  static String runCase(ObjectValue tc, RegoVersion version) {
    String wantCode = tc.get("want_error_code") instanceof StringValue s ? s.value() : null;
    String wantError = tc.get("want_error") instanceof StringValue s ? s.value() : null;
    boolean strict = BooleanValue.TRUE.equals(tc.get("strict_error"));
    List<QueryResult> results;
    try {
      Rego.Builder b = Rego.builder().regoVersion(version).builtin(TEST_SLEEP);
      if (tc.get("modules") instanceof ArrayValue mods) {
        for (int i = 0; i < mods.size(); i++) {
          b.module("test-" + i + ".rego", str(mods.get(i)));
        }
      }
      if (tc.get("data") instanceof ObjectValue data) {
        b.data(data);
      }
      Policy policy = b.compile();
      Value input = tc.get("input");
      if (tc.get("input_term") instanceof StringValue term) {
        List<QueryResult> r = policy.prepare(term.value()).eval(EvalOptions.builder().build());
        input = r.isEmpty() ? null : r.get(0).value();
      }
      PreparedQuery q = policy.prepare(str(tc.get("query")));
      results = q.eval(EvalOptions.builder().input(input).strictBuiltinErrors(strict).timeout(CASE_TIMEOUT)
          .network(CASE_NETWORK)
          .nowNanos(System.currentTimeMillis() * 1_000_000L).build());
    } catch (RegoException e) {
      if (wantCode == null && wantError == null) {
        return "unexpected error: " + e.getMessage();
      }
      for (RegoError err : e.errors()) {
        boolean codeOk = wantCode == null || wantCode.equals(err.code());
        boolean msgOk = wantError == null || err.message().contains(wantError) || e.getMessage().contains(wantError);
        if (codeOk && msgOk) {
          return null;
        }
      }
      return "wrong error: got " + e.getMessage() + "; want " + wantCode + " " + (wantError == null ? "" : wantError);
    }
    if (wantCode != null || wantError != null) {
      return "expected error " + wantCode + " " + (wantError == null ? "" : wantError) + ", got " + render(results);
    }
    if (tc.get("want_defined") instanceof BooleanValue wd && tc.get("want_result") == null) {
      return wd.value() == !results.isEmpty() ? null : "want_defined " + wd.value() + ", got " + render(results);
    }
    Value want = tc.get("want_result");
    List<Value> wantList = want instanceof ArrayValue a ? a.elements() : List.of();
    boolean sortBindings = BooleanValue.TRUE.equals(tc.get("sort_bindings"));
    List<Value> got = new ArrayList<>();
    for (QueryResult r : results) {
      ObjectValue.Builder ob = ObjectValue.builder();
      // OPA compares results in their JSON form: sets are arrays, object keys are strings
      r.bindings().forEach((k, v) -> {
        Value j = Json.parse(Json.write(v));
        ob.put(k, sortBindings ? sortArrays(j) : j);
      });
      got.add(ob.build());
    }
    List<Value> expected = new ArrayList<>();
    for (Value w : wantList) {
      expected.add(sortBindings && w instanceof ObjectValue wo ? sortBindingValues(wo) : w);
    }
    List<Value> gs = new ArrayList<>(got);
    List<Value> es = new ArrayList<>(expected);
    Collections.sort(gs);
    Collections.sort(es);
    return gs.equals(es) ? null : "want " + ArrayValue.of(expected) + ", got " + ArrayValue.of(got);
  }

  private static Value sortBindingValues(ObjectValue o) {
    ObjectValue.Builder b = ObjectValue.builder();
    o.forEach((k, v) -> b.put(k, sortArrays(v)));
    return b.build();
  }

  private static Value sortArrays(Value v) {
    if (v instanceof ArrayValue a) {
      List<Value> l = new ArrayList<>(a.elements());
      Collections.sort(l);
      return ArrayValue.of(l);
    }
    return v;
  }

  private static String render(List<QueryResult> results) {
    List<Value> out = new ArrayList<>();
    for (QueryResult r : results) {
      ObjectValue.Builder ob = ObjectValue.builder();
      r.bindings().forEach(ob::put);
      out.add(ob.build());
    }
    return ArrayValue.of(out).toString();
  }

  /** {@code ConformanceRunner DIR [v0]}: prints the totals, per-folder counts and failures. */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    RegoVersion v = args.length > 1 && args[1].equals("v0") ? RegoVersion.V0 : RegoVersion.V1;
    Report r = run(dir, v);
    r.folders().forEach((k, c) -> System.out.printf("%-40s %4d passed %4d failed%n", k, c.passed(), c.failed()));
    if (args.length > 2) {
      for (Failure f : r.failures()) {
        if (f.file().startsWith(args[2])) {
          System.out.println("FAIL " + f.file() + " :: " + f.note() + " :: " + f.reason());
        }
      }
    }
    System.out.printf("total %d passed %d failed %d%n", r.total(), r.passed(), r.failed());
  }
}
