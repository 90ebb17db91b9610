package dev.gatehouse.sidecar;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service behind the sidecar: echoes what it received as JSON (method, raw URI, the headers the
 * sidecar adds, how many body bytes arrived, read as a stream), echoes WebSocket messages on /ws
 * and streams a chunk every 100 ms forever on /stream.
 */
final class Upstream implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final HttpServer server;
  final AtomicLong requests = new AtomicLong();

  Upstream() throws Exception {
    server = vertx.createHttpServer().requestHandler(req -> {
      requests.incrementAndGet();
      if (req.path().equals("/ws") && req.canUpgradeToWebSocket()) {
        req.toWebSocket().onSuccess(ws -> ws.textMessageHandler(m -> ws.writeTextMessage("echo:" + m)));
        return;
      }
      if (req.path().equals("/stream")) {
        req.response().setChunked(true).putHeader("content-type", "text/event-stream");
        long timer = vertx.setPeriodic(100, id -> req.response().write("data: tick\n\n"));
        req.response().closeHandler(v -> vertx.cancelTimer(timer));
        return;
      }
      AtomicLong bytes = new AtomicLong();
      req.handler(b -> bytes.addAndGet(b.length()));
      req.endHandler(v -> {
        JsonObject o = new JsonObject()
            .put("method", req.method().name())
            .put("uri", req.uri())
            .put("version", req.version().name())
            .put("subject", req.getHeader("x-gatehouse-subject"))
            .put("decision_id", req.getHeader("x-gatehouse-decision-id"))
            .put("bytes", bytes.get());
        req.response().putHeader("content-type", "application/json").putHeader("x-upstream", "yes").end(o.encode());
      });
    });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
