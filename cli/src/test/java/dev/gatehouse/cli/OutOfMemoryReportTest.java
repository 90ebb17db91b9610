package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of heap is an operating condition (input larger than the heap a user gave the
 * process), so it gets one line that says what happened and how to give more, not a Java stack trace.
 */
class OutOfMemoryReportTest {

  @Test
  void evalOnInputLargerThanTheHeapPrintsOneLineNamingTheLimitAndHowToRaiseIt(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("input.json");
    writeLargeInput(input, 48 * 1024 * 1024);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx24m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "dev.gatehouse.cli.Main", "eval", "-i", input.toString(), "count(input.items)")
        .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("eval finished").isTrue();

    String err = Files.readString(dir.resolve("err.txt"));
    assertThat(p.exitValue()).as(err).isEqualTo(2);
    assertThat(err.strip().lines()).as(err).hasSize(1);
    assertThat(err).doesNotContain("\tat ", "java.lang.OutOfMemoryError", "Exception in thread")
        .contains("out of memory").contains("24 MiB").contains("GATEHOUSE_JAVA_OPTS=-Xmx");
    assertThat(Files.readString(dir.resolve("out.txt"))).isEmpty();
  }

  private static void writeLargeInput(Path file, long bytes) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("{\"items\":[");
      long written = 10;
      for (int i = 0; written < bytes; i++) {
        String item = (i == 0 ? "" : ",") + "{\"id\":" + i + ",\"name\":\"item-" + i + "-padding-padding-padding\"}";
        w.write(item);
        written += item.length();
      }
      w.write("]}");
    }
  }
}
