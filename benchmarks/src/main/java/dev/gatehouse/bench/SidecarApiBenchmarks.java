package dev.gatehouse.bench;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.sidecar.decisionlog.DecisionLogConfig;
import dev.gatehouse.sidecar.decisionlog.DecisionLogger;
import dev.gatehouse.sidecar.envoy.EnvoyAuthGrpc;
import dev.gatehouse.sidecar.envoy.ExtAuthzGrpcServer;
import dev.gatehouse.sidecar.envoy.ExtAuthzService;
import dev.gatehouse.sidecar.envoy.GatehouseMapping;
import dev.gatehouse.sidecar.opa.OpaApiOptions;
import dev.gatehouse.sidecar.opa.OpaApiServer;
import dev.gatehouse.sync.ActivePolicy;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Round trips through the sidecar's APIs over loopback, one client thread, decision logging on
 * (to a sink that discards): an Envoy {@code Check} decided by Gatehouse's sidecar decision (the
 * policy library with its test grants), and the same decision through the OPA REST API
 * ({@code POST /v1/data/gatehouse/sidecar/decision}). Sample time, so JMH reports percentiles.
 * Run from the repository root (the policy library is read from {@code policies/}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class SidecarApiBenchmarks {
  private Vertx vertx;
  private DecisionLogger logger;
  private ExtAuthzGrpcServer grpc;
  private OpaApiServer rest;
  private ManagedChannel channel;
  private HttpClient http;
  private CheckRequest check;
  private HttpRequest decisionRequest;

  @Setup(Level.Trial)
  public void start() throws Exception {
    Path policies = Path.of(System.getProperty("gatehouse.policies", "policies"));
    Bundle b = Bundle.read(policies, Bundle.ReadOptions.SKIP_VERIFICATION);
    Value grants = ((ObjectValue) Json.parse(Files.readString(policies.resolve("gatehouse/testdata/grants.json"))))
        .get("grants");
    Policy policy = Rego.builder().data(ObjectValue.of("gatehouse", ObjectValue.of("grants", grants))).bundle(b).compile();
    ActivePolicy active = new ActivePolicy(policy, Map.of("policies", "bench"), Instant.now());
    logger = new DecisionLogger(DecisionLogConfig.defaults(), List.of(e -> { }), Optional::empty);
    Clock clock = Clock.fixed(Instant.parse("2025-06-02T10:00:00Z"), ZoneOffset.UTC);
    grpc = ExtAuthzGrpcServer.start("127.0.0.1", 0, new ExtAuthzService(() -> Optional.of(active), null, logger,
        new GatehouseMapping("payments-api", "payments-prod", clock)));
    vertx = Vertx.vertx();
    rest = OpaApiServer.start(vertx, OpaApiOptions.of("127.0.0.1", 0), () -> Optional.of(active), List::of, logger)
        .toCompletionStage().toCompletableFuture().get();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    check = CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
        .setSource(AttributeContext.Peer.newBuilder().setPrincipal("spiffe://cluster.local/ns/payments-prod/sa/bob"))
        .setRequest(AttributeContext.Request.newBuilder().setHttp(AttributeContext.HttpRequest.newBuilder()
            .setMethod("POST").setPath("/v1/refunds").setHost("payments-api")
            .putHeaders(":authority", "payments-api").putHeaders("content-type", "application/json"))))
        .build();
    decisionRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rest.port()
            + "/v1/data/gatehouse/sidecar/decision"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"input\":{\"request\":{\"method\":\"POST\",\"path\":\"/v1/refunds\","
            + "\"headers\":{}},\"subject\":\"bob\",\"service\":\"payments-api\",\"namespace\":\"payments-prod\","
            + "\"now\":\"2025-06-02T10:00:00Z\"}}"))
        .build();
    if (extAuthzCheck().getStatus().getCode() != 0) {
      throw new IllegalStateException("the benchmark check should be allowed by grant gr-01");
    }
    if (!opaRestDecision().contains("\"grant_id\":\"gr-01\"")) {
      throw new IllegalStateException("the REST decision should be allowed by grant gr-01");
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    channel.shutdownNow();
    grpc.close();
    rest.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
    logger.close();
  }

  @Benchmark
  public CheckResponse extAuthzCheck() {
    return ClientCalls.blockingUnaryCall(channel, EnvoyAuthGrpc.CHECK, CallOptions.DEFAULT, check);
  }

  @Benchmark
  public String opaRestDecision() throws Exception {
    return http.send(decisionRequest, HttpResponse.BodyHandlers.ofString()).body();
  }
}
