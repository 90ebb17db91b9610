package dev.gatehouse.impact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.load.Loader;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.impact.corpus.Corpus;
import dev.gatehouse.impact.replay.ChangeClass;
import dev.gatehouse.impact.replay.Example;
import dev.gatehouse.impact.replay.Findings;
import dev.gatehouse.impact.replay.Replayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a throwaway repository holding the real policy library: base is the library as it
 * is; head loosens a guardrail (protected-namespace deploys only warn), tightens another (ghcr.io
 * leaves the allowed registries) and rewords the sidecar's unauthenticated denial through a new
 * rule. The corpus is the repository's own AdmissionReview fixtures and a decision log written in
 * OPA's event shape.
 */
class ImpactTest {
  static final String NOW = "2025-06-02T10:00:00Z";
  static final String ADMISSION = "data.gatehouse.admission.decision";
  static final String SIDECAR = "data.gatehouse.sidecar.decision";
  static final String UNAUTHENTICATED =
      "unauthenticated: this path needs a caller identity (mTLS or token) and none was given";

  @TempDir
  static Path tmp;

  static TestRepos.Repo repo;
  static Path logs;

  /** Loosens a guardrail, tightens another, and rewords a sidecar denial through a new rule. */
  static final TestRepos.Change GUARDRAIL_CHANGE = policies -> {
    Path data = policies.resolve("gatehouse/config/data.json");
    TestRepos.edit(data, s -> TestRepos.replaceOnce(s, "\"protected-namespace-deploy\": {\"action\": \"deny\"}",
        "\"protected-namespace-deploy\": {\"action\": \"warn\"}"));
    TestRepos.edit(data, s -> TestRepos.replaceOnce(s,
        "\"allowed_registries\": [\"registry.k8s.io\", \"ghcr.io\", \"quay.io\"]",
        "\"allowed_registries\": [\"registry.k8s.io\", \"quay.io\"]"));
    TestRepos.edit(policies.resolve("gatehouse/sidecar/sidecar.rego"), s -> TestRepos.replaceOnce(s,
        "} else := {\"allow\": false, \"reason\": \"" + UNAUTHENTICATED + "\"} if {",
        "} else := {\"allow\": false, \"reason\": unauthenticated_reason} if {")
        + "\nunauthenticated_reason := \"unauthenticated: sign in (mTLS or token) to use this path\"\n");
  };

  @BeforeAll
  static void setUp() throws IOException {
    repo = TestRepos.create(tmp.resolve("repo"), GUARDRAIL_CHANGE);
    logs = tmp.resolve("logs");
    Files.createDirectories(logs);
    writeDecisionLogs(logs);
  }

