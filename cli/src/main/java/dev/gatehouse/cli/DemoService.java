package dev.gatehouse.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * The service {@code gatehouse up} puts behind a sidecar: a stand-in for payments-api that answers
 * every request with what it received. It listens on loopback only, so the sidecar is the one way
 * to reach it.
 */
final class DemoService implements AutoCloseable {
  private final Vertx vertx;
  private final HttpServer server;

  private DemoService(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  static DemoService start(String name) throws Exception {
    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onComplete(body -> {
      JsonObject answer = new JsonObject().put("service", name).put("method", req.method().name())
          .put("path", req.uri()).put("message", "hello from the demo " + name + "; the sidecar let this call through");
      req.response().putHeader("content-type", "application/json").end(answer.encodePrettily() + "\n");
    }));
    try {
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
    return new DemoService(vertx, server);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Override
  public void close() {
    vertx.close();
  }
}
