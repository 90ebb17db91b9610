package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLI parity cases recorded from the real opa (v1.22.2, {@code scripts/record-parity}): each
 * file in {@code src/test/resources/parity} holds a command ({@code cmd: test -v DIR}), the files
 * it runs on, and opa's stdout and exit code. The same command runs here on the same files;
 * outputs are compared with the case folder written as {@code DIR} and durations masked. opa
 * reports tests in the order its parallel runs finish, so results are compared as a set of
 * per-test blocks (JSON: a set of test objects), in order otherwise.
 */
class OpaParityTest {
  static final Path CASES = Path.of("src/test/resources/parity");
  private static final Pattern SECTION = Pattern.compile("^-- (.+) --$");
  private static final Pattern KEY = Pattern.compile("^(\\w[\\w-]*):\\s*(.*)$");

  @TempDir
  Path tmp;

  record Case(String name, Map<String, String> header, Map<String, String> sections) {
    Map<String, String> files() {
      Map<String, String> out = new LinkedHashMap<>(sections);
      out.keySet().removeIf(k -> k.equals("opa") || k.startsWith("opa."));
      return out;
    }
  }

  @TestFactory
  Stream<DynamicTest> cliMatchesOpa() throws IOException {
    List<Case> cases;
    try (Stream<Path> s = Files.walk(CASES)) {
      cases = s.filter(p -> p.toString().endsWith(".txtar")).sorted().map(OpaParityTest::read).toList();
    }
    assertThat(cases).isNotEmpty();
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  /**
   * Known differences ({@code src/test/resources/parity-known}): recorded from opa like the
   * others and still different; when one starts to match, this fails so that it moves to
   * {@code parity/}.
   */
  @TestFactory
  Stream<DynamicTest> knownDifferencesStillDiffer() throws IOException {
    List<Case> cases;
    try (Stream<Path> s = Files.walk(Path.of("src/test/resources/parity-known"))) {
      cases = s.filter(p -> p.toString().endsWith(".txtar")).sorted().map(OpaParityTest::read).toList();
    }
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      boolean same;
      try {
        check(c);
        same = true;
      } catch (AssertionError e) {
        same = false;
      }
      assertThat(same).as(c.name() + " now matches opa: move it to parity/").isFalse();
    }));
  }

  private void check(Case c) throws IOException {
    Path dir = tmp.resolve(c.name().replace(".txtar", "")).toAbsolutePath();
    for (Map.Entry<String, String> f : c.files().entrySet()) {
      Path p = dir.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    List<String> args = new ArrayList<>();
    for (String a : c.header().get("cmd").split("\\s+")) {
      args.add(a.equals("DIR") ? dir.toString() : a.replace("DIR/", dir + "/"));
    }
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    String out = mask(r.out(), dir.toString());
    String want = c.sections().get("opa.stdout");
    assertThat(r.exit()).as(c.name() + " exit code; stdout:\n" + out + "\nstderr:\n" + r.err())
        .isEqualTo(Integer.parseInt(c.sections().get("opa.exit").strip()));
    String wantErr = c.sections().get("opa.stderr");
    if (wantErr != null) {
      assertThat(mask(r.err(), dir.toString()).stripTrailing()).as(c.name() + " stderr").isEqualTo(wantErr.stripTrailing());
    }
    if (want.stripLeading().startsWith("[") || want.stripLeading().startsWith("{")) {
      assertThat(canonicalJson(out)).as(c.name() + "\n" + out).isEqualTo(canonicalJson(want));
    } else {
      assertThat(canonicalPretty(out)).as(c.name() + "\n" + out).isEqualTo(canonicalPretty(want));
    }
  }

  static Case read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> header = new LinkedHashMap<>();
    Map<String, String> sections = new LinkedHashMap<>();
    String current = null;
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      Matcher m = SECTION.matcher(line);
      if (m.matches()) {
        if (current != null) {
          sections.put(current, body.toString());
        }
        current = m.group(1);
        body.setLength(0);
      } else if (current == null) {
        Matcher k = KEY.matcher(line);
        if (k.matches()) {
          header.put(k.group(1), k.group(2).strip());
        }
      } else {
        body.append(line).append('\n');
      }
    }
    if (current != null) {
      sections.put(current, body.toString());
    }
    return new Case(file.getFileName().toString(), header, sections);
  }

  /** As the recorder masks opa's output: the case folder as DIR, durations as DURATION or 0. */
  static String mask(String s, String dir) {
    s = s.replace(dir + "/", "DIR/").replace(dir, "DIR");
    s = s.replaceAll("\\((\\d+h)?(\\d+m)?[\\d.]+(ns|µs|ms|s)\\)", "(DURATION)");
    s = s.replaceAll("\"duration\": \\d+", "\"duration\": 0");
    // benchmark measurements (--bench): the line after the test name, and the JSON result
    s = Pattern.compile("^(\\S+)\t +\\d+\t.*$", Pattern.MULTILINE).matcher(s).replaceAll("$1\tBENCH");
    return s.replaceAll("\"benchmark_result\": \\{(?:[^{}]|\\{[^{}]*\\})*\\}", "\"benchmark_result\": \"BENCH\"");
  }

  /**
   * Pretty output with the per-test blocks sorted: a block starts at a {@code file:row:} line
   * (results) or a {@code data.…: FAIL} headline (the FAILURES section); blank lines between
   * blocks depend on the order and are dropped.
   */
  static String canonicalPretty(String s) {
    // an explanation's location column is as wide as the longest location, which depends on
    // where the case folder is: the blanks after a location are compared as one
    s = Pattern.compile("^(  (?:query|DIR/\\S+):\\d+) +", Pattern.MULTILINE).matcher(s).replaceAll("$1 ");
    List<String> out = new ArrayList<>();
    List<String> blocks = new ArrayList<>();
    StringBuilder block = null;
    boolean failures = false;
    for (String line : s.stripTrailing().split("\n", -1)) {
      boolean hr = line.matches("-{80}");
      if (line.equals("FAILURES")) {
        failures = true;
      }
      boolean starts = !failures ? line.matches("\\S.*:\\d+:") || line.matches("\\S+\tBENCH")
          : line.matches("data\\.\\S+: (FAIL|ERROR) .*");
      if (hr || starts || line.matches("(PASS|FAIL|SKIPPED|ERROR): \\d+/\\d+")) {
        if (block != null) {
          blocks.add(block.toString().stripTrailing());
          block = null;
        }
        if (!starts) {
          blocks.sort(Comparator.naturalOrder());
          out.addAll(blocks);
          blocks.clear();
          out.add(line);
          continue;
        }
        block = new StringBuilder();
      }
      if (block != null) {
        block.append(line).append('\n');
      } else {
        out.add(line);
      }
    }
    if (block != null) {
      blocks.add(block.toString().stripTrailing());
    }
    blocks.sort(Comparator.naturalOrder());
    out.addAll(blocks);
    return String.join("\n", out);
  }

  /** A JSON test report with its test objects in a fixed order (by file, row and name). */
  static String canonicalJson(String s) throws IOException {
    ObjectMapper om = new ObjectMapper();
    JsonNode n = om.readTree(s);
    if (n instanceof ArrayNode a) {
      List<JsonNode> items = new ArrayList<>();
      a.forEach(items::add);
      items.sort(Comparator.comparing((JsonNode t) -> t.path("location").path("file").asText())
          .thenComparingInt(t -> t.path("location").path("row").asInt())
          .thenComparing(t -> t.path("name").asText()));
      ArrayNode sorted = om.createArrayNode();
      items.forEach(sorted::add);
      n = sorted;
    } else if (n instanceof ObjectNode) {
      n = om.readTree(om.writeValueAsString(n));
    }
    return om.writerWithDefaultPrettyPrinter().writeValueAsString(n);
  }
}
