package dev.gatehouse.sidecar.envoy;

import com.google.protobuf.Struct;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves Gatehouse's own decision ({@code data.gatehouse.sidecar.decision}) to Envoy, so a mesh
 * (Istio {@code CUSTOM} AuthorizationPolicy) enforces the same JIT grants as the sidecar proxy.
 *
 * <p>Input {@code {request: {method, path, headers}, subject, service, namespace, now}} from the
 * check: the subject comes only from what Envoy verified — the {@code sub} claim of a JWT that
 * Envoy's {@code jwt_authn} filter validated (its {@code filter_metadata}), else the mTLS peer's
 * principal (for a Kubernetes SPIFFE id {@code spiffe://TD/ns/NS/sa/SA}, the service account
 * name SA) — never from a request header. The service and namespace come from the route's
 * {@code context_extensions} ({@code service}, {@code namespace}), else the configured service,
 * else the destination's SPIFFE id. The answer {@code {allow, reason, grant_id?,
 * request_access_hint?}} becomes an allow with {@code x-gatehouse-grant-id}, or a 403 whose JSON
 * body carries the reason and the command that would grant access.
 */
public final class GatehouseMapping {
  public static final String DECISION = "gatehouse/sidecar/decision";
  private static final String JWT_AUTHN = "envoy.filters.http.jwt_authn";
  private static final Pattern SPIFFE_K8S = Pattern.compile("^spiffe://[^/]+/ns/([^/]+)/sa/([^/]+)$");

  private final String defaultService;
  private final String defaultNamespace;
  private final Clock clock;

  /**
   * @param defaultService the service behind this enforcement point when the route does not say
   *     (null: take the destination's service account)
   */
  public GatehouseMapping(String defaultService, String defaultNamespace, Clock clock) {
    this.defaultService = defaultService;
    this.defaultNamespace = defaultNamespace;
    this.clock = clock == null ? Clock.systemUTC() : clock;
  }

  Value input(CheckRequest req) {
    AttributeContext a = req.getAttributes();
    AttributeContext.HttpRequest http = a.getRequest().getHttp();
    ObjectValue.Builder headers = ObjectValue.builder();
    CheckInputs.headers(http).forEach((k, v) -> headers.put(k, StringValue.of(v)));
    ObjectValue.Builder in = ObjectValue.builder()
        .put("request", ObjectValue.of("method", StringValue.of(http.getMethod()), "path", StringValue.of(http.getPath()),
            "headers", headers.build()))
        .put("now", StringValue.of(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString()));
    String subject = subject(a);
    if (subject != null) {
      in.put("subject", StringValue.of(subject));
    }
    String service = firstNonBlank(a.getContextExtensionsMap().get("service"), defaultService,
        spiffePart(a.getDestination().getPrincipal(), 2));
    if (service != null) {
      in.put("service", StringValue.of(service));
    }
    String namespace = firstNonBlank(a.getContextExtensionsMap().get("namespace"), defaultNamespace,
        spiffePart(a.getDestination().getPrincipal(), 1));
    if (namespace != null) {
      in.put("namespace", StringValue.of(namespace));
    }
    return in.build();
  }

  /** Who is calling, from what Envoy verified; null when unauthenticated. */
  static String subject(AttributeContext a) {
    Struct jwt = a.getMetadataContext().getFilterMetadataMap().get(JWT_AUTHN);
    if (jwt != null) {
      for (com.google.protobuf.Value payload : jwt.getFieldsMap().values()) {
        if (payload.hasStructValue() && payload.getStructValue().containsFields("sub")) {
          String sub = payload.getStructValue().getFieldsOrThrow("sub").getStringValue();
          if (!sub.isBlank()) {
            return sub;
          }
        }
      }
    }
    String principal = a.getSource().getPrincipal();
    if (principal.isBlank()) {
      return null;
    }
    String sa = spiffePart(principal, 2);
    return sa != null ? sa : principal;
  }

  private static String spiffePart(String principal, int group) {
    Matcher m = SPIFFE_K8S.matcher(principal == null ? "" : principal);
    return m.matches() ? m.group(group) : null;
  }

  private static String firstNonBlank(String... xs) {
    for (String x : xs) {
      if (x != null && !x.isBlank()) {
        return x;
      }
    }
    return null;
  }

  /** Gatehouse's answer as an Envoy decision. */
  EnvoyDecision decision(Value result, String decisionId) {
    if (!(result instanceof ObjectValue o) || !(o.get("allow") instanceof BooleanValue allow)) {
      throw new IllegalArgumentException("gatehouse decision is not an object with a boolean \"allow\"");
    }
    String id = decisionId == null ? "" : decisionId;
    if (allow.value()) {
      List<Map.Entry<String, String>> headers = new java.util.ArrayList<>();
      if (o.get("grant_id") instanceof StringValue g) {
        headers.add(Map.entry("x-gatehouse-grant-id", g.value()));
      }
      if (!id.isEmpty()) {
        headers.add(Map.entry("x-gatehouse-decision-id", id));
      }
      List<Map.Entry<String, String>> toClient = id.isEmpty() ? List.of() : List.of(Map.entry("x-gatehouse-decision-id", id));
      return new EnvoyDecision(true, headers, toClient, List.of(), List.of(), List.of(), "", false, 200, null);
    }
    ObjectValue.Builder body = ObjectValue.builder()
        .put("error", StringValue.of("forbidden"))
        .put("reason", o.get("reason") == null ? StringValue.of("denied") : o.get("reason"));
    if (o.get("request_access_hint") != null) {
      body.put("request_access_hint", o.get("request_access_hint"));
    }
    if (!id.isEmpty()) {
      body.put("decision_id", StringValue.of(id));
    }
    List<Map.Entry<String, String>> headers = new java.util.ArrayList<>();
    headers.add(Map.entry("content-type", "application/json"));
    if (!id.isEmpty()) {
      headers.add(Map.entry("x-gatehouse-decision-id", id));
    }
    return new EnvoyDecision(false, headers, List.of(), List.of(), List.of(), List.of(), Json.write(body.build()), true,
        403, null);
  }
}
