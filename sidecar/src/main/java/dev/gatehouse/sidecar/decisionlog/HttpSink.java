package dev.gatehouse.sidecar.decisionlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Uploads events as OPA does: {@code POST <service url>/<resource>} (resource {@code /logs} by
 * default) with a gzip-compressed JSON array, {@code Content-Encoding: gzip}. A chunk holds as many
 * events as fit in {@code uploadSizeLimitBytes} of compressed body. A non-2xx answer or a network
 * error keeps the chunk for the next flush (with exponential backoff); chunks waiting beyond
 * {@code maxPendingChunks} are dropped oldest first and counted.
 */
public final class HttpSink implements DecisionSink {
  public static final long DEFAULT_UPLOAD_SIZE_LIMIT = 32_768;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final URI uri;
  private final String bearerToken;
  private final long sizeLimit;
  private final int maxPendingChunks;
  private final List<byte[]> current = new ArrayList<>();
  private long currentBytes;
  private final Deque<Chunk> pending = new ArrayDeque<>();
  private long dropped;
  private long uploaded;
  private long backoffUntilNanos;
  private int failures;

  private record Chunk(byte[] gzipBody, int events) {}

  /**
   * @param serviceUrl the decision-log service's base URL
   * @param resource path under it ({@code /logs} when null, as OPA)
   * @param bearerToken sent as {@code Authorization: Bearer}, or null
   */
  public HttpSink(String serviceUrl, String resource, String bearerToken, long uploadSizeLimitBytes, int maxPendingChunks) {
    String base = serviceUrl.endsWith("/") ? serviceUrl.substring(0, serviceUrl.length() - 1) : serviceUrl;
    String res = resource == null || resource.isEmpty() ? "/logs" : (resource.startsWith("/") ? resource : "/" + resource);
    this.uri = URI.create(base + res);
    this.bearerToken = bearerToken;
    this.sizeLimit = uploadSizeLimitBytes <= 0 ? DEFAULT_UPLOAD_SIZE_LIMIT : uploadSizeLimitBytes;
    this.maxPendingChunks = Math.max(1, maxPendingChunks);
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public HttpSink(String serviceUrl) {
    this(serviceUrl, null, null, DEFAULT_UPLOAD_SIZE_LIMIT, 64);
  }

  @Override
  public void accept(ObjectNode event) throws IOException {
    byte[] encoded = JSON.writeValueAsBytes(event);
    // The uncompressed size bounds the compressed one, so a chunk cut at the limit before
    // compression always fits; JSON compresses well, so allow a few times the limit raw and
    // check the compressed size when sealing.
    if (!current.isEmpty() && currentBytes + encoded.length + 1 > sizeLimit * 4) {
      seal();
    }
    current.add(encoded);
    currentBytes += encoded.length + 1;
  }

  private void seal() throws IOException {
    if (current.isEmpty()) {
      return;
    }
    List<byte[]> events = new ArrayList<>(current);
    current.clear();
    currentBytes = 0;
    sealEvents(events);
  }

  private void sealEvents(List<byte[]> events) throws IOException {
    byte[] body = gzipArray(events);
    if (body.length > sizeLimit && events.size() > 1) {
      // Too big compressed: split in halves, as OPA scales its soft limit down and re-encodes.
      int half = events.size() / 2;
      sealEvents(events.subList(0, half));
      sealEvents(events.subList(half, events.size()));
      return;
    }
    if (body.length > sizeLimit) {
      dropped++; // one event larger than the limit on its own: OPA drops it too
      return;
    }
    pending.addLast(new Chunk(body, events.size()));
    while (pending.size() > maxPendingChunks) {
      dropped += pending.removeFirst().events();
    }
  }

  static byte[] gzipArray(List<byte[]> events) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write('[');
      for (int i = 0; i < events.size(); i++) {
        if (i > 0) {
          gz.write(',');
        }
        gz.write(events.get(i));
      }
      gz.write(']');
    }
    return bytes.toByteArray();
  }

  @Override
  public void flush() throws IOException {
    seal();
    if (System.nanoTime() < backoffUntilNanos) {
      return;
    }
    while (!pending.isEmpty()) {
      Chunk c = pending.peekFirst();
      if (!upload(c)) {
        failures++;
        long delayMs = Math.min(60_000, 100L << Math.min(failures, 10));
        backoffUntilNanos = System.nanoTime() + delayMs * 1_000_000;
        return;
      }
      failures = 0;
      pending.removeFirst();
      uploaded += c.events();
    }
  }

  private boolean upload(Chunk c) {
    HttpRequest.Builder req = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(c.gzipBody()));
    if (bearerToken != null) {
      req.header("Authorization", "Bearer " + bearerToken);
    }
    try {
      HttpResponse<Void> resp = client.send(req.build(), HttpResponse.BodyHandlers.discarding());
      return resp.statusCode() / 100 == 2;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public long dropped() {
    return dropped;
  }

  /** Events the service acknowledged. */
  public long uploaded() {
    return uploaded;
  }

  @Override
  public void close() throws IOException {
    backoffUntilNanos = 0;
    flush();
  }
}
