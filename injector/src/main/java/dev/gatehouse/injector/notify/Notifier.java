package dev.gatehouse.injector.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gatehouse.injector.Mappers;
import dev.gatehouse.injector.config.NotificationConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends notifications to the configured outgoing webhook: a JSON POST whose {@code text} Slack
 * (and most chat webhooks) display as is, plus the channels and details for other receivers.
 *
 * <p>{@link #send} never blocks: the POST runs on the JDK HTTP client's own threads, each attempt
 * has a timeout, failures (transport errors and non-2xx answers) are retried with exponential
 * backoff on a scheduler thread, and beyond {@code maxPending} notifications are dropped. An
 * admission is never held up by a slow or dead receiver.
 */
public final class Notifier implements AutoCloseable {
  /** What happened to a notification, for the server's log and metrics. */
  public interface Listener {
    /** Hears nothing: for services built without a server (tests, tools). */
    Listener IGNORE = new Listener() {
      @Override
      public void sent(Notification n, int attempts) {}

      @Override
      public void failed(Notification n, int attempts, String error) {}

      @Override
      public void dropped(Notification n, String why) {}
    };

    void sent(Notification n, int attempts);

    void failed(Notification n, int attempts, String error);

    void dropped(Notification n, String why);
  }

  /**
   * One notification.
   *
   * @param text what a person reads (Slack's {@code text})
   * @param channels who should hear about it (the decision's {@code notify})
   * @param details machine-readable context (uid, user, object, break-glass…)
   */
  public record Notification(String text, List<String> channels, Map<String, Object> details) {
    public Notification {
      channels = List.copyOf(channels);
      details = new LinkedHashMap<>(details);
    }

    byte[] json() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("text", text);
      body.put("channels", channels);
      body.putAll(details);
      try {
        return Mappers.JSON.writeValueAsBytes(body);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A notifier for a configuration without {@code webhookUrl}: every notification is dropped. */
  public static Notifier disabled(Listener listener) {
    return new Notifier(null, listener);
  }

  private final NotificationConfig config;
  private final Listener listener;
  private final HttpClient client;
  private final ScheduledExecutorService retries;
  private final AtomicInteger pending = new AtomicInteger();

  public Notifier(NotificationConfig config, Listener listener) {
    this.config = config != null && config.enabled() ? config : null;
    this.listener = listener;
    if (this.config == null) {
      client = null;
      retries = null;
      return;
    }
    client = HttpClient.newBuilder().connectTimeout(config.timeout()).version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    retries = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gatehouse-notify");
      t.setDaemon(true);
      return t;
    });
  }

  public boolean enabled() {
    return config != null;
  }

  /** Queues the notification and returns at once. */
  public void send(Notification n) {
    if (config == null) {
      listener.dropped(n, "notifications.webhookUrl is not configured");
      return;
    }
    if (pending.incrementAndGet() > config.maxPending()) {
      pending.decrementAndGet();
      listener.dropped(n, "more than " + config.maxPending() + " notifications pending");
      return;
    }
    attempt(n, n.json(), 1);
  }

  private void attempt(Notification n, byte[] body, int attempt) {
    HttpRequest req = HttpRequest.newBuilder(config.webhookUrl())
        .timeout(config.timeout())
        .header("Content-Type", "application/json")
        .header("User-Agent", "gatehouse-webhook")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((res, err) -> {
      String error = err != null ? describe(err)
          : res.statusCode() / 100 == 2 ? null : "HTTP " + res.statusCode();
      if (error == null) {
        pending.decrementAndGet();
        listener.sent(n, attempt);
      } else if (attempt >= config.maxAttempts() || retries.isShutdown()) {
        pending.decrementAndGet();
        listener.failed(n, attempt, error);
      } else {
        long wait = config.retryBackoff().toMillis() << Math.min(attempt - 1, 16);
        try {
          retries.schedule(() -> attempt(n, body, attempt + 1), wait, TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
          pending.decrementAndGet();
          listener.failed(n, attempt, error + " (shutting down: not retried)");
        }
      }
    });
  }

  private static String describe(Throwable t) {
    Throwable c = t.getCause() != null && t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }

  /** Stops retrying; attempts in flight finish on their own (their timeout bounds them). */
  @Override
  public void close() {
    if (retries != null) {
      retries.shutdownNow();
    }
  }

  /** For tests and shutdown: waits until nothing is pending or the time is up. */
  public boolean drain(Duration max) throws InterruptedException {
    long until = System.nanoTime() + max.toNanos();
    while (pending.get() > 0 && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    return pending.get() == 0;
  }
}
