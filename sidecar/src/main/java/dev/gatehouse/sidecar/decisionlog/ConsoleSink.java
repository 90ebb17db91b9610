package dev.gatehouse.sidecar.decisionlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;

/**
 * OPA's {@code decision_logs.console}: one JSON line per event, the event's fields beside
 * {@code level}, {@code msg} ("Decision Log"), {@code time} and {@code type}, as OPA's logger prints them.
 */
public final class ConsoleSink implements DecisionSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintStream out;

  public ConsoleSink(PrintStream out) {
    this.out = out;
  }

  @Override
  public void accept(ObjectNode event) throws IOException {
    ObjectNode line = JSON.createObjectNode();
    line.setAll(event);
    line.put("level", "info");
    line.put("msg", "Decision Log");
    line.put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    line.put("type", "openpolicyagent.org/decision_logs");
    out.println(JSON.writeValueAsString(line));
  }

  @Override
  public void flush() {
    out.flush();
  }
}
