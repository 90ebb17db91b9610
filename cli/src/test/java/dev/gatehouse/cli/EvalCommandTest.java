package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
  @TempDir
  Path tmp;

  static final String POLICY = Cli.TESTS.resolve("authz/policy.rego").toString();
  static final String DATA = Cli.TESTS.resolve("data.json").toString();

  @Test
  void printsOpaJsonShapeForADefinedResult() {
    Cli.Result r = Cli.runWithStdin("{\"user\":\"alice\"}", "eval", "-d", POLICY, "-d", DATA, "--stdin-input", "data.authz.allow");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("""
        {
          "result": [
            {
              "expressions": [
                {
                  "value": true,
                  "text": "data.authz.allow",
                  "location": {
                    "row": 1,
                    "col": 1
                  }
                }
              ]
            }
          ]
        }
        """);
  }

  @Test
  void undefinedIsAnEmptyObjectAndFailExitsOne() {
    Cli.Result r = Cli.run("eval", "-d", POLICY, "--fail", "data.authz.nothing");
    assertThat(r.out().strip()).isEqualTo("{}");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(Cli.run("eval", "-d", POLICY, "--fail-defined", "data.authz.double(2)").exit()).isEqualTo(1);
    assertThat(Cli.run("eval", "-d", POLICY, "--fail-defined", "data.authz.nothing").exit()).isZero();
  }

  @Test
  void rawValuesAndBindingsFormats() {
    assertThat(Cli.run("eval", "-f", "raw", "x := [\"a\", 2][_]").out()).isEqualTo("true\ntrue\n");
    assertThat(Cli.run("eval", "-f", "raw", "\"text\"").out()).isEqualTo("text\n");
    assertThat(Cli.run("eval", "-f", "values", "x := 1; 2").out()).isEqualTo("[\n  true,\n  2\n]\n");
    assertThat(Cli.run("eval", "-f", "bindings", "x := 1").out()).isEqualTo("{\n  \"x\": 1\n}\n");
  }

  @Test
  void prettyPrintsALoneValueOrATableOfBindings() {
    assertThat(Cli.run("eval", "-f", "pretty", "{\"a\": [1]}").out()).isEqualTo("{\n  \"a\": [\n    1\n  ]\n}\n");
    assertThat(Cli.run("eval", "-f", "pretty", "x := [1, 22][_]").out()).isEqualTo("""
        ┌────┐
        │ x  │
        ├────┤
        │ 1  │
        │ 22 │
        └────┘
        """);
    assertThat(Cli.run("eval", "-f", "pretty", "data.nothing").out()).isEqualTo("undefined\n");
  }

  @Test
  void parseErrorsExitTwoWithOpaStyleLines() throws IOException {
    Path bad = tmp.resolve("bad.rego");
    Files.writeString(bad, "package a\n\nx := \n");
    Cli.Result r = Cli.run("eval", "-f", "pretty", "-d", bad.toString(), "data.a");
    assertThat(r.exit()).isEqualTo(2);
    // as opa v1.22.2: the token error, then what the rule head expected
    assertThat(r.err()).startsWith("2 errors occurred:\n" + bad + ":4: rego_parse_error: unexpected eof token\n")
        .contains(bad + ":4: rego_parse_error: unexpected eof token: expected rule value term (e.g., x := <VALUE> { ... })");
    Cli.Result j = Cli.run("eval", "-d", bad.toString(), "data.a");
    assertThat(j.exit()).isEqualTo(2);
    assertThat(j.out()).contains("\"errors\": [").contains("\"code\": \"rego_parse_error\"")
        .contains("\"file\": \"" + bad + "\"");
  }

  @Test
  void readsInputAsOpaDoesDeepNestingAndInvalidUtf8Included() throws IOException {
    // opa reads input nested up to 10,000 levels; deeper is refused with one line on stderr.
    Path deep = tmp.resolve("deep.json");
    Files.writeString(deep, "[".repeat(5_000) + "]".repeat(5_000));
    Cli.Result ok = Cli.run("eval", "-f", "raw", "-i", deep.toString(), "count(input)");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).isEqualTo("1\n");
    Files.writeString(deep, "[".repeat(20_000) + "]".repeat(20_000));
    Cli.Result tooDeep = Cli.run("eval", "-i", deep.toString(), "input");
    assertThat(tooDeep.exit()).isEqualTo(2);
    assertThat(tooDeep.out()).isEmpty();
    assertThat(tooDeep.err()).startsWith("unable to parse input: ").contains("exceeded max depth of 10000")
        .doesNotContain("StreamReadConstraints");
    // Bytes that are not UTF-8 read as U+FFFD, as Go's decoder reads them.
    Path bad = tmp.resolve("bad.json");
    Files.write(bad, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'});
    Cli.Result replaced = Cli.run("eval", "-f", "raw", "-i", bad.toString(), "input.a");
    assertThat(replaced.exit()).as(replaced.err()).isZero();
    assertThat(replaced.out()).isEqualTo("\uFFFD\n");
    // A missing input file is a line on stderr, also in the default JSON format, as opa writes it.
    Cli.Result missing = Cli.run("eval", "-i", tmp.resolve("nope.json").toString(), "input");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err()).isEqualTo("open " + tmp.resolve("nope.json") + ": no such file or directory\n");
  }

  @Test
  void readsYamlInputAndReportsMissingInputFiles() throws IOException {
    Path in = tmp.resolve("input.yaml");
    Files.writeString(in, "user: alice\nmethod: GET\n");
    assertThat(Cli.run("eval", "-f", "raw", "-d", POLICY, "-d", DATA, "-i", in.toString(), "data.authz.allow").out())
        .isEqualTo("true\n");
    Cli.Result r = Cli.run("eval", "-f", "raw", "-i", tmp.resolve("nope.json").toString(), "input");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("nope.json").contains("no such file or directory");
    Cli.Result d = Cli.run("eval", "-f", "pretty", "-d", tmp.resolve("missing").toString(), "data");
    assertThat(d.exit()).isEqualTo(2);
    assertThat(d.err()).isEqualTo("1 error occurred: stat " + tmp.resolve("missing") + ": no such file or directory\n");
  }

  @Test
  void strictBuiltinErrorsTurnUndefinedIntoAnError() {
    assertThat(Cli.run("eval", "-f", "raw", "x := 1 / 0").exit()).isZero();
    Cli.Result r = Cli.run("eval", "-f", "raw", "--strict-builtin-errors", "x := 1 / 0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("eval_builtin_error").contains("divide by zero");
  }

  @Test
  void badFlagValuesAreExplained() {
    Cli.Result t = Cli.run("eval", "--timeout", "soon", "true");
    assertThat(t.exit()).isEqualTo(1);
    assertThat(t.err()).contains("invalid duration \"soon\"");
    Cli.Result f = Cli.run("eval", "-f", "yaml", "true");
    assertThat(f.exit()).isEqualTo(1);
    assertThat(f.err()).contains("must be one of json, values, bindings, pretty, raw");
  }

  @Test
  void loadsBundlesAndRejectsOverlappingOnes() throws IOException {
    Path b = tmp.resolve("b");
    Files.createDirectories(b.resolve("authz"));
    Files.copy(Path.of(POLICY), b.resolve("authz/policy.rego"));
    Files.writeString(b.resolve(".manifest"), "{\"roots\":[\"authz\"]}");
    assertThat(Cli.run("eval", "-f", "raw", "-b", b.toString(), "data.authz.double(21)").out()).isEqualTo("42\n");
    Cli.Result r = Cli.run("eval", "-f", "pretty", "-b", b.toString(), "-b", b.toString(), "data");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("1 error occurred: bundle activation failed: detected overlapping roots in manifests "
        + "for these bundles: [" + b + ", " + b + "] (root authz is in multiple bundles)\n");
  }
}
