package dev.gatehouse.sidecar;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;

/** One JSON object per line ({@code time, level, msg, …fields}): what log shippers parse. */
public final class JsonLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintStream out;
  private final Clock clock;

  public JsonLog(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  public void info(String msg, Map<String, ?> fields) {
    write("info", msg, fields);
  }

  public void warn(String msg, Map<String, ?> fields) {
    write("warn", msg, fields);
  }

  public void error(String msg, Map<String, ?> fields) {
    write("error", msg, fields);
  }

  private void write(String level, String msg, Map<String, ?> fields) {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = JSON.getFactory().createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("time", clock.instant().toString());
      g.writeStringField("level", level);
      g.writeStringField("msg", msg);
      for (Map.Entry<String, ?> e : fields.entrySet()) {
        g.writeFieldName(e.getKey());
        Object v = e.getValue();
        if (v == null) {
          g.writeNull();
        } else if (v instanceof Number || v instanceof Boolean || v instanceof Map || v instanceof Iterable) {
          JSON.writeValue(g, v);
        } else {
          g.writeString(String.valueOf(v));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      return;
    }
    String line = w.toString();
    synchronized (out) {
      out.println(line);
    }
  }
}
