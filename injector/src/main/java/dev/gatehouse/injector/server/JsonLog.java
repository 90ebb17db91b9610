package dev.gatehouse.injector.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.injector.Mappers;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One JSON object per line: {@code {"time", "level", "msg", …fields}}. Vert.x and Netty log through
 * java.util.logging; {@link #captureJul()} routes those records here too, so every line the process
 * prints is JSON.
 */
public final class JsonLog {
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

  public void write(String level, String msg, Map<String, ?> fields) {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = Mappers.JSON.getFactory().createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
      g.writeStringField("level", level);
      g.writeStringField("msg", msg);
      for (Map.Entry<String, ?> e : fields.entrySet()) {
        g.writeFieldName(e.getKey());
        value(g, e.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String line = w.toString();
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer || v instanceof Long) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else if (v instanceof JsonNode n) {
      g.writeTree(n);
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        value(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Collection<?> c) {
      g.writeStartArray();
      for (Object o : c) {
        value(g, o);
      }
      g.writeEndArray();
    } else {
      g.writeString(v.toString());
    }
  }

  /** Replaces java.util.logging's console handler with one that writes JSON lines here. */
  public void captureJul() {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.setLevel(Level.INFO);
    root.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (!isLoggable(r)) {
          return;
        }
        String level = r.getLevel().intValue() >= Level.SEVERE.intValue() ? "error"
            : r.getLevel().intValue() >= Level.WARNING.intValue() ? "warn" : "info";
        String msg = r.getMessage() == null ? "" : r.getMessage();
        if (r.getParameters() != null && r.getParameters().length > 0) {
          try {
            msg = java.text.MessageFormat.format(msg, r.getParameters());
          } catch (IllegalArgumentException ignored) {
            // keep the raw pattern
          }
        }
        write(level, msg, r.getThrown() == null
            ? Map.of("logger", String.valueOf(r.getLoggerName()))
            : Map.of("logger", String.valueOf(r.getLoggerName()), "error", String.valueOf(r.getThrown())));
      }

      @Override
      public void flush() {
        out.flush();
      }

      @Override
      public void close() {
        out.flush();
      }
    });
  }
}
