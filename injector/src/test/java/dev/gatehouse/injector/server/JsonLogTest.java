package dev.gatehouse.injector.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.TestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The webhook's log is written by its own thread: callers only queue, lines come out in order and
 * whole, a stuck stdout never holds a caller up (lines beyond the queue are dropped and counted,
 * and the drop is itself logged once stdout moves again).
 */
class JsonLogTest {
  @Test
  void backgroundLinesArriveInOrderAsJsonWithTheTimeTheyWereLogged() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonLog log = JsonLog.background(new PrintStream(bytes, false, StandardCharsets.UTF_8),
        TestSupport.fixedClock(), 100)) {
      for (int i = 0; i < 500; i++) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("n", i);
        f.put("violations", List.of(Map.of("rule", "owner-label", "action", "deny", "msg", "needs \"owner\"")));
        log.info("admission", f);
        if (i % 50 == 0) {
          assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
        }
      }
      assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
      List<JsonNode> lines = lines(bytes);
      // Never more than 50 lines waiting for 100 slots: nothing may be dropped.
      assertThat(log.dropped()).isZero();
      assertThat(lines).hasSize(500);
      int last = -1;
      for (JsonNode l : lines) {
        if (l.get("msg").asText().equals("admission")) {
          assertThat(l.get("n").asInt()).isGreaterThan(last);
          last = l.get("n").asInt();
          assertThat(l.get("time").asText()).isEqualTo(TestSupport.FIXTURE_NOW.toString());
          assertThat(l.at("/violations/0/msg").asText()).isEqualTo("needs \"owner\"");
        }
      }
      assertThat(last).isEqualTo(499);
    }
  }

  @Test
  void aStuckStdoutNeverBlocksTheCallerAndDropsAreCountedAndLogged() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream stuck = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          release.await(); // a pipe nobody reads
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        bytes.write(b, off, len);
      }
    };
    JsonLog log = JsonLog.background(new PrintStream(stuck, false, StandardCharsets.UTF_8),
        TestSupport.fixedClock(), 10);
    log.info("first", Map.of());
    // The writer takes the first line and blocks writing it (or is about to).
    Thread.sleep(200);
    long start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      log.info("line", Map.of("n", i));
    }
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(tookMs).as("logging 1000 lines with stdout stuck").isLessThan(2000);
    // 10 slots: the rest is dropped (one more when the writer had not yet taken the first line).
    assertThat(log.dropped()).isBetween(990L, 991L);
    assertThat(log.flush(Duration.ofMillis(100))).isFalse();

    release.countDown();
    assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
    log.close();
    List<JsonNode> lines = lines(bytes);
    assertThat(lines.get(0).get("msg").asText()).isEqualTo("first");
    JsonNode dropLine = lines.stream().filter(l -> l.get("msg").asText().startsWith("log lines dropped")).findFirst()
        .orElseThrow();
    assertThat(dropLine.get("level").asText()).isEqualTo("warn");
    assertThat(dropLine.get("droppedTotal").asLong()).isEqualTo(log.dropped());
    assertThat(lines.stream().filter(l -> l.get("msg").asText().equals("line")).count() + log.dropped())
        .isEqualTo(1000);
  }

  @Test
  void linesLoggedTogetherAreWrittenTogether() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int[] flushes = new int[1];
    OutputStream counting = new OutputStream() {
      @Override
      public void write(int b) {
        bytes.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
      }

      @Override
      public void flush() {
        flushes[0]++;
      }
    };
    try (JsonLog log = JsonLog.background(new PrintStream(counting, false, StandardCharsets.UTF_8),
        TestSupport.fixedClock(), 1000)) {
      for (int i = 0; i < 100; i++) {
        log.info("admission", Map.of("n", i));
      }
      // No flush(): the writer gets there on its own, a moment later, in a few writes.
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (lines(bytes).size() < 100 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertThat(lines(bytes)).hasSize(100);
      assertThat(flushes[0]).isBetween(1, 10);
    }
  }

  @Test
  void closeWritesWhatIsQueuedAndLaterLinesAreDropped() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JsonLog log = JsonLog.background(new PrintStream(bytes, false, StandardCharsets.UTF_8), TestSupport.fixedClock(),
        1000);
    for (int i = 0; i < 200; i++) {
      log.info("line", Map.of("n", i));
    }
    log.close();
    assertThat(lines(bytes)).hasSize(200);
    log.info("after close", Map.of());
    assertThat(log.dropped()).isEqualTo(1);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("after close");
  }

  @Test
  void aFieldThatCannotBeSerialisedStillGivesOneJsonLine() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonLog log = JsonLog.background(new PrintStream(bytes, false, StandardCharsets.UTF_8),
        TestSupport.fixedClock(), 10)) {
      Object broken = new Object() {
        @Override
        public String toString() {
          throw new IllegalStateException("boom");
        }
      };
      log.info("admission", Map.of("odd", broken));
      log.info("next", Map.of());
      assertThat(log.flush(Duration.ofSeconds(10))).isTrue();
    }
    List<JsonNode> lines = lines(bytes);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("msg").asText()).isEqualTo("log line could not be written");
    assertThat(lines.get(0).get("error").asText()).contains("admission").contains("boom");
    assertThat(lines.get(1).get("msg").asText()).isEqualTo("next");
  }

  private static List<JsonNode> lines(ByteArrayOutputStream bytes) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        out.add(Mappers.JSON.readTree(line));
      }
    }
    return out;
  }
}
