package dev.gatehouse.sidecar.envoy;

import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * The one gRPC method of Envoy's external authorization API, declared by hand so the build needs
 * only protoc for the messages (no gRPC code generator plugin):
 * {@code envoy.service.auth.v3.Authorization/Check}.
 */
public final class EnvoyAuthGrpc {
  public static final String SERVICE = "envoy.service.auth.v3.Authorization";

  public static final MethodDescriptor<CheckRequest, CheckResponse> CHECK =
      MethodDescriptor.<CheckRequest, CheckResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Check"))
          .setRequestMarshaller(ProtoUtils.marshaller(CheckRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(CheckResponse.getDefaultInstance()))
          .setSampledToLocalTracing(true)
          .build();

  private EnvoyAuthGrpc() {}
}