  /**
   * Two files, one gzipped, as a sidecar and the webhook would write them: 9 lines, of which 6
   * replayable events, one corrupt line, one ad-hoc query and one decision under an unknown path.
   */
  static void writeDecisionLogs(Path dir) throws IOException {
    Policy recorder = basePolicy();
    Value health = DecisionLogs.sidecarInput(null, "payments-api", "GET", "/healthz", NOW);
    Value anonymousRefund = DecisionLogs.sidecarInput(null, "payments-api", "POST", "/v1/refunds", NOW);
    Value bobRefund = DecisionLogs.sidecarInput("bob", "payments-api", "POST", "/v1/refunds", NOW);
    Value anonymousRates = DecisionLogs.sidecarInput(null, "payments-api", "DELETE", "/v1/rates/EUR", NOW);
    DecisionLogs.write(dir.resolve("sidecar-2025-06-02.log"), List.of(
        DecisionLogs.event(1, "gatehouse/sidecar/decision", health,
            Json.parse("{\"allow\":true,\"reason\":\"standing rule health-checks\"}"), "2025-06-02T10:00:00.101Z"),
        DecisionLogs.event(2, "gatehouse/sidecar/decision", anonymousRefund,
            Json.parse("{\"allow\":false,\"reason\":\"" + UNAUTHENTICATED + "\"}"), "2025-06-02T10:00:01.202Z"),
        DecisionLogs.event(3, "gatehouse/sidecar/decision", bobRefund,
            Json.parse("{\"allow\":true,\"grant_id\":\"gr-01\",\"reason\":\"grant gr-01 lets bob write on payments-api\"}"),
            "2025-06-02T10:00:02.303Z"),
        "{\"decision_id\":\"1d2c3b4a-0000-4000-8000-000000000004\",\"path\":\"gatehouse/sidecar/decision\",\"inp",
        DecisionLogs.event(5, "data.gatehouse.sidecar.decision", anonymousRates,
            Json.parse("{\"allow\":false,\"reason\":\"" + UNAUTHENTICATED + "\"}"), "2025-06-02T10:00:04.505Z")),
        false);
    Value delete = DecisionLogs.admissionInput(TestRepos.admissionReviews().resolve("deployment_delete/admission-review.json"), NOW);
    Value pod = DecisionLogs.admissionInput(TestRepos.admissionReviews().resolve("pod_create/admission-review.json"), NOW);
    DecisionLogs.write(dir.resolve("webhook-2025-06-02.log.gz"), List.of(
        DecisionLogs.event(6, "gatehouse/admission/decision", delete, recorder.prepare(ADMISSION).evalValue(delete).get(),
            "2025-06-02T10:00:05.606Z"),
        DecisionLogs.event(7, "gatehouse/admission/decision", pod, recorder.prepare(ADMISSION).evalValue(pod).get(),
            "2025-06-02T10:00:06.707Z"),
        "{\"decision_id\":\"1d2c3b4a-0000-4000-8000-000000000008\",\"query\":\"data.gatehouse.sidecar.decision.allow = x\","
            + "\"input\":{},\"result\":[{\"x\":true}],\"timestamp\":\"2025-06-02T10:00:07.808Z\"}",
        DecisionLogs.event(9, "gatehouse/legacy/authz/allow", health, Json.parse("true"), "2025-06-02T10:00:08.909Z")),
        true);
  }

  /** The policy library compiled directly, with the test grants: what production recorded with. */
  static Policy basePolicy() {
    var loaded = Loader.load(List.of(TestRepos.policies()));
    ObjectValue data = ((ObjectValue) loaded.data());
    ObjectValue gh = ((ObjectValue) data.get("gatehouse")).with(StringValue.of("grants"), grants());
    return dev.gatehouse.engine.Rego.builder().regoVersion(RegoVersion.V1)
        .loaded(new dev.gatehouse.engine.load.Loaded(loaded.modules(), data.with(StringValue.of("gatehouse"), gh)))
        .compile();
  }

