package dev.gatehouse.controlplane.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.store.AuditEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * Ships audit events to a SIEM's HTTP collector in batches: gzip-compressed JSON arrays of the
 * same objects the JSON-lines export writes, in chain order, so the collector can check the hash
 * chain and see gaps by {@code seq}. Shipping never holds up a decision: events wait in a bounded
 * queue, a batch is retried with growing pauses until the collector takes it (2xx), and when the
 * queue is full new events are counted as dropped (they stay in the store's chain, where
 * {@code audit verify} and {@code GET /api/v1/audit} still have them).
 */
public final class AuditShipper implements AutoCloseable {
  /** How the shipper is doing, for metrics and health. */
  public record Stats(long shipped, long dropped, long failedAttempts, int queued) {}

  private final URI url;
  private final String bearerToken;
  private final int maxQueue;
  private final int batchSize;
  private final Duration maxBackoff;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ArrayDeque<ObjectNode> queue = new ArrayDeque<>();
  private final AtomicLong shipped = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();
  private final Thread worker;
  private volatile boolean closing;

  public AuditShipper(URI url, String bearerToken) {
    this(url, bearerToken, 10_000, 500, Duration.ofSeconds(30));
  }

  public AuditShipper(URI url, String bearerToken, int maxQueue, int batchSize, Duration maxBackoff) {
    if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
      throw new IllegalArgumentException("audit collector URL must be http:// or https://, got " + url);
    }
    this.url = url;
    this.bearerToken = bearerToken;
    this.maxQueue = maxQueue;
    this.batchSize = batchSize;
    this.maxBackoff = maxBackoff;
    this.worker = new Thread(this::run, "gatehouse-audit-shipper");
    worker.setDaemon(true);
    worker.start();
  }

  /** Queues events (already committed, in chain order); never blocks on the network. */
  public void offer(List<AuditEvent> events) {
    synchronized (queue) {
      for (AuditEvent e : events) {
        if (queue.size() >= maxQueue) {
          dropped.incrementAndGet();
          continue;
        }
        queue.add(AuditExport.json(e));
      }
      queue.notifyAll();
    }
  }

  public Stats stats() {
    synchronized (queue) {
      return new Stats(shipped.get(), dropped.get(), failedAttempts.get(), queue.size());
    }
  }

  private void run() {
    long backoffMillis = 0;
    List<ObjectNode> batch = new ArrayList<>();
    while (true) {
      synchronized (queue) {
        while (batch.isEmpty() && queue.isEmpty()) {
          if (closing) {
            return;
          }
          try {
            queue.wait(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
        while (batch.size() < batchSize && !queue.isEmpty()) {
          batch.add(queue.poll());
        }
      }
      if (post(batch)) {
        shipped.addAndGet(batch.size());
        batch.clear();
        backoffMillis = 0;
        continue;
      }
      failedAttempts.incrementAndGet();
      if (closing) {
        return;
      }
      backoffMillis = Math.min(backoffMillis == 0 ? 250 : backoffMillis * 2, maxBackoff.toMillis());
      try {
        Thread.sleep(backoffMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private boolean post(List<ObjectNode> batch) {
    ArrayNode array = Jsons.array();
    batch.forEach(array::add);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
        gz.write(Jsons.write(array).getBytes(StandardCharsets.UTF_8));
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
          .POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray()));
      if (bearerToken != null && !bearerToken.isBlank()) {
        b.header("Authorization", "Bearer " + bearerToken);
      }
      int status = http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      return status / 100 == 2;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops after one last attempt to deliver what is queued, waiting at most {@code wait}. */
  public void close(Duration wait) {
    closing = true;
    synchronized (queue) {
      queue.notifyAll();
    }
    try {
      worker.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.interrupt();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
