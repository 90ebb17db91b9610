package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code gatehouse fmt} as a user would; expectations follow opa fmt 1.22.2's behaviour. */
class FmtCommandTest {
  private static final String UNFORMATTED = "package p\nallow if { input.x == 1 }\n";
  private static final String FORMATTED = "package p\n\nallow if input.x == 1\n";

  @TempDir
  Path dir;

  private record Run(int code, String out, String err) {}

  private Run run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    InputStream saved = System.in;
    try {
      if (stdin != null) {
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      }
      int code = cl.execute(args);
      return new Run(code, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  private Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  @Test
  void printsTheFormattedFileToStdout() throws Exception {
    Path f = file("a.rego", UNFORMATTED);
    Run r = run(null, "fmt", f.toString());
    assertThat(r.code).isZero();
    assertThat(r.out).isEqualTo(FORMATTED);
    assertThat(Files.readString(f)).isEqualTo(UNFORMATTED);
  }

  @Test
  void formatsStdinWhenNoPathIsGiven() {
    Run r = run(UNFORMATTED, "fmt");
    assertThat(r.code).isZero();
    assertThat(r.out).isEqualTo(FORMATTED);
  }

  @Test
  void listsOnlyTheFilesThatWouldChange() throws Exception {
    Path bad = file("dir/bad.rego", UNFORMATTED);
    file("dir/good.rego", FORMATTED);
    file("dir/notes.txt", "not rego");
    Run r = run(null, "fmt", "-l", dir.resolve("dir").toString());
    assertThat(r.code).isZero();
    assertThat(r.out).isEqualTo(bad + "\n");
  }

  @Test
  void failWithListExitsTwoAfterNamingTheFile() throws Exception {
    Path bad = file("bad.rego", UNFORMATTED);
    Run r = run(null, "fmt", "-l", "--fail", bad.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.out).isEqualTo(bad + "\n");
    assertThat(r.err).isEqualTo("unexpected diff\n");
  }

  @Test
  void failAloneExitsTwoOnAChangeAndZeroOtherwise() throws Exception {
    Path bad = file("bad.rego", UNFORMATTED);
    Path good = file("good.rego", FORMATTED);
    Run changed = run(null, "fmt", "--fail", bad.toString());
    assertThat(changed.code).isEqualTo(2);
    assertThat(changed.out).isEmpty();
    assertThat(changed.err).isEqualTo("unexpected diff\n");
    Run clean = run(null, "fmt", "--fail", good.toString());
    assertThat(clean.code).isZero();
    assertThat(clean.out).isEqualTo(FORMATTED);
  }

  @Test
  void writeOverwritesTheFileAndPrintsNothing() throws Exception {
    Path f = file("a.rego", UNFORMATTED);
    Run r = run(null, "fmt", "-w", f.toString());
    assertThat(r.code).isZero();
    assertThat(r.out).isEmpty();
    assertThat(Files.readString(f)).isEqualTo(FORMATTED);
  }

  @Test
  void diffShowsInsertionsInGreenAndDeletionsInRed() throws Exception {
    // recorded from `opa fmt -d` (OPA v1.22.2) for "package p\nx := 1\n\n\n"
    Path f = file("a.rego", "package p\nx := 1\n\n\n");
    Run r = run(null, "fmt", "-d", f.toString());
    assertThat(r.code).isZero();
    assertThat(r.out).isEqualTo("package p\n\u001b[32m\u001b[0m\n\u001b[32m\u001b[0mx := 1\n"
        + "\u001b[31m\u001b[0m\n\u001b[31m\u001b[0m\n\u001b[31m\u001b[0m\n");
  }

  @Test
  void v0CompatibleFormatsLegacySyntax() throws Exception {
    Path f = file("old.rego", "package p\nallow { input.x }\n");
    Run r = run(null, "fmt", "--v0-compatible", f.toString());
    assertThat(r.code).isZero();
    assertThat(r.out).isEqualTo("package p\n\nallow {\n\tinput.x\n}\n");
  }

  @Test
  void regoV1RewritesLegacySyntaxForBothVersions() throws Exception {
    Path f = file("old.rego", "package p\nallow { input.x }\n");
    Run r = run(null, "fmt", "--rego-v1", f.toString());
    assertThat(r.code).isZero();
    assertThat(r.out).isEqualTo("package p\n\nimport rego.v1\n\nallow if input.x\n");
  }

  @Test
  void aParseErrorInAFileNamesFileRowAndColumnAndExitsTwo() throws Exception {
    Path f = file("broken.rego", "package p\nallow if {\n  input.x ==\n}\n");
    Run r = run(null, "fmt", f.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.err).startsWith("failed to format Rego source file: 1 error occurred: " + f + ":4: rego_parse_error: ");
    assertThat(r.err).contains("\n\t}\n\t^\n");
  }

  @Test
  void aParseErrorOnStdinExitsOne() {
    Run r = run("package p\nx := \n", "fmt");
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).startsWith("2 errors occurred:\nstdin:3: rego_parse_error: unexpected eof token\n"); // as opa
  }

  @Test
  void aMissingPathIsAnErrorWithExitOne() {
    Run r = run(null, "fmt", dir.resolve("nope.rego").toString());
    assertThat(r.code).isEqualTo(1);
    assertThat(r.err).contains("no such file or directory");
  }
}
