package dev.gatehouse.injector.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.injector.Mappers;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One JSON object per line: {@code {"time", "level", "msg", …fields}}. Vert.x and Netty log through
 * java.util.logging; {@link #captureJul()} routes those records here too, so every line the process
 * prints is JSON.
 *
 * <p>Two modes. Made with the constructor, a line is written and flushed by the caller. Made with
 * {@link #background}, the caller only queues the line (its time taken then) and one writer
 * thread serialises queued lines and writes them in batches: the webhook's request threads never
 * wait on stdout (a pipe the container runtime may drain slowly) and pay no serialisation. The
 * queue is bounded and never blocks: a line that does not fit is dropped and counted
 * ({@link #dropped()}, and a {@code log lines dropped} line once the writer catches up).
 */
public final class JsonLog implements AutoCloseable {
  /** A queued line; fields must not be changed after they are logged. */
  private record Line(Instant time, String level, String msg, Map<String, ?> fields) {}

  private final PrintStream out;
  private final Clock clock;
  private final BlockingQueue<Line> queue;
  private final Thread writer;
  private final LongAdder dropped = new LongAdder();
  private final AtomicLong queued = new AtomicLong();
  private volatile long written;
  private volatile boolean closing;
  private volatile boolean flushRequested;
  /** How long the writer lets lines gather before writing them (log lines are not urgent). */
  private static final long LINGER_NANOS = 50_000_000;

  public JsonLog(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
    this.queue = null;
    this.writer = null;
  }

  private JsonLog(PrintStream out, Clock clock, int capacity) {
    this.out = out;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = new Thread(this::drain, "gatehouse-log");
    writer.setDaemon(true);
    writer.start();
  }

  /** A log whose lines are written by its own thread, at most {@code capacity} lines waiting. */
  public static JsonLog background(PrintStream out, Clock clock, int capacity) {
    return new JsonLog(out, clock, capacity);
  }

  /** Lines dropped because the queue was full (always 0 for a synchronous log). */
  public long dropped() {
    return dropped.sum();
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
    Line line = new Line(clock.instant(), level, msg, fields);
    if (queue == null) {
      String text = render(line);
      synchronized (out) {
        out.println(text);
        out.flush();
      }
      return;
    }
    // Counted before the offer, so that the writer's count never runs ahead of this one.
    queued.incrementAndGet();
    if (closing || !queue.offer(line)) {
      queued.decrementAndGet();
      dropped.increment();
    }
  }

  private static String render(Line line) {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = Mappers.JSON.getFactory().createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(line.time()));
      g.writeStringField("level", line.level());
      g.writeStringField("msg", line.msg());
      for (Map.Entry<String, ?> e : line.fields().entrySet()) {
        g.writeFieldName(e.getKey());
        value(g, e.getValue());
      }
      g.writeEndObject();
    } catch (IOException | RuntimeException e) {
      // A field that cannot be serialised must not lose the line (nor kill the writer thread).
      return "{\"time\":\"" + DateTimeFormatter.ISO_INSTANT.format(line.time()) + "\",\"level\":\"error\","
          + "\"msg\":\"log line could not be written\",\"error\":" + Mappers.JSON.getNodeFactory()
          .textNode(line.msg() + ": " + e).toString() + "}";
    }
    return w.toString();
  }

  /**
   * The writer thread: waits for a line, lets more gather for {@link #LINGER_NANOS}, then writes
   * all of them and flushes once. At 200 admissions/s that is about 20 writes a second instead
   * of 200, and no wake-up per request: a producer only signals the writer when it is waiting
   * for the first line of a batch.
   */
  private void drain() {
    List<Line> batch = new ArrayList<>(256);
    StringBuilder text = new StringBuilder(64 * 1024);
    long reportedDrops = 0;
    while (true) {
      try {
        Line first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          if (closing) {
            return;
          }
          continue;
        }
        batch.add(first);
        if (!closing && !flushRequested) {
          LockSupport.parkNanos(LINGER_NANOS); // flush() and close() unpark
        }
      } catch (InterruptedException e) {
        if (queue.isEmpty()) {
          return;
        }
      }
      flushRequested = false;
      queue.drainTo(batch);
      for (Line l : batch) {
        text.append(render(l)).append(System.lineSeparator());
      }
      long drops = dropped.sum();
      if (drops > reportedDrops) {
        Map<String, Object> f = Map.of("dropped", drops - reportedDrops, "droppedTotal", drops);
        text.append(render(new Line(clock.instant(), "warn", "log lines dropped: the log queue was full", f)))
            .append(System.lineSeparator());
        reportedDrops = drops;
      }
      synchronized (out) {
        out.print(text);
        out.flush();
      }
      written += batch.size();
      batch.clear();
      if (text.capacity() > 1024 * 1024) {
        text = new StringBuilder(64 * 1024); // one huge batch must not pin a huge buffer
      } else {
        text.setLength(0);
      }
    }
  }

  /**
   * Waits until every line logged before this call is written, at most {@code timeout}; returns
   * whether it was. Immediate for a synchronous log.
   */
  public boolean flush(java.time.Duration timeout) {
    if (queue == null) {
      return true;
    }
    long target = queued.get();
    long until = System.nanoTime() + timeout.toNanos();
    flushRequested = true;
    LockSupport.unpark(writer);
    // min: a line counted in target may have been dropped since (the queue was full).
    while (written < Math.min(target, queued.get())) {
      if (System.nanoTime() > until || !writer.isAlive()) {
        return false;
      }
      LockSupport.parkNanos(200_000);
    }
    return true;
  }

  /** Writes what is queued (up to 5 s) and stops the writer; later lines are dropped. */
  @Override
  public void close() {
    if (queue == null) {
      out.flush();
      return;
    }
    closing = true; // from here on, lines are dropped and the writer does not linger
    flush(java.time.Duration.ofSeconds(5));
    writer.interrupt();
    try {
      writer.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
