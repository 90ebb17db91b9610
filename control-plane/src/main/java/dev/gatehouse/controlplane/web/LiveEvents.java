package dev.gatehouse.controlplane.web;

import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.store.AuditEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Server-sent events for open pages: each committed change (an audit event) is announced as
 * {@code event: change} with only its type and sequence number — never its data — and the page
 * re-reads itself through the normal, authorised page route. So a browser learns nothing from the
 * stream that its own session could not read, and the stream never needs its own authorisation
 * rules. A comment line every 15 s keeps proxies from closing idle streams; a stream whose session
 * has ended (sign-out, expiry) is closed at its next message.
 */
final class LiveEvents {
  static final int MAX_STREAMS = 2_000;

  private final Vertx vertx;
  /** Open streams, each with whether its session is still alive. */
  private final Map<HttpServerResponse, BooleanSupplier> open = new ConcurrentHashMap<>();
  private final long timer;

  LiveEvents(Vertx vertx) {
    this.vertx = vertx;
    this.timer = vertx.setPeriodic(15_000, id -> open.keySet().forEach(r -> write(r, ": keep-alive\n\n")));
  }

  /** Starts a stream on this response (on the event loop). False when too many are open. */
  boolean attach(HttpServerResponse res, BooleanSupplier alive) {
    if (open.size() >= MAX_STREAMS) {
      return false;
    }
    res.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-store").putHeader("x-accel-buffering", "no");
    open.put(res, alive);
    res.closeHandler(v -> open.remove(res));
    res.exceptionHandler(t -> open.remove(res));
    // retry: how long the browser waits before reconnecting after the stream drops
    write(res, "retry: 2000\n: connected\n\n");
    return true;
  }

  /** Announces committed changes to every open stream (called from any thread). */
  void changed(List<AuditEvent> events) {
    if (events.isEmpty() || open.isEmpty()) {
      return;
    }
    AuditEvent last = events.get(events.size() - 1);
    String msg = "event: change\ndata: " + Jsons.write(Jsons.object().put("type", last.type()).put("seq", last.seq()))
        + "\n\n";
    vertx.runOnContext(v -> open.keySet().forEach(r -> write(r, msg)));
  }

  int streams() {
    return open.size();
  }

  void close() {
    vertx.cancelTimer(timer);
    open.keySet().forEach(r -> {
      try {
        r.end();
      } catch (RuntimeException ignored) {
        // already closed
      }
    });
    open.clear();
  }

  private void write(HttpServerResponse r, String s) {
    BooleanSupplier alive = open.get(r);
    if (r.ended() || r.closed() || alive == null || !alive.getAsBoolean()) {
      open.remove(r);
      if (!r.ended() && !r.closed()) {
        r.end(); // the session ended: the browser's reconnect then gets a 401 and stops
      }
      return;
    }
    r.write(s);
  }
}
