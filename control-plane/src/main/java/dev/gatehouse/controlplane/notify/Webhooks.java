package dev.gatehouse.controlplane.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Outgoing webhooks: each notification is POSTed as JSON with a Slack-compatible {@code text}
 * field (plus {@code event}, {@code channels} and {@code data}) to every configured URL. Sending is
 * asynchronous — a decision never waits for it — and retried with exponential backoff; a
 * notification still undelivered after the last attempt is reported to {@code onFailure} (the
 * control plane audits it).
 */
public final class Webhooks implements AutoCloseable {
  /** Callback for a delivery that failed for good. */
  public interface FailureHandler {
    void failed(Notification n, String url, String error);
  }

  private final List<URI> urls;
  private final int attempts;
  private final Duration firstBackoff;
  private final FailureHandler onFailure;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gatehouse-webhooks");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  public Webhooks(List<URI> urls, int attempts, Duration firstBackoff, FailureHandler onFailure) {
    this.urls = List.copyOf(urls);
    this.attempts = Math.max(1, attempts);
    this.firstBackoff = firstBackoff;
    this.onFailure = onFailure;
  }

  public void send(Notification n) {
    if (urls.isEmpty()) {
      return;
    }
    ObjectNode body = Jsons.object().put("text", n.text()).put("event", n.event());
    ArrayNode ch = body.putArray("channels");
    n.channels().forEach(ch::add);
    body.set("data", n.data());
    String json = Jsons.write(body);
    for (URI url : urls) {
      attempt(n, url, json, 1);
    }
  }

  private void attempt(Notification n, URI url, String json, int attempt) {
    HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((res, err) -> {
      if (err == null && res.statusCode() / 100 == 2) {
        delivered.incrementAndGet();
        return;
      }
      String why = err != null ? String.valueOf(err.getMessage()) : "HTTP " + res.statusCode();
      if (attempt >= attempts) {
        failed.incrementAndGet();
        onFailure.failed(n, url.toString(), why + " after " + attempt + " attempt(s)");
        return;
      }
      long delay = firstBackoff.toMillis() << (attempt - 1);
      try {
        retries.schedule(() -> attempt(n, url, json, attempt + 1), delay, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // shutting down: the notification is lost, as the audit log already says what happened
      }
    });
  }

  public long delivered() {
    return delivered.get();
  }

  public long failed() {
    return failed.get();
  }

  @Override
  public void close() {
    retries.shutdownNow();
  }
}
