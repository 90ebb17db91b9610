package dev.gatehouse.sidecar.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.sidecar.decisionlog.DecisionLogConfig;
import dev.gatehouse.sidecar.decisionlog.DecisionLogger;
import dev.gatehouse.sidecar.testing.PolicyFixtures;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gatehouse's own sidecar decision served to Envoy: the policy library with the test grants
 * (bob may read and write payments-api in payments-prod from 09:00 to 11:00 on 2025-06-02).
 */
class GatehouseDecisionOverEnvoyTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static DecisionLogger logger;
  static ExtAuthzGrpcServer server;

  @BeforeAll
  static void start() throws Exception {
    Bundle b = Bundle.read(PolicyFixtures.policiesDir(), Bundle.ReadOptions.SKIP_VERIFICATION);
    Value grants = ((ObjectValue) Json.parse(Files.readString(
        PolicyFixtures.policiesDir().resolve("gatehouse/testdata/grants.json")))).get("grants");
    ObjectValue data = ObjectValue.of("gatehouse", ObjectValue.of("grants", grants));
    Policy policy = Rego.builder().data(data).bundle(b).compile();
    logger = new DecisionLogger(DecisionLogConfig.defaults(), List.of(e -> { }), Optional::empty);
    Clock tenOClock = Clock.fixed(Instant.parse("2025-06-02T10:00:00Z"), ZoneOffset.UTC);
    ExtAuthzService svc = new ExtAuthzService(new PolicyFixtures.MutableHolder().set(policy, Map.of("policies", "r1")),
        null, logger, new GatehouseMapping(null, null, tenOClock));
    server = ExtAuthzGrpcServer.start("127.0.0.1", 0, svc);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    logger.close();
  }

  static CheckRequest request(String method, String path, String sourcePrincipal, Struct jwtPayload) {
    AttributeContext.Builder a = ExtAuthzGrpcServerTest.envoyRequest(method, path, Map.of(), null).getAttributes()
        .toBuilder()
        .setSource(AttributeContext.Peer.newBuilder().setPrincipal(sourcePrincipal))
        .setDestination(AttributeContext.Peer.newBuilder()
            .setPrincipal("spiffe://cluster.local/ns/payments-prod/sa/payments-api"))
        .clearContextExtensions()
        .setMetadataContext(Metadata.getDefaultInstance());
    if (jwtPayload != null) {
      a.setMetadataContext(Metadata.newBuilder().putFilterMetadata("envoy.filters.http.jwt_authn",
          Struct.newBuilder().putFields("payload", com.google.protobuf.Value.newBuilder().setStructValue(jwtPayload).build())
              .build()));
    }
    return CheckRequest.newBuilder().setAttributes(a).build();
  }

  static CheckResponse check(CheckRequest r) {
    io.grpc.ManagedChannel ch = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
        .forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(ch, EnvoyAuthGrpc.CHECK, io.grpc.CallOptions.DEFAULT, r);
    } finally {
      ch.shutdownNow();
    }
  }

  static String header(List<HeaderValueOption> hs, String name) {
    return hs.stream().filter(h -> h.getHeader().getKey().equals(name)).map(h -> h.getHeader().getValue())
        .findFirst().orElse(null);
  }

  @Test
  void aGrantedMeshCallerIsAllowedWithItsGrantId() {
    CheckResponse r = check(request("POST", "/v1/refunds", "spiffe://cluster.local/ns/payments-prod/sa/bob", null));
    assertThat(r.getStatus().getCode()).isZero();
    assertThat(header(r.getOkResponse().getHeadersList(), "x-gatehouse-grant-id")).isEqualTo("gr-01");
    assertThat(header(r.getOkResponse().getHeadersList(), "x-gatehouse-decision-id")).isNotBlank();
  }

  @Test
  void aCallerWithoutAGrantGets403WithTheHint() throws Exception {
    CheckResponse r = check(request("POST", "/v1/refunds", "spiffe://cluster.local/ns/shop/sa/mallory", null));
    assertThat(r.getStatus().getCode()).isEqualTo(7);
    assertThat(r.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(403);
    JsonNode body = JSON.readTree(r.getDeniedResponse().getBody());
    assertThat(body.get("reason").asText()).isEqualTo("no grant lets mallory write on payments-api");
    assertThat(body.get("request_access_hint").asText()).startsWith("gatehouse request create --service payments-api");
    assertThat(body.get("decision_id").asText()).isNotBlank();
  }

  @Test
  void jwtSubjectVerifiedByEnvoyWinsOverThePeer() {
    Struct payload = Struct.newBuilder().putFields("sub", com.google.protobuf.Value.newBuilder().setStringValue("bob").build())
        .build();
    assertThat(check(request("GET", "/v1/payments", "spiffe://cluster.local/ns/shop/sa/frontend", payload))
        .getStatus().getCode()).isZero();
  }

  @Test
  void nonCanonicalPathsAreDeniedBeforeAnyRule() throws Exception {
    CheckResponse r = check(request("GET", "/healthz/../admin", "spiffe://cluster.local/ns/payments-prod/sa/bob", null));
    assertThat(r.getStatus().getCode()).isEqualTo(7);
    assertThat(JSON.readTree(r.getDeniedResponse().getBody()).get("reason").asText()).contains("not canonical");
  }

  @Test
  void rawHeaderMapsFromNewerEnvoysAreRead() {
    CheckRequest plain = request("POST", "/v1/refunds", "spiffe://cluster.local/ns/payments-prod/sa/bob", null);
    AttributeContext.HttpRequest.Builder http = plain.getAttributes().getRequest().getHttp().toBuilder().clearHeaders()
        .setHeaderMap(io.envoyproxy.envoy.config.core.v3.HeaderMap.newBuilder()
            .addHeaders(io.envoyproxy.envoy.config.core.v3.HeaderValue.newBuilder().setKey(":authority")
                .setRawValue(com.google.protobuf.ByteString.copyFromUtf8("payments-api")))
            .addHeaders(io.envoyproxy.envoy.config.core.v3.HeaderValue.newBuilder().setKey("x-request-id")
                .setRawValue(com.google.protobuf.ByteString.copyFromUtf8("r-1"))));
    assertThat(CheckInputs.headers(http.build())).containsEntry(":authority", "payments-api").containsEntry("x-request-id", "r-1");
    CheckRequest raw = plain.toBuilder().setAttributes(plain.getAttributes().toBuilder()
        .setRequest(plain.getAttributes().getRequest().toBuilder().setHttp(http))).build();
    assertThat(check(raw).getStatus().getCode()).isZero();
  }
}
