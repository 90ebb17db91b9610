package dev.gatehouse.sidecar.decisionlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Decision logging for every enforcement point (proxy, OPA REST API, ext_authz, webhook).
 *
 * <p>{@link #log} only offers the event to a bounded queue: it never blocks and never throws; when
 * the queue is full the event is dropped and counted ({@link Stats#droppedBufferFull()}). One
 * worker thread encodes events in OPA's shape, applies the drop rule, the static masks and the
 * policy's mask rule ({@code data.system.log.mask} with the event as input, as OPA), and hands
 * them to the sinks.
 */
public final class DecisionLogger implements AutoCloseable {
  /** Logging switched off: {@link #enabled()} is false and {@link #log} does nothing. */
  public static final DecisionLogger DISABLED = new DecisionLogger();

  // Numbers keep their exact value and scale between the engine's JSON and the sinks.
  static final ObjectMapper JSON = JsonMapper.builder()
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  private final DecisionLogConfig config;
  private final String instanceId = UUID.randomUUID().toString();
  private final List<DecisionSink> sinks;
  private final Supplier<Optional<Policy>> policy;
  private final BlockingQueue<DecisionEvent> queue;
  private final Thread worker;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closing;

  private final AtomicLong logged = new AtomicLong();
  private final AtomicLong droppedBufferFull = new AtomicLong();
  private final AtomicLong droppedByRule = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  private Policy rulesFor;
  private PreparedQuery maskQuery;
  private PreparedQuery dropQuery;

  /** Counters since start. */
  public record Stats(long logged, long written, long droppedBufferFull, long droppedByRule, long droppedBySinks,
      long errors, int queued) {}

  private DecisionLogger() {
    config = null;
    sinks = List.of();
    policy = Optional::empty;
    queue = null;
    worker = null;
    stopped.countDown();
  }

  /**
   * Starts the worker thread.
   *
   * @param policy the active policy, for the mask and drop rules (may return empty)
   */
  public DecisionLogger(DecisionLogConfig config, List<DecisionSink> sinks, Supplier<Optional<Policy>> policy) {
    this.config = config;
    this.sinks = List.copyOf(sinks);
    this.policy = policy == null ? Optional::empty : policy;
    this.queue = new ArrayBlockingQueue<>(config.bufferSize());
    this.worker = new Thread(this::run, "gatehouse-decision-log");
    worker.setDaemon(true);
    worker.start();
  }

  public boolean enabled() {
    return queue != null;
  }

  /** A fresh decision id (a random UUID, as OPA's). */
  public String newDecisionId() {
    return UUID.randomUUID().toString();
  }

  /** Queues the event; never blocks. Returns false when it was dropped (buffer full or disabled). */
  public boolean log(DecisionEvent event) {
    if (queue == null || closing) {
      return false;
    }
    logged.incrementAndGet();
    if (!queue.offer(event)) {
      droppedBufferFull.incrementAndGet();
      return false;
    }
    return true;
  }

  public Stats stats() {
    long sinkDrops = 0;
    for (DecisionSink s : sinks) {
      sinkDrops += s.dropped();
    }
    return new Stats(logged.get(), written.get(), droppedBufferFull.get(), droppedByRule.get(), sinkDrops,
        errors.get(), queue == null ? 0 : queue.size());
  }

  private void run() {
    long flushNanos = config.flushInterval().toNanos();
    long nextFlush = System.nanoTime() + flushNanos;
    List<DecisionEvent> batch = new ArrayList<>();
    try {
      while (true) {
        long wait = Math.max(0, nextFlush - System.nanoTime());
        DecisionEvent first = queue.poll(wait, TimeUnit.NANOSECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, 1023);
          for (DecisionEvent e : batch) {
            process(e);
          }
          batch.clear();
        }
        if (System.nanoTime() >= nextFlush) {
          flushSinks();
          nextFlush = System.nanoTime() + flushNanos;
        }
        if (closing && queue.isEmpty()) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // drain what is left, then close the sinks
      DecisionEvent e;
      while ((e = queue.poll()) != null) {
        process(e);
      }
      for (DecisionSink s : sinks) {
        try {
          s.close();
        } catch (Exception ex) {
          errors.incrementAndGet();
        }
      }
      stopped.countDown();
    }
  }

  private void flushSinks() {
    for (DecisionSink s : sinks) {
      try {
        s.flush();
      } catch (Exception ex) {
        errors.incrementAndGet();
      }
    }
  }

  private void process(DecisionEvent e) {
    try {
      ObjectNode node = encode(e);
      Value asInput = null;
      refreshRules();
      if (dropQuery != null) {
        asInput = Json.parse(JSON.writeValueAsString(node));
        if (isTrue(dropQuery, asInput)) {
          droppedByRule.incrementAndGet();
          return;
        }
      }
      List<MaskRule> rules = new ArrayList<>(config.masks());
      if (maskQuery != null) {
        if (asInput == null) {
          asInput = Json.parse(JSON.writeValueAsString(node));
        }
        rules.addAll(policyMasks(asInput));
      }
      applyMasks(node, rules);
      for (DecisionSink s : sinks) {
        s.accept(node);
      }
      written.incrementAndGet();
    } catch (Exception ex) {
      errors.incrementAndGet();
    }
  }

  private static boolean isTrue(PreparedQuery q, Value input) {
    try {
      return q.evalValue(input).map(v -> v.equals(dev.gatehouse.engine.value.BooleanValue.TRUE)).orElse(false);
    } catch (RegoException ex) {
      return false;
    }
  }

  /** The mask rule's set: strings are removals, objects {op, path, value} removals or upserts. */
  private List<MaskRule> policyMasks(Value input) throws JsonProcessingException {
    List<MaskRule> out = new ArrayList<>();
    Optional<Value> v;
    try {
      v = maskQuery.evalValue(input);
    } catch (RegoException ex) {
      errors.incrementAndGet();
      return out;
    }
    if (v.isEmpty()) {
      return out;
    }
    JsonNode set = JSON.readTree(Json.write(v.get()));
    if (!set.isArray()) {
      return out;
    }
    for (JsonNode m : set) {
      try {
        if (m.isTextual()) {
          out.add(MaskRule.remove(m.asText()));
        } else if (m.isObject() && m.path("path").isTextual()) {
          String op = m.path("op").asText("remove");
          if (op.equals("upsert")) {
            out.add(MaskRule.upsert(m.get("path").asText(), m.get("value")));
          } else if (op.equals("remove")) {
            out.add(MaskRule.remove(m.get("path").asText()));
          }
        }
      } catch (IllegalArgumentException bad) {
        errors.incrementAndGet(); // OPA also refuses pointers outside /input and /result
      }
    }
    return out;
  }

  static void applyMasks(ObjectNode node, List<MaskRule> rules) {
    ArrayNode erased = null;
    ArrayNode masked = null;
    for (MaskRule r : rules) {
      if (r.apply(node)) {
        if (r.op() == MaskRule.Op.REMOVE) {
          erased = erased == null ? JSON.createArrayNode() : erased;
          erased.add(r.path());
        } else {
          masked = masked == null ? JSON.createArrayNode() : masked;
          masked.add(r.path());
        }
      }
    }
    if (erased != null) {
      node.set("erased", erased);
    }
    if (masked != null) {
      node.set("masked", masked);
    }
  }

  private void refreshRules() {
    Policy p = policy.get().orElse(null);
    if (p == rulesFor) {
      return;
    }
    rulesFor = p;
    maskQuery = prepare(p, config.maskDecision());
    dropQuery = prepare(p, config.dropDecision());
  }

  private static PreparedQuery prepare(Policy p, String path) {
    if (p == null || path == null || path.isBlank()) {
      return null;
    }
    try {
      return p.prepare("data." + String.join(".", quoted(path)));
    } catch (RegoException ex) {
      return null;
    }
  }

  private static List<String> quoted(String path) {
    List<String> out = new ArrayList<>();
    for (String seg : path.replaceAll("^/+|/+$", "").split("/")) {
      out.add(seg.matches("[A-Za-z_][A-Za-z0-9_]*") ? seg : "[" + Json.quote(seg) + "]");
    }
    return out;
  }

  /** The event as OPA encodes it (before masking). */
  ObjectNode encode(DecisionEvent e) throws JsonProcessingException {
    ObjectNode n = JSON.createObjectNode();
    ObjectNode labels = n.putObject("labels");
    labels.put("id", instanceId); // as OPA: which instance decided, unless configured
    for (Map.Entry<String, String> l : config.labels().entrySet()) {
      labels.put(l.getKey(), l.getValue());
    }
    n.put("decision_id", e.decisionId());
    if (!e.bundles().isEmpty()) {
      ObjectNode b = n.putObject("bundles");
      e.bundles().forEach((name, rev) -> b.putObject(name).put("revision", rev));
    }
    if (e.path() != null) {
      n.put("path", e.path());
    }
    if (e.query() != null) {
      n.put("query", e.query());
    }
    if (e.input() != null) {
      n.set("input", JSON.readTree(Json.write(e.input())));
    }
    if (e.result() != null) {
      n.set("result", JSON.readTree(Json.write(e.result())));
    }
    if (e.error() != null) {
      n.put("error", e.error());
    }
    if (e.reqId() > 0) {
      n.put("req_id", e.reqId());
    }
    if (e.requestedBy() != null) {
      n.put("requested_by", e.requestedBy());
    }
    n.put("timestamp", e.timestamp().toString());
    if (!e.metrics().isEmpty()) {
      ObjectNode m = n.putObject("metrics");
      e.metrics().forEach(m::put);
    }
    return n;
  }

  /** Stops accepting events, writes out what is queued, flushes and closes the sinks. */
  @Override
  public void close() {
    if (worker == null) {
      return;
    }
    closing = true;
    try {
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        worker.interrupt();
        stopped.await(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
