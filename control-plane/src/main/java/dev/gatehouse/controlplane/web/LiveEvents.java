package dev.gatehouse.controlplane.web;

import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.store.AuditEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-sent events for open pages: each committed change (an audit event) is announced as
 * {@code event: change} with only its type and sequence number — never its data — and the page
 * re-reads itself through the normal, authorised page route. So a browser learns nothing from the
 * stream that its own session could not read, and the stream never needs its own authorisation
 * rules. A comment line every 15 s keeps proxies from closing idle streams.
 */
final class LiveEvents {
  static final int MAX_STREAMS = 2_000;

  private final Vertx vertx;
  private final Set<HttpServerResponse> open = ConcurrentHashMap.newKeySet();
  private final long timer;

  LiveEvents(Vertx vertx) {
    this.vertx = vertx;
    this.timer = vertx.setPeriodic(15_000, id -> open.forEach(r -> write(r, ": keep-alive\n\n")));
  }

  /** Starts a stream on this response (on the event loop). False when too many are open. */
  boolean attach(HttpServerResponse res) {
    if (open.size() >= MAX_STREAMS) {
      return false;
    }
    res.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-store").putHeader("x-accel-buffering", "no");
    open.add(res);
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
    vertx.runOnContext(v -> open.forEach(r -> write(r, msg)));
  }

  int streams() {
    return open.size();
  }

  void close() {
    vertx.cancelTimer(timer);
    open.forEach(r -> {
      try {
        r.end();
      } catch (RuntimeException ignored) {
        // already closed
      }
    });
    open.clear();
  }

  private void write(HttpServerResponse r, String s) {
    if (r.ended() || r.closed()) {
      open.remove(r);
      return;
    }
    r.write(s);
  }
}
