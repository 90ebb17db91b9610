package dev.gatehouse.sidecar;

import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.sync.ActivePolicy;
import dev.gatehouse.sync.PolicyHolder;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides requests with {@code data.gatehouse.sidecar.decision} on the policy currently active:
 * input {@code {request: {method, path, headers}, subject, service, namespace?, now}} with
 * {@code now} from the injected clock. The prepared query is cached per activated generation.
 */
public final class Decider {
  public static final String QUERY = "data.gatehouse.sidecar.decision";

  /** No policy has activated yet: the sidecar is not ready and refuses (fail closed). */
  public static final class NotReadyException extends Exception {
    public NotReadyException() {
      super("no policy bundle has been activated yet", null, false, false);
    }
  }

  private record Prepared(ActivePolicy active, PreparedQuery query, Map<String, Instant> grantExpiry) {}

  private final PolicyHolder holder;
  private final Clock clock;
  private final String service;
  private final String namespace;
  private volatile Prepared prepared;

  public Decider(PolicyHolder holder, Clock clock, String service, String namespace) {
    this.holder = holder;
    this.clock = clock;
    this.service = service;
    this.namespace = namespace;
  }

  public Clock clock() {
    return clock;
  }

  private Prepared prepared() throws NotReadyException {
    Optional<ActivePolicy> active = holder.current();
    if (active.isEmpty()) {
      throw new NotReadyException();
    }
    Prepared p = prepared;
    if (p == null || p.active() != active.get()) {
      ActivePolicy a = active.get();
      p = new Prepared(a, a.policy().prepare(QUERY), grantExpiry(a));
      prepared = p;
    }
    return p;
  }

  /** When each loaded grant expires (by id), for closing connections at expiry. */
  public Map<String, Instant> grantExpiry() throws NotReadyException {
    return prepared().grantExpiry();
  }

  /**
   * @throws NotReadyException before the first activation
   * @throws RegoException when evaluation fails (the caller refuses the request)
   */
  public Decision decide(RequestFacts facts) throws NotReadyException {
    Prepared p = prepared();
    ObjectValue.Builder req = ObjectValue.builder()
        .put("method", StringValue.of(facts.method()))
        .put("path", StringValue.of(facts.rawPath()));
    ObjectValue.Builder headers = ObjectValue.builder();
    facts.headers().forEach((k, v) -> headers.put(k, StringValue.of(v)));
    req.put("headers", headers.build());
    ObjectValue.Builder in = ObjectValue.builder().put("request", req.build());
    if (facts.subject() != null) {
      in.put("subject", StringValue.of(facts.subject()));
    }
    in.put("service", StringValue.of(service));
    if (namespace != null) {
      in.put("namespace", StringValue.of(namespace));
    }
    in.put("now", StringValue.of(clock.instant().toString()));
    ObjectValue input = in.build();
    long t0 = System.nanoTime();
    Optional<Value> result = p.query().evalValue(input);
    long nanos = System.nanoTime() - t0;
    String id = UUID.randomUUID().toString();
    if (result.isEmpty() || !(result.get() instanceof ObjectValue r)) {
      return new Decision(id, false, "the policy returned no decision for " + QUERY, null, null, input,
          result.orElse(null), p.active().revisions(), nanos);
    }
    boolean allow = r.get("allow") == BooleanValue.TRUE;
    return new Decision(id, allow, string(r.get("reason")), string(r.get("grant_id")),
        string(r.get("request_access_hint")), input, r, p.active().revisions(), nanos);
  }

  private static String string(Value v) {
    return v instanceof StringValue s ? s.value() : null;
  }

  private static Map<String, Instant> grantExpiry(ActivePolicy a) {
    Map<String, Instant> out = new HashMap<>();
    if (a.policy().data() instanceof ObjectValue d && d.get("gatehouse") instanceof ObjectValue g) {
      Value grants = g.get("grants");
      Iterable<Value> entries = grants instanceof ArrayValue arr ? arr.elements()
          : grants instanceof ObjectValue obj ? obj.asMap().values() : java.util.List.of();
      for (Value e : entries) {
        if (e instanceof ObjectValue o && o.get("id") instanceof StringValue id
            && o.get("expires_at") instanceof StringValue exp) {
          try {
            out.put(id.value(), Instant.parse(exp.value()));
          } catch (DateTimeParseException ex) {
            // the policy treats an unreadable window as inactive; nothing to schedule
          }
        }
      }
    }
    return out;
  }
}