  /** The control plane's grants, from the library's test fixtures. */
  static Value grants() {
    try {
      return ((ObjectValue) Json.parse(Files.readString(TestRepos.policies().resolve("gatehouse/testdata/grants.json"))))
          .get("grants");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static ObjectValue runtimeData() {
    return ObjectValue.of("gatehouse", ObjectValue.of("grants", grants()));
  }

  /** A request with the control plane's grants as runtime data. */
  static Impact.Request request(String base, Corpus.Sources sources, boolean tests) {
    return request(base, sources, tests, runtimeData(), 3);
  }

  static Impact.Request request(String base, Corpus.Sources sources, boolean tests, ObjectValue runtime, int examples) {
    Replayer.Options d = Replayer.Options.defaults();
    return new Impact.Request(repo.dir(), base, null, "policies", sources, runtime,
        new Replayer.Options(d.masks(), examples, d.threads(), d.timeout()), tests);
  }

  static Corpus.Sources sources(List<Path> logs, List<Path> reviews, List<Path> golden) {
    return new Corpus.Sources(logs, reviews, golden, Corpus.ADMISSION_PATH, Instant.parse(NOW),
        Instant.parse("2030-01-01T00:00:00Z"));
  }

  /** Group counts as "class path rule" → count. */
  static Map<String, Long> groups(Findings f) {
    Map<String, Long> out = new LinkedHashMap<>();
    f.groups().forEach((k, g) -> out.put(k.cls().id() + " " + k.path() + " " + k.rule(), g.count()));
    return out;
  }

  static List<String> exampleFiles(Findings f, ChangeClass cls, String rule) {
    List<String> out = new ArrayList<>();
    f.groups().forEach((k, g) -> {
      if (k.cls() == cls && k.rule().equals(rule)) {
        g.examples().forEach(e -> out.add(Path.of(e.source()).getParent().getFileName().toString()));
      }
    });
    return out;
  }

  @Test
  void recordedAdmissionReviewsAreClassifiedExactly() {
    ImpactReport r = Impact.run(request(null, sources(List.of(), List.of(TestRepos.admissionReviews()), List.of()),
        false, runtimeData(), 10));
    assertThat(r.base().commit()).isEqualTo(repo.base()); // the merge-base, not main's later tip
    assertThat(r.base().ref()).isEqualTo("merge-base(HEAD, main)");
    assertThat(r.head().commit()).isEqualTo(repo.head());
    Findings f = r.findings();
    assertThat(f.replayed()).isEqualTo(14);
    assertThat(f.changed()).isEqualTo(9);
    // With the grants: zoe's delete had no grant and is now only warned about; every ghcr.io image
    // is now refused, so what was admitted (frank's granted deploy, carol's granted debug container
    // included) is denied, and what was already denied gets a reworded registry message.
    assertThat(f.classes()).containsExactly(entry(ChangeClass.DENY_TO_ALLOW, 1L), entry(ChangeClass.ALLOW_TO_DENY, 6L),
        entry(ChangeClass.FINDINGS_CHANGED, 2L));
    assertThat(groups(f)).containsExactly(
        entry("deny-to-allow " + ADMISSION + " protected-namespace-deploy", 1L),
        entry("allow-to-deny " + ADMISSION + " image-registry", 6L),
        entry("findings-changed " + ADMISSION + " image-registry", 2L));
    assertThat(f.rules()).containsOnlyKeys("image-registry", "protected-namespace-deploy");
    assertThat(exampleFiles(f, ChangeClass.DENY_TO_ALLOW, "protected-namespace-deploy"))
        .containsExactly("deployment_delete");
    assertThat(exampleFiles(f, ChangeClass.ALLOW_TO_DENY, "image-registry")).containsExactly("deployment_create",
        "job_create", "pod_create", "pod_ephemeral_debug", "pod_from_replicaset", "statefulset_update");
    assertThat(exampleFiles(f, ChangeClass.FINDINGS_CHANGED, "image-registry"))
        .containsExactly("cronjob_create", "pod_create_privileged");
    Example loosened = f.groups().get(new Findings.GroupKey(ChangeClass.DENY_TO_ALLOW, ADMISSION,
        "protected-namespace-deploy")).examples().get(0);
    assertThat(loosened.detail().get(0)).isEqualTo("allowed: false → true");
    assertThat(loosened.detail().get(1)).startsWith("- protected-namespace-deploy [deny]: delete Deployment payments-api");
    assertThat(loosened.detail().get(2)).startsWith("+ protected-namespace-deploy [warn]: delete Deployment payments-api");
    assertThat(r.warnings()).isEmpty();
    assertThat(r.rules().added()).containsExactly("gatehouse.sidecar.unauthenticated_reason");
    assertThat(r.rules().changed()).containsExactly("gatehouse.sidecar.decision");
    assertThat(r.rules().removed()).isEmpty();
    assertThat(r.data()).extracting(c -> c.pointer() + " " + c.kind()).containsExactly(
        "/gatehouse/config/admission/allowed_registries changed",
        "/gatehouse/config/admission/rules/protected-namespace-deploy/action changed");
    assertThat(r.exitCode(Set.of(ImpactReport.FailOn.DENY_TO_ALLOW))).isEqualTo(3);
    assertThat(r.exitCode(Set.of(ImpactReport.FailOn.ALLOW_TO_DENY))).isEqualTo(3);
    assertThat(r.exitCode(Set.of(ImpactReport.FailOn.ANY))).isEqualTo(3);
    assertThat(r.exitCode(Set.of())).isZero();
  }

  @Test
  void decisionLogsAreStreamedClassifiedAndMasked() {
    ImpactReport r = Impact.run(request(repo.base(), sources(List.of(logs), List.of(), List.of()), false));
    assertThat(r.base().ref()).isEqualTo(repo.base());
    assertThat(r.corpus().files()).isEqualTo(2);
    assertThat(r.corpus().total()).isEqualTo(7);
    assertThat(r.corpus().bad()).isEqualTo(1);
    assertThat(r.corpus().skipped()).isEqualTo(1);
    assertThat(r.corpus().problems()).containsExactly(
        logs.resolve("sidecar-2025-06-02.log") + ":4: not JSON: " + problemOf(4),
        logs.resolve("webhook-2025-06-02.log.gz") + ":3: event of an ad-hoc query (no path): not replayed");
    Findings f = r.findings();
    assertThat(f.replayed()).isEqualTo(7);
    assertThat(f.changed()).isEqualTo(4);
    assertThat(groups(f)).containsExactly(
        entry("deny-to-allow " + ADMISSION + " protected-namespace-deploy", 1L),
        entry("allow-to-deny " + ADMISSION + " image-registry", 1L),
        entry("findings-changed " + SIDECAR + " Sidecar access", 2L));
    Findings.PathStats sidecar = f.paths().get(SIDECAR);
    assertThat(sidecar.replayed()).isEqualTo(4);
    assertThat(sidecar.recordedCompared()).isEqualTo(4);
    assertThat(sidecar.recordedDiffers()).isZero(); // the recorded results are what base decides
    assertThat(f.paths().get(ADMISSION).recordedDiffers()).isZero();
    assertThat(f.paths().get("data.gatehouse.legacy.authz.allow").undefinedBoth()).isEqualTo(1);
    assertThat(r.warnings()).containsExactly(
        "1 corrupt record skipped (first: " + r.corpus().problems().get(0) + ")",
        "1 of 1 decisions at data.gatehouse.legacy.authz.allow are undefined in both revisions (recorded under"
            + " another decision path, or for other policies?)",
        "1 of 1 recorded results at data.gatehouse.legacy.authz.allow differ from base's (recorded with other"
            + " policies or runtime data; see --data)");

    Example reworded = f.groups().get(new Findings.GroupKey(ChangeClass.FINDINGS_CHANGED, SIDECAR, "Sidecar access"))
        .examples().get(0);
    assertThat(reworded.source()).isEqualTo(logs.resolve("sidecar-2025-06-02.log") + ":2");
    assertThat(reworded.decisionId()).isEqualTo("1d2c3b4a-0000-4000-8000-000000000002");
    assertThat(reworded.detail()).containsExactly("- reason: " + UNAUTHENTICATED,
        "+ reason: unauthenticated: sign in (mTLS or token) to use this path");
    // The bearer token never reaches the report; the pointer that hid it is listed.
    assertThat(Json.write(reworded.input())).doesNotContain("Bearer").contains("x-request-id");
    assertThat(reworded.erased()).containsExactly("/input/request/headers/Authorization");
  }

  static String problemOf(int line) {
    try {
      Json.parse("{\"decision_id\":\"1d2c3b4a-0000-4000-8000-000000000004\",\"path\":\"gatehouse/sidecar/decision\",\"inp");
      return "";
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  @Test
  void goldenDecisionsReplayWithTheirOwnRuntimeData() {
    // No --data: each golden file brings its own runtime data.
    ImpactReport r = Impact.run(request(repo.base(), sources(List.of(), List.of(), List.of(TestRepos.golden())), false,
        ObjectValue.EMPTY, 3));
    Findings f = r.findings();
    assertThat(f.replayed()).isEqualTo(r.corpus().total()).isGreaterThanOrEqualTo(32);
    // Base reproduces every recorded decision: each file's own data was merged in.
    f.paths().values().forEach(s -> assertThat(s.recordedDiffers()).isZero());
    assertThat(f.paths()).containsOnlyKeys(ADMISSION, "data.gatehouse.jit.request.decision",
        "data.gatehouse.jit.review.decision", SIDECAR);
    assertThat(f.paths().get("data.gatehouse.jit.request.decision").changed()).isZero();
    assertThat(f.paths().get(ADMISSION).changed()).isPositive();
  }

  @Test
  void testsCoverageAndChecksOfBothRevisions() {
    ImpactReport r = Impact.run(request(repo.base(), sources(List.of(), List.of(), List.of()), true));
    assertThat(r.warnings()).containsExactly("the corpus is empty: no decision was replayed");
    assertThat(r.baseTests().count("FAIL") + r.baseTests().count("ERROR")).isZero();
    assertThat(r.baseTests().count("PASS")).isGreaterThan(100);
    assertThat(r.baseTests().coverage()).isEqualTo(100.0);
    // The reworded denial breaks the sidecar test that pins the old text; the registry change breaks
    // the admission tests built on ghcr.io fixtures.
    assertThat(r.testChanges().newlyFailing())
        .anyMatch(t -> t.startsWith("data.gatehouse.sidecar_test.test_read_only_paths_are_not_open_to_anonymous_callers"
            + " (policies/gatehouse/sidecar/sidecar_test.rego:") && t.endsWith("): FAIL"))
        .anyMatch(t -> t.startsWith("data.gatehouse.admission_test.test_registry_message_lists_the_allowed_registries"
            + " (policies/gatehouse/admission/workloads_test.rego:") && t.endsWith("): FAIL"));
    assertThat(r.testChanges().newlyFailing()).hasSize((int) (r.headTests().count("FAIL") + r.headTests().count("ERROR")));
    assertThat(r.testChanges().newlyFailing()).allMatch(t -> t.startsWith("data.gatehouse.sidecar_test.")
        || t.startsWith("data.gatehouse.admission_test."));
    assertThat(r.testChanges().fixed()).isEmpty();
    assertThat(r.headTests().coverage()).isLessThan(100.0);
    assertThat(r.checks().strictErrors()).isEmpty();
    assertThat(r.checks().unformatted()).isEmpty();
  }

  @Test
  void unknownRefsAndMissingCorporaAreErrors() {
    assertThatThrownBy(() -> Impact.run(request("no-such-branch", sources(List.of(logs), List.of(), List.of()), false)))
        .isInstanceOf(ImpactException.class)
        .hasMessageStartingWith("unknown revision 'no-such-branch' in ");
    Path missing = tmp.resolve("missing.log");
    assertThatThrownBy(() -> Impact.run(request(repo.base(), sources(List.of(missing), List.of(), List.of()), false)))
        .isInstanceOf(ImpactException.class)
        .hasMessage(missing + ": no such file or directory");
    assertThatThrownBy(() -> Impact.run(new Impact.Request(repo.dir(), repo.base(), null, "no-policies-here",
        sources(List.of(logs), List.of(), List.of()), ObjectValue.EMPTY, Replayer.Options.defaults(), false)))
        .isInstanceOf(ImpactException.class)
        .hasMessage("no files under 'no-policies-here' at " + repo.base() + " (" + repo.base().substring(0, 12)
            + "); check --policies");
  }
}
