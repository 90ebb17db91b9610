package dev.gatehouse.controlplane.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.QueryResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The policies in force and the two JIT decisions. {@link #refresh} reloads when the files change
 * and keeps the previous generation when the new one does not compile; the callback hears about
 * every revision change (the control plane audits it).
 */
public final class Policies {
  /** What a decision call produced: the policy's object, or why there is none. */
  public record Decision(ObjectNode value, String revision, String error) {
    public boolean ok() {
      return value != null;
    }
  }

  private final PolicyLoader loader;
  private final AtomicReference<PolicySnapshot> current = new AtomicReference<>();
  private final BiConsumer<String, String> onChange;
  private volatile String lastError;
  private volatile String fingerprint;

  /** @param onChange called with (old revision or null, new revision) after each successful load */
  public Policies(PolicyLoader loader, BiConsumer<String, String> onChange) {
    this.loader = loader;
    this.onChange = onChange;
  }

  /** Loads now; returns false (and keeps what is in force) when the policies cannot be loaded. */
  public synchronized boolean refresh() {
    try {
      String fp = loader.fingerprint();
      if (fp.equals(fingerprint) && current.get() != null) {
        return true;
      }
      PolicySnapshot next = loader.load();
      PolicySnapshot prev = current.getAndSet(next);
      fingerprint = fp;
      lastError = null;
      if (prev == null || !prev.revision().equals(next.revision())) {
        onChange.accept(prev == null ? null : prev.revision(), next.revision());
      }
      return true;
    } catch (RegoException e) {
      lastError = e.getMessage();
      return false;
    } catch (Exception e) {
      lastError = String.valueOf(e.getMessage());
      return false;
    }
  }

  public Optional<PolicySnapshot> current() {
    return Optional.ofNullable(current.get());
  }

  public String lastError() {
    return lastError;
  }

  public String describe() {
    return loader.describe();
  }

  public Decision request(JsonNode input) {
    PolicySnapshot s = current.get();
    return s == null ? new Decision(null, null, "policies are not loaded: " + lastError) : eval(s, s.requestDecision(), input);
  }

  public Decision review(JsonNode input) {
    PolicySnapshot s = current.get();
    return s == null ? new Decision(null, null, "policies are not loaded: " + lastError) : eval(s, s.reviewDecision(), input);
  }

  private static Decision eval(PolicySnapshot s, PreparedQuery q, JsonNode input) {
    try {
      List<QueryResult> rs = q.eval(EvalOptions.builder().input(Jsons.toValue(input)).timeout(Duration.ofSeconds(5)).build());
      Optional<Value> v = rs.isEmpty() ? Optional.empty() : Optional.of(rs.get(0).value());
      if (v.isEmpty()) {
        return new Decision(null, s.revision(), q.text() + " is undefined for this input");
      }
      JsonNode out = Jsons.fromValue(v.get());
      if (!(out instanceof ObjectNode o)) {
        return new Decision(null, s.revision(), q.text() + " is not an object");
      }
      return new Decision(o, s.revision(), null);
    } catch (RegoException e) {
      return new Decision(null, s.revision(), q.text() + ": " + e.getMessage());
    }
  }
}
