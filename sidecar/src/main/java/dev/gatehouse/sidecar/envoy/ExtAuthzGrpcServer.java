package dev.gatehouse.sidecar.envoy;

import dev.gatehouse.sidecar.decisionlog.DecisionLogger;
import dev.gatehouse.sync.PolicyHolder;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Envoy's external authorization gRPC service ({@code envoy.service.auth.v3.Authorization/Check})
 * on its own port, deciding with {@link ExtAuthzService}. Point Envoy's {@code ext_authz} filter
 * (or Istio's {@code CUSTOM} AuthorizationPolicy through an {@code envoyExtAuthzGrpc} provider) at
 * it. A check that cannot be decided answers gRPC {@code UNKNOWN} (or {@code INVALID_ARGUMENT}
 * for an unusable request) with the reason, as OPA-Envoy does; Envoy then denies.
 *
 * <pre>{@code
 * ExtAuthzGrpcServer s = ExtAuthzGrpcServer.start("0.0.0.0", 9191, holder, "envoy/authz/allow", logger);
 * }</pre>
 */
public final class ExtAuthzGrpcServer implements AutoCloseable {
  private static final io.grpc.Context.Key<String> PEER = io.grpc.Context.key("gatehouse-peer");

  private final Server server;
  private final ExtAuthzService service;

  private ExtAuthzGrpcServer(Server server, ExtAuthzService service) {
    this.server = server;
    this.service = service;
  }

  /**
   * Starts listening (plaintext, as Envoy usually talks to a local authz server).
   *
   * @param decisionPath data path of the decision; null for OPA-Envoy's default
   *     {@code envoy/authz/allow}
   */
  public static ExtAuthzGrpcServer start(String host, int port, PolicyHolder holder, String decisionPath,
      DecisionLogger logger) throws IOException {
    return start(host, port, new ExtAuthzService(holder, decisionPath, logger));
  }

  /** Starts listening with a configured service (e.g. one deciding with a {@link GatehouseMapping}). */
  public static ExtAuthzGrpcServer start(String host, int port, ExtAuthzService svc) throws IOException {
    return start(host, port, svc, null, null);
  }

  /**
   * Starts listening, over TLS when a PEM certificate chain and PKCS#8 key are given (Envoy's
   * {@code grpc_service} then needs a TLS transport socket).
   */
  public static ExtAuthzGrpcServer start(String host, int port, ExtAuthzService svc, java.nio.file.Path tlsCert,
      java.nio.file.Path tlsKey) throws IOException {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("TLS needs both a certificate and a key");
    }
    ServerServiceDefinition def = ServerServiceDefinition.builder(EnvoyAuthGrpc.SERVICE)
        .addMethod(EnvoyAuthGrpc.CHECK, ServerCalls.asyncUnaryCall(
            (CheckRequest req, StreamObserver<CheckResponse> obs) -> check(svc, req, obs)))
        .build();
    NettyServerBuilder nb = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .addService(ServerInterceptors.intercept(def, new PeerInterceptor()))
        .maxInboundMessageSize(8 * 1024 * 1024);
    if (tlsCert != null) {
      nb.useTransportSecurity(tlsCert.toFile(), tlsKey.toFile());
    }
    Server server = nb.build().start();
    return new ExtAuthzGrpcServer(server, svc);
  }

  private static void check(ExtAuthzService svc, CheckRequest req, StreamObserver<CheckResponse> obs) {
    try {
      String peer = PEER.get();
      obs.onNext(svc.check(req, peer).response());
      obs.onCompleted();
    } catch (ExtAuthzService.CheckFailed e) {
      obs.onError((e.invalidArgument() ? Status.INVALID_ARGUMENT : Status.UNKNOWN).withDescription(e.getMessage())
          .asRuntimeException());
    } catch (RuntimeException e) {
      obs.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
    }
  }

  /** Records the caller's address for the decision log's {@code requested_by}. */
  private static final class PeerInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, io.grpc.Metadata headers,
        ServerCallHandler<Q, R> next) {
      SocketAddress addr = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      String peer = addr instanceof InetSocketAddress i ? i.getAddress().getHostAddress() + ":" + i.getPort()
          : String.valueOf(addr);
      return io.grpc.Contexts.interceptCall(io.grpc.Context.current().withValue(PEER, peer), call, headers, next);
    }
  }

  public int port() {
    return server.getPort();
  }

  public ExtAuthzService service() {
    return service;
  }

  /** Stops accepting calls, lets running checks finish for up to 5 s, then cancels them. */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
