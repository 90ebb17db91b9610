package dev.gatehouse.impact.corpus;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import dev.gatehouse.impact.ImpactException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Streams the recorded decisions to replay, one {@link Entry} at a time, so memory stays bounded
 * whatever the size of the logs:
 * <ul>
 *   <li>decision logs: OPA's decision-log events as JSON lines (plain or gzip, detected by content),
 *       one event per line, or a JSON array of events per line (OPA's upload batches);</li>
 *   <li>AdmissionReviews: a directory of recorded {@code admission.k8s.io/v1} reviews, evaluated at
 *       the admission decision with input {@code {request, now}};</li>
 *   <li>golden decisions: the policy-tests format ({@code path}, {@code input}, {@code data},
 *       {@code expected}).</li>
 * </ul>
 * A missing or unreadable file is an error ({@link ImpactException}); a corrupt line is counted in
 * {@link CorpusStats}, skipped and reported with its {@code file:line}.
 */
public final class Corpus {
  /** Where AdmissionReviews are decided unless told otherwise. */
  public static final String ADMISSION_PATH = "data.gatehouse.admission.decision";

  /**
   * @param decisionLogs files or directories of decision logs
   * @param admissionReviews directories (or single files) of AdmissionReviews
   * @param golden directories (or single files) of golden decisions
   * @param admissionPath the decision path for AdmissionReviews
   * @param now the instant for AdmissionReviews that carry none (null: {@code fallbackNow})
   * @param fallbackNow the instant used when neither the flag nor the review gives one
   */
  public record Sources(List<Path> decisionLogs, List<Path> admissionReviews, List<Path> golden, String admissionPath,
      Instant now, Instant fallbackNow) {
    public Sources {
      decisionLogs = List.copyOf(decisionLogs);
      admissionReviews = List.copyOf(admissionReviews);
      golden = List.copyOf(golden);
    }
  }

  private final Sources sources;
  private final CorpusStats stats = new CorpusStats();
  private long ordinal;

  public Corpus(Sources sources) {
    this.sources = sources;
  }

  public CorpusStats stats() {
    return stats;
  }

  /** Checks that every source exists and is readable before anything is replayed. */
  public void checkReadable() {
    for (List<Path> l : List.of(sources.decisionLogs(), sources.admissionReviews(), sources.golden())) {
      for (Path p : l) {
        if (!Files.exists(p)) {
          throw new ImpactException(p + ": no such file or directory");
        }
        if (!Files.isReadable(p)) {
          throw new ImpactException(p + ": not readable");
        }
      }
    }
  }

  /** Reads every source in order and hands each entry to {@code sink}. */
  public void stream(Consumer<Entry> sink) {
    checkReadable();
    for (Path p : sources.decisionLogs()) {
      for (Path f : files(p, true)) {
        readDecisionLog(f, sink);
      }
    }
    for (Path p : sources.admissionReviews()) {
      for (Path f : files(p, false)) {
        readAdmissionReview(f, sink);
      }
    }
    for (Path p : sources.golden()) {
      for (Path f : files(p, false)) {
        readGolden(f, sink);
      }
    }
  }

  /** A file as given, or a directory's regular files (recursively, sorted, hidden ones skipped). */
  private static List<Path> files(Path p, boolean anyName) {
    if (!Files.isDirectory(p)) {
      return List.of(p);
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .filter(f -> anyName || isJsonOrYaml(f))
          .sorted().toList();
    } catch (IOException e) {
      throw new ImpactException(p + ": cannot list the directory: " + e.getMessage(), e);
    }
  }

  private static boolean isJsonOrYaml(Path f) {
    String n = f.getFileName().toString();
    return n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml");
  }

  // ---- decision logs ----

  private void readDecisionLog(Path f, Consumer<Entry> sink) {
    stats.file();
    Truncation cut = new Truncation();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(cut.wrap(open(f)), StandardCharsets.UTF_8),
        1 << 16)) {
      String line;
      long n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        String where = f + ":" + n;
        Value v;
        try {
          v = Json.parse(line);
        } catch (ValueFormatException e) {
          stats.bad(where, "not JSON: " + e.getMessage());
          continue;
        } catch (RuntimeException e) {
          stats.bad(where, "not JSON: " + e.getMessage());
          continue;
        }
        if (v instanceof ArrayValue batch) {
          for (int i = 0; i < batch.size(); i++) {
            event(batch.get(i), where + "[" + i + "]", sink);
          }
        } else {
          event(v, where, sink);
        }
      }
    } catch (NoSuchFileException e) {
      throw new ImpactException(f + ": no such file", e);
    } catch (IOException e) {
      throw new ImpactException(f + ": cannot read: " + e.getMessage(), e);
    }
    if (cut.error != null) {
      stats.bad(f.toString(), "unreadable past this point: " + cut.error);
    }
  }

  /**
   * Ends the stream at the first read error (a truncated or corrupt gzip file, as a log being
   * rotated can leave) so that the lines before it are still replayed; the error is reported.
   */
  private static final class Truncation {
    String error;

    InputStream wrap(InputStream in) {
      return new java.io.FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          if (error != null) {
            return -1;
          }
          try {
            return super.read();
          } catch (IOException e) {
            error = String.valueOf(e.getMessage());
            return -1;
          }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (error != null) {
            return -1;
          }
          try {
            return super.read(b, off, len);
          } catch (IOException e) {
            error = String.valueOf(e.getMessage());
            return -1;
          }
        }
      };
    }
  }

  /** Gzip when the content starts with its magic bytes, whatever the name. */
  private static InputStream open(Path f) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    return in;
  }

  private void event(Value v, String where, Consumer<Entry> sink) {
    if (!(v instanceof ObjectValue ev)) {
      stats.bad(where, "a decision-log event is a JSON object, got " + v.typeName());
      return;
    }
    Value pathV = ev.get("path");
    if (pathV == null) {
      if (ev.get("query") != null) {
        stats.skipped(where, "event of an ad-hoc query (no path): not replayed");
      } else {
        stats.bad(where, "event without \"path\"");
      }
      return;
    }
    if (!(pathV instanceof StringValue ps)) {
      stats.bad(where, "\"path\" must be a string");
      return;
    }
    String path;
    try {
      path = DecisionPaths.toQuery(ps.value());
    } catch (IllegalArgumentException e) {
      stats.bad(where, e.getMessage());
      return;
    }
    String ts = text(ev.get("timestamp"));
    Long nanos = null;
    if (ts != null) {
      nanos = nanos(ts);
      if (nanos == null) {
        stats.bad(where, "\"timestamp\" is not RFC 3339: " + ts);
        return;
      }
    }
    if (touchesInput(ev.get("erased")) || touchesInput(ev.get("masked"))) {
      stats.erasedInput();
    }
    stats.entry(Entry.Kind.DECISION_LOG);
    sink.accept(new Entry(ordinal++, Entry.Kind.DECISION_LOG, where, path, ev.get("input"), ev.get("result"),
        text(ev.get("decision_id")), ts, nanos, null));
  }

  // ---- AdmissionReviews ----

  private void readAdmissionReview(Path f, Consumer<Entry> sink) {
    stats.file();
    Value doc = readDocument(f);
    if (doc == null) {
      return;
    }
    if (!(doc instanceof ObjectValue o) || !(o.get("request") instanceof ObjectValue request)) {
      stats.bad(f.toString(), "not an AdmissionReview (no \"request\" object)");
      return;
    }
    Instant now = sources.now();
    String own = null;
    if (now == null) {
      own = text(o.get("now"));
      if (own == null) {
        own = text(o.get("timestamp"));
      }
      Long n = own == null ? null : nanos(own);
      if (own != null && n == null) {
        stats.bad(f.toString(), "\"now\" is not RFC 3339: " + own);
        return;
      }
      now = n == null ? sources.fallbackNow() : Instant.ofEpochSecond(0, n);
    }
    String nowText = own != null ? own : now.toString();
    ObjectValue input = ObjectValue.of("request", request, "now", StringValue.of(nowText));
    String uid = text(request.get("uid"));
    stats.entry(Entry.Kind.ADMISSION_REVIEW);
    sink.accept(new Entry(ordinal++, Entry.Kind.ADMISSION_REVIEW, f.toString(), sources.admissionPath(), input, null,
        uid, nowText, now.getEpochSecond() * 1_000_000_000L + now.getNano(), null));
  }

  // ---- golden decisions ----

  private void readGolden(Path f, Consumer<Entry> sink) {
    stats.file();
    Value doc = readDocument(f);
    if (doc == null) {
      return;
    }
    if (!(doc instanceof ObjectValue o)) {
      stats.bad(f.toString(), "a golden decision is a JSON object");
      return;
    }
    String path = text(o.get("path"));
    if (path == null || o.get("input") == null) {
      stats.bad(f.toString(), "a golden decision needs \"path\" (string) and \"input\"");
      return;
    }
    try {
      path = DecisionPaths.toQuery(path);
    } catch (IllegalArgumentException e) {
      stats.bad(f.toString(), e.getMessage());
      return;
    }
    Value input = o.get("input");
    String now = input instanceof ObjectValue io ? text(io.get("now")) : null;
    Long nanos = now == null ? null : nanos(now);
    stats.entry(Entry.Kind.GOLDEN);
    sink.accept(new Entry(ordinal++, Entry.Kind.GOLDEN, f.toString(), path, input, o.get("expected"),
        text(o.get("description")), now, nanos, o.get("data")));
  }

  /** A whole JSON or YAML file, or null (counted as bad) when it does not parse. */
  private Value readDocument(Path f) {
    String text;
    try {
      text = Files.readString(f);
    } catch (IOException e) {
      throw new ImpactException(f + ": cannot read: " + e.getMessage(), e);
    }
    try {
      String n = f.getFileName().toString();
      return n.endsWith(".yaml") || n.endsWith(".yml") ? Json.parseYaml(text) : Json.parse(text);
    } catch (ValueFormatException e) {
      stats.bad(f + ":" + e.line(), "not valid: " + e.getMessage());
    } catch (RuntimeException e) {
      stats.bad(f.toString(), "not valid: " + e.getMessage());
    }
    return null;
  }

  /** Whether an {@code erased}/{@code masked} list names a pointer into the input. */
  private static boolean touchesInput(Value list) {
    if (list instanceof ArrayValue a) {
      for (Value p : a.elements()) {
        if (p instanceof StringValue s && (s.value().equals("/input") || s.value().startsWith("/input/"))) {
          return true;
        }
      }
    }
    return false;
  }

  private static String text(Value v) {
    return v instanceof StringValue s ? s.value() : null;
  }

  /** RFC 3339 to epoch nanoseconds, or null. */
  static Long nanos(String ts) {
    try {
      Instant i = OffsetDateTime.parse(ts).toInstant();
      return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    } catch (DateTimeParseException | ArithmeticException e) {
      return null;
    }
  }
}
