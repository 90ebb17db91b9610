package dev.gatehouse.sidecar.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.sidecar.decisionlog.DecisionLogConfig;
import dev.gatehouse.sidecar.decisionlog.DecisionLogger;
import dev.gatehouse.sidecar.testing.PolicyFixtures;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A grpc-java client sends {@code CheckRequest}s shaped as Envoy's ext_authz filter sends them
 * (peers with socket addresses and SPIFFE principals, request time, pseudo-headers, the path with
 * its query, context extensions, JWT-authn metadata) to {@link ExtAuthzGrpcServer} running
 * policies written for OPA-Envoy.
 */
class ExtAuthzGrpcServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<ObjectNode> logged = Collections.synchronizedList(new ArrayList<>());
  static DecisionLogger logger;
  static ExtAuthzGrpcServer tutorial;
  static ExtAuthzGrpcServer rich;
  static ExtAuthzGrpcServer broken;
  static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    Policy policy = Rego.builder()
        .module("people-authz.rego", resource("/envoy/people-authz.rego"))
        .module("rich-authz.rego", resource("/envoy/rich-authz.rego"))
        .compile();
    PolicyFixtures.MutableHolder holder = new PolicyFixtures.MutableHolder().set(policy, Map.of("envoy", "r1"));
    logger = new DecisionLogger(DecisionLogConfig.defaults(), List.of(logged::add), Optional::empty);
    tutorial = ExtAuthzGrpcServer.start("127.0.0.1", 0, holder, null, logger); // OPA-Envoy's default path
    rich = ExtAuthzGrpcServer.start("127.0.0.1", 0, holder, "envoy/rich/decision", logger);
    broken = ExtAuthzGrpcServer.start("127.0.0.1", 0, holder, "envoy/rich/bad", logger);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", tutorial.port()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    tutorial.close();
    rich.close();
    broken.close();
    logger.close();
  }

  static String resource(String name) throws IOException {
    try (InputStream in = ExtAuthzGrpcServerTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String token(String sub, String role) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
        .subject(sub).claim("role", role)
        .notBeforeTime(new Date(System.currentTimeMillis() - 60_000))
        .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
    jwt.sign(new MACSigner("people-tutorial-shared-secret-32b".getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  /** What Envoy's ext_authz filter sends for a downstream request. */
  static CheckRequest envoyRequest(String method, String pathWithQuery, Map<String, String> extraHeaders, String body) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put(":authority", "people.example.com");
    headers.put(":method", method);
    headers.put(":path", pathWithQuery);
    headers.put(":scheme", "https");
    headers.put("user-agent", "curl/8.5.0");
    headers.put("x-forwarded-proto", "https");
    headers.put("x-request-id", "3b0f4a44-6c43-4f5c-9f0e-1d6b4c1f2a10");
    headers.putAll(extraHeaders);
    AttributeContext.HttpRequest.Builder http = AttributeContext.HttpRequest.newBuilder()
        .setId("3b0f4a44-6c43-4f5c-9f0e-1d6b4c1f2a10")
        .setMethod(method)
        .setPath(pathWithQuery)
        .setHost("people.example.com")
        .setScheme("https")
        .setProtocol("HTTP/1.1")
        .putAllHeaders(headers);
    if (body != null) {
      http.setBody(body).setSize(body.length());
    }
    return CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
            .setSource(AttributeContext.Peer.newBuilder()
                .setAddress(Address.newBuilder().setSocketAddress(
                    SocketAddress.newBuilder().setAddress("10.244.0.17").setPortValue(51234)))
                .setPrincipal("spiffe://cluster.local/ns/shop/sa/frontend"))
            .setDestination(AttributeContext.Peer.newBuilder()
                .setAddress(Address.newBuilder().setSocketAddress(
                    SocketAddress.newBuilder().setAddress("10.244.0.23").setPortValue(8080)))
                .setPrincipal("spiffe://cluster.local/ns/shop/sa/people"))
            .setRequest(AttributeContext.Request.newBuilder()
                .setTime(Timestamp.newBuilder().setSeconds(1_764_000_000L).setNanos(123_000_000))
                .setHttp(http))
            .putContextExtensions("service", "people")
            .setMetadataContext(Metadata.newBuilder().putFilterMetadata("envoy.filters.http.jwt_authn",
                Struct.newBuilder().putFields("verified", com.google.protobuf.Value.newBuilder().setBoolValue(true).build())
                    .build())))
        .build();
  }

  static CheckResponse check(ExtAuthzGrpcServer server, CheckRequest req) {
    ManagedChannel ch = server == tutorial ? channel
        : NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      return ClientCalls.blockingUnaryCall(ch, EnvoyAuthGrpc.CHECK, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), req);
    } finally {
      if (ch != channel) {
        ch.shutdownNow();
      }
    }
  }

  static Map<String, String> headers(List<HeaderValueOption> hs) {
    return hs.stream().collect(Collectors.toMap(h -> h.getHeader().getKey(), h -> h.getHeader().getValue()));
  }

  @Test
  void tutorialPolicyAllowsAndDeniesAsWithOpaEnvoy() throws Exception {
    CheckResponse catalogue = check(tutorial, envoyRequest("GET", "/catalogue/items?page=2", Map.of(), null));
    assertThat(catalogue.getStatus().getCode()).isEqualTo(0);
    assertThat(catalogue.hasOkResponse()).isTrue();

    String guest = "Bearer " + token("alice", "guest");
    String admin = "Bearer " + token("bob", "admin");
    assertThat(check(tutorial, envoyRequest("GET", "/people/carol", Map.of("authorization", guest), null))
        .getStatus().getCode()).isEqualTo(0);
    CheckResponse denied = check(tutorial, envoyRequest("POST", "/people", Map.of("authorization", guest,
        "content-type", "application/json"), "{\"firstname\":\"Dave\"}"));
    assertThat(denied.getStatus().getCode()).isEqualTo(7); // PERMISSION_DENIED
    assertThat(denied.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(403);

    // parsed_body: admins may add others, not themselves
    assertThat(check(tutorial, envoyRequest("POST", "/people", Map.of("authorization", admin,
        "content-type", "application/json"), "{\"firstname\":\"Dave\"}")).getStatus().getCode()).isEqualTo(0);
    assertThat(check(tutorial, envoyRequest("POST", "/people", Map.of("authorization", admin,
        "content-type", "application/json"), "{\"firstname\":\"BOB\"}")).getStatus().getCode()).isEqualTo(7);
    // parsed_query keeps repeated names
    assertThat(check(tutorial, envoyRequest("GET", "/search?name=eve", Map.of("authorization", admin), null))
        .getStatus().getCode()).isEqualTo(0);
    assertThat(check(tutorial, envoyRequest("GET", "/search?name=eve&name=mallory", Map.of("authorization", admin), null))
        .getStatus().getCode()).isEqualTo(7);
    // a token signed with another key is no token
    String forged = "Bearer " + token("bob", "admin").replaceAll("\\.[^.]+$", ".c2lnbmF0dXJl");
    assertThat(check(tutorial, envoyRequest("GET", "/people/carol", Map.of("authorization", forged), null))
        .getStatus().getCode()).isEqualTo(7);
  }

  @Test
  void objectDecisionsCarryHeadersStatusBodyAndMetadata() {
    CheckResponse ok = check(rich, envoyRequest("GET", "/people/carol", Map.of("x-api-key", "k-123"), null));
    assertThat(ok.getStatus().getCode()).isEqualTo(0);
    assertThat(headers(ok.getOkResponse().getHeadersList()))
        .containsEntry("x-caller", "spiffe://cluster.local/ns/shop/sa/frontend")
        .containsEntry("x-ext-service", "people");
    assertThat(headers(ok.getOkResponse().getResponseHeadersToAddList())).containsEntry("x-served-by", "gatehouse");
    assertThat(ok.getOkResponse().getHeadersToRemoveList()).containsExactly("x-debug");
    assertThat(ok.getOkResponse().getQueryParametersToSet(0).getKey()).isEqualTo("tenant");
    assertThat(ok.getDynamicMetadata().getFieldsOrThrow("caller").getStringValue())
        .isEqualTo("spiffe://cluster.local/ns/shop/sa/frontend");

    CheckResponse no = check(rich, envoyRequest("GET", "/people/carol", Map.of(), null));
    assertThat(no.getStatus().getCode()).isEqualTo(7);
    assertThat(no.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(401);
    assertThat(no.getDeniedResponse().getBody()).isEqualTo("{\"error\":\"sign in first\"}");
    assertThat(headers(no.getDeniedResponse().getHeadersList())).containsEntry("www-authenticate", "Bearer realm=\"people\"");
  }

  @Test
  void undecidableChecksFailTheCallAsOpaEnvoyDoes() {
    assertThatThrownBy(() -> check(broken, envoyRequest("GET", "/", Map.of(), null)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
          assertThat(e.getStatus().getDescription())
              .isEqualTo("type assertion error, expected allowed to be of type 'boolean' but got 'string'");
        });
    assertThatThrownBy(() -> check(tutorial, envoyRequest("GET", "/bad%zzescape", Map.of(), null)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThatThrownBy(() -> check(tutorial, envoyRequest("POST", "/people",
        Map.of("content-type", "application/json"), "{not json")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void inputHasOpaEnvoysShape() throws Exception {
    CheckRequest req = envoyRequest("POST", "/people/x%2Fy?name=a+b&name=c&flag", Map.of(
        "content-type", "application/json", "content-length", "16"), "{\"firstname\":1}");
    JsonNode in = JSON.readTree(Json.write(CheckInputs.toInput(req)));
    assertThat(in.at("/attributes/request/http/method").asText()).isEqualTo("POST");
    assertThat(in.at("/attributes/request/http/headers/:authority").asText()).isEqualTo("people.example.com");
    assertThat(in.at("/attributes/request/http/size").asText()).as("int64 as a string, as protojson").isEqualTo("15");
    assertThat(in.at("/attributes/request/time").asText()).isEqualTo("2025-11-24T16:00:00.123Z");
    assertThat(in.at("/attributes/source/address/socketAddress/address").asText()).isEqualTo("10.244.0.17");
    assertThat(in.at("/attributes/source/address/socketAddress/portValue").asInt()).isEqualTo(51234);
    assertThat(in.at("/attributes/source/principal").asText()).isEqualTo("spiffe://cluster.local/ns/shop/sa/frontend");
    assertThat(in.at("/attributes/contextExtensions/service").asText()).isEqualTo("people");
    assertThat(in.at("/attributes/metadataContext/filterMetadata/envoy.filters.http.jwt_authn/verified").asBoolean())
        .isTrue();
    assertThat(in.at("/version")).isEqualTo(JSON.readTree("{\"encoding\":\"protojson\",\"ext_authz\":\"v3\"}"));
    assertThat(in.get("parsed_path")).isEqualTo(JSON.readTree("[\"people\",\"x\",\"y\"]"));
    assertThat(in.get("parsed_query")).isEqualTo(JSON.readTree("{\"name\":[\"a b\",\"c\"],\"flag\":[\"\"]}"));
    // content-length 16 > 15 bytes Envoy buffered: truncated, not parsed
    assertThat(in.get("truncated_body").asBoolean()).isTrue();
    assertThat(in.get("parsed_body").isNull()).isTrue();

    JsonNode root = JSON.readTree(Json.write(CheckInputs.toInput(envoyRequest("GET", "/", Map.of(), null))));
    assertThat(root.get("parsed_path")).isEqualTo(JSON.readTree("[\"\"]"));
    assertThat(root.get("parsed_query")).isEqualTo(JSON.readTree("{}"));
    assertThat(root.get("truncated_body").asBoolean()).isFalse();
  }

  @Test
  void checksAreDecisionLogged() throws Exception {
    CheckResponse r = check(tutorial, envoyRequest("GET", "/catalogue/log-me", Map.of(), null));
    assertThat(r.getStatus().getCode()).isEqualTo(0);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    ObjectNode event = null;
    while (event == null && System.nanoTime() < deadline) {
      synchronized (logged) {
        event = logged.stream().filter(e -> e.at("/input/attributes/request/http/path").asText().equals("/catalogue/log-me"))
            .findFirst().orElse(null);
      }
      Thread.sleep(20);
    }
    assertThat(event).isNotNull();
    assertThat(event.get("path").asText()).isEqualTo("envoy/authz/allow");
    assertThat(event.get("result").asBoolean()).isTrue();
    assertThat(event.at("/bundles/envoy/revision").asText()).isEqualTo("r1");
    assertThat(event.get("requested_by").asText()).startsWith("127.0.0.1:");
  }

  @Test
  void speaksTlsWhenGivenACertificate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    dev.gatehouse.sidecar.testing.SelfSigned tls = dev.gatehouse.sidecar.testing.SelfSigned.create(dir);
    Policy policy = Rego.builder().module("people-authz.rego", resource("/envoy/people-authz.rego")).compile();
    ExtAuthzService svc = new ExtAuthzService(new PolicyFixtures.MutableHolder().set(policy, Map.of()), null, null);
    try (ExtAuthzGrpcServer s = ExtAuthzGrpcServer.start("127.0.0.1", 0, svc, tls.cert(), tls.key())) {
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", s.port()).overrideAuthority("localhost")
          .sslContext(io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.forClient()
              .trustManager(tls.cert().toFile()).build())
          .build();
      try {
        CheckResponse r = ClientCalls.blockingUnaryCall(ch, EnvoyAuthGrpc.CHECK, CallOptions.DEFAULT,
            envoyRequest("GET", "/catalogue", Map.of(), null));
        assertThat(r.getStatus().getCode()).isZero();
        assertThat(svc.stats().allowed()).isEqualTo(1);
      } finally {
        ch.shutdownNow();
      }
    }
  }

  @Test
  void dryRunLetsEverythingThroughButLogsTheRealDecision() throws Exception {
    Policy policy = Rego.builder().module("people-authz.rego", resource("/envoy/people-authz.rego")).compile();
    List<ObjectNode> events = Collections.synchronizedList(new ArrayList<>());
    DecisionLogger log = new DecisionLogger(DecisionLogConfig.defaults(), List.of(events::add), Optional::empty);
    ExtAuthzService svc = new ExtAuthzService(new PolicyFixtures.MutableHolder().set(policy, Map.of()), null, log)
        .withDryRun(true);
    try (ExtAuthzGrpcServer s = ExtAuthzGrpcServer.start("127.0.0.1", 0, svc)) {
      assertThat(check(s, envoyRequest("DELETE", "/people/carol", Map.of(), null)).getStatus().getCode()).isZero();
      assertThat(check(s, envoyRequest("GET", "/bad%zz", Map.of(), null)).getStatus().getCode()).isZero();
    }
    log.close();
    assertThat(svc.stats().denied()).isEqualTo(1);
    assertThat(svc.stats().failed()).isEqualTo(1);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("result").asBoolean()).isFalse();
  }
}
