package dev.gatehouse.injector.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.injector.Mappers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on a loopback port standing in for Slack's incoming webhook: records every
 * POST, and can be told to fail the first N calls or to hang before answering.
 */
public final class Receiver implements AutoCloseable {
  /** One call as received, with the status it was answered (0: it was held past the caller's timeout). */
  public record Call(String method, String path, String contentType, String body, int status) {
    public JsonNode json() {
      try {
        return Mappers.JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final HttpServer server;
  private final List<Call> calls = new ArrayList<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicLong hangMillis = new AtomicLong();

  public Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "receiver");
      t.setDaemon(true); // a handler held by hang() must not keep the test JVM alive
      return t;
    }));
    server.createContext("/hook", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      long hang = hangMillis.get();
      int status = hang > 0 ? 0 : failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200;
      // Recorded on arrival, so a hanging answer does not hide the call.
      synchronized (calls) {
        calls.add(new Call(ex.getRequestMethod(), ex.getRequestURI().getPath(),
            ex.getRequestHeaders().getFirst("Content-Type"), body, status));
        calls.notifyAll();
      }
      if (hang > 0) {
        try {
          Thread.sleep(hang);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        status = 200;
      }
      byte[] answer = (status == 200 ? "ok" : "boom").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, answer.length);
      ex.getResponseBody().write(answer);
      ex.close();
    });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  public void failFirst(int n) {
    failures.set(n);
  }

  public void hang(Duration d) {
    hangMillis.set(d.toMillis());
  }

  public void reset() {
    failures.set(0);
    hangMillis.set(0);
    synchronized (calls) {
      calls.clear();
    }
  }

  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** Waits until at least n calls were answered (or the time is up) and returns them all. */
  public List<Call> await(int n, Duration max) throws InterruptedException {
    long until = System.nanoTime() + max.toNanos();
    synchronized (calls) {
      while (calls.size() < n && System.nanoTime() < until) {
        calls.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
      }
      return List.copyOf(calls);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
