package dev.gatehouse.injector.policy;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Holds the current {@link CompiledPolicies} and replaces it when the source changes. A source
 * that fails to load or compile leaves the previous generation in place (and reports why), so a
 * bad push never takes guardrails down; before the first success there is no generation and the
 * webhook reports itself unready.
 */
public final class PolicyStore {
  /** What a reload attempt did, for logs and metrics. */
  public sealed interface Reload {
    record Loaded(CompiledPolicies policies) implements Reload {}

    record Failed(String source, String error) implements Reload {}
  }

  private final PolicySource source;
  private final String decisionPath;
  private final Clock clock;
  private final Consumer<Reload> listener;
  private final AtomicReference<CompiledPolicies> current = new AtomicReference<>();
  private String lastFingerprint;
  private String lastError;

  public PolicyStore(PolicySource source, String decisionPath, Clock clock, Consumer<Reload> listener) {
    this.source = source;
    this.decisionPath = decisionPath;
    this.clock = clock;
    this.listener = listener;
  }

  /** The policies in force, or empty before the first successful load. */
  public Optional<CompiledPolicies> current() {
    return Optional.ofNullable(current.get());
  }

  public String describeSource() {
    return source.describe();
  }

  /** The error of the last failed attempt, or null when the last attempt succeeded. */
  public synchronized String lastError() {
    return lastError;
  }

  /**
   * Reloads when the source's fingerprint differs from the last one seen. Called from one thread
   * at a time (the poller); returns true when a new generation was installed.
   */
  public synchronized boolean refresh() {
    String fp;
    try {
      fp = source.fingerprint();
    } catch (IOException | RuntimeException e) {
      return fail(source.describe() + ": " + e.getMessage(), null);
    }
    if (fp.equals(lastFingerprint)) {
      return false;
    }
    try {
      CompiledPolicies next;
      if (source instanceof CompiledPolicySource c) {
        CompiledPolicySource.Compiled compiled = c.compiled().orElseThrow(() -> new IOException("no bundle activated"));
        checkData(compiled.policy());
        next = new CompiledPolicies(compiled.policy(), compiled.policy().prepare(decisionPath), compiled.revision(), 0,
            clock.instant());
      } else {
        next = compile(source.load());
      }
      current.set(next);
      lastFingerprint = fp;
      lastError = null;
      listener.accept(new Reload.Loaded(next));
      return true;
    } catch (RegoException | MissingData e) {
      return fail(e.getMessage(), fp);
    } catch (IOException | RuntimeException e) {
      // Possibly transient (a file mid-write): do not remember the fingerprint, retry next poll.
      return fail(source.describe() + ": " + e.getMessage(), null);
    }
  }

  private boolean fail(String error, String fingerprint) {
    // Remember the failing fingerprint so the same broken content is reported once, not every poll.
    boolean repeated = error.equals(lastError) && (fingerprint == null || fingerprint.equals(lastFingerprint));
    if (fingerprint != null) {
      lastFingerprint = fingerprint;
    }
    lastError = error;
    if (!repeated) {
      listener.accept(new Reload.Failed(source.describe(), error));
    }
    return false;
  }

  /** The policies compiled, but the data their decision reads is not where it reads it. */
  static final class MissingData extends RuntimeException {
    MissingData(String message) {
      super(message);
    }
  }

  /**
   * A policy package may list the data it cannot work without in {@code required_data} next to
   * its decision (the library's admission package does: its settings at
   * data.gatehouse.config.admission; without them most rules are silently undefined and admit
   * everything). Policies loaded without that data in place (a flat ConfigMap of the directory puts
   * data.json at the root) are refused like a compile error: the webhook is not ready on them, or
   * keeps the previous generation.
   */
  private void checkData(Policy policy) {
    int dot = decisionPath.lastIndexOf('.');
    if (dot <= 0) {
      return;
    }
    List<QueryResult> rs = policy.prepare(decisionPath.substring(0, dot) + ".required_data").eval(EvalOptions.builder().build());
    if (rs.isEmpty() || !(rs.get(0).value() instanceof ArrayValue paths)) {
      return; // nothing declared
    }
    for (Value p : paths.elements()) {
      Value v = policy.data();
      for (String k : String.valueOf(p instanceof StringValue sv ? sv.value() : p).split("/")) {
        v = v instanceof ObjectValue o ? o.get(k) : null;
      }
      if (v == null) {
        String path = p instanceof StringValue sv ? sv.value() : String.valueOf(p);
        throw new MissingData("the policies compile but data." + path.replace('/', '.') + " is missing: the data files "
            + "are not at the paths the packages read (policies/gatehouse/config/data.json must load at "
            + "data.gatehouse.config; a flat ConfigMap of the directory loses that layout)");
      }
    }
  }

  private CompiledPolicies compile(PolicySet set) {
    Rego.Builder b = Rego.builder().regoVersion(RegoVersion.V1).data(set.data());
    set.modules().forEach((file, source) -> b.module(file, source, set.versions().getOrDefault(file, RegoVersion.V1)));
    Policy policy = b.compile();
    PreparedQuery decision = policy.prepare(decisionPath);
    checkData(policy);
    return new CompiledPolicies(policy, decision, set.revision(), set.modules().size(), clock.instant());
  }
}
