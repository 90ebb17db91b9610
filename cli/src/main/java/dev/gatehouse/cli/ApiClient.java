package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small JSON client of the control plane's REST API over {@code java.net.http}. */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A failure to reach the server or to read its answer: exit code 2. */
  static final class Unreachable extends RuntimeException {
    Unreachable(String message) {
      super(message);
    }
  }

  record Response(int status, JsonNode json, String body) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  private final String server;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  ApiClient(String server, String token) {
    this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    this.token = token;
  }

  String server() {
    return server;
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Response post(String path, Object body) {
    String json;
    try {
      json = body instanceof String s ? s : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return send(HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private URI uri(String path) {
    try {
      return URI.create(server + path);
    } catch (IllegalArgumentException e) {
      throw new Unreachable("bad server URL " + server + ": " + e.getMessage());
    }
  }

  private Response send(HttpRequest.Builder b) {
    if (token != null && !token.isBlank()) {
      b.header("Authorization", "Bearer " + token.trim());
    }
    b.timeout(Duration.ofSeconds(30));
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new Unreachable("cannot reach the control plane at " + server + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted");
    }
    JsonNode json = null;
    if (r.headers().firstValue("content-type").orElse("").contains("json") && !r.body().isEmpty()) {
      try {
        json = JSON.readTree(r.body());
      } catch (IOException e) {
        throw new Unreachable("the server at " + server + " answered malformed JSON (status " + r.statusCode() + ")");
      }
    }
    return new Response(r.statusCode(), json, r.body());
  }
}
