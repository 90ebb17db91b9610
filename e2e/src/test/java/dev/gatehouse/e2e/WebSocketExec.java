package dev.gatehouse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.injector.Mappers;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl exec -it POD -c CONTAINER -- COMMAND} as kubectl (≥ 1.30) sends it: a WebSocket
 * upgrade of GET .../pods/POD/exec with the {@code v5.channel.k8s.io} subprotocol. fabric8's exec
 * sends the same request but keeps only the status code of a refused upgrade; this client keeps the
 * API server's Status body too, which is where the webhook's message is.
 */
final class WebSocketExec implements AutoCloseable {
  /** What the API server answered: 101 (upgraded), or the refusal's status code and message. */
  record Outcome(int status, String reason, String message) {}

  private final Vertx vertx = Vertx.vertx();
  private final WebSocketClient client;
  private final URI api;

  WebSocketExec(KubeTestEnv env) {
    this.api = URI.create(env.apiUrl());
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(env.caFile().toString())));
  }

  Outcome exec(String token, String namespace, String pod, String container, List<String> command) throws Exception {
    StringBuilder uri = new StringBuilder("/api/v1/namespaces/").append(namespace).append("/pods/").append(pod)
        .append("/exec?container=").append(enc(container)).append("&stdin=true&stdout=true&tty=true");
    for (String c : command) {
      uri.append("&command=").append(enc(c));
    }
    return upgrade(uri.toString(), java.util.Map.of("Authorization", List.of("Bearer " + token)),
        List.of("v5.channel.k8s.io", "v4.channel.k8s.io"));
  }

  /**
   * A WebSocket upgrade of GET {@code uri} on the API server with these headers (e.g. admin's token
   * with Impersonate-User and Impersonate-Group) and subprotocols.
   */
  Outcome upgrade(String uri, java.util.Map<String, List<String>> headers, List<String> subProtocols) throws Exception {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(api.getHost()).setPort(api.getPort())
        .setSsl(true).setURI(uri);
    subProtocols.forEach(o::addSubProtocol);
    headers.forEach((k, vs) -> o.putHeader(k, new ArrayList<CharSequence>(vs)));
    try {
      WebSocket ws = client.connect(o).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      ws.close();
      return new Outcome(101, "", "");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UpgradeRejectedException r) {
        JsonNode status = Mappers.JSON.readTree(r.getBody() == null ? "{}" : r.getBody().toString());
        return new Outcome(r.getStatus(), status.path("reason").asText(), status.path("message").asText());
      }
      throw e;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    vertx.close();
  }
}
