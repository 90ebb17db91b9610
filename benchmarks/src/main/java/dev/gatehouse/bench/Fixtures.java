package dev.gatehouse.bench;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The benchmark policies and inputs, shared by JMH and by the opa-bench comparison script. */
public final class Fixtures {
  public static final int GRANT_COUNT = 10_000;
  public static final String GRANT_INPUT =
      "{\"subject\": \"user-9975\", \"service\": \"svc-15\", \"action\": \"write\", \"now\": \"2026-11-22T12:00:00Z\"}";

  private Fixtures() {}

  public static String resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/bench/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing benchmark resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * 10,000 grants over 500 subjects and 40 services; most are expired or for other subjects, and
   * the one that matches {@link #GRANT_INPUT} (grant-9975: active, svc-15, write) sits near the end, so a linear scan does real work.
   */
  public static Value grantsData() {
    return grantsData(GRANT_COUNT);
  }

  /** {@link #grantsData()} with {@code count} grants; {@link #grantInput(int)} matches one near the end. */
  public static Value grantsData(int count) {
    List<Value> grants = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      boolean active = i % 7 == 0;
      grants.add(ObjectValue.of(
          "id", StringValue.of("grant-" + i),
          "subject", StringValue.of("user-" + i),
          "service", StringValue.of("svc-" + (i % 40)),
          "actions", ArrayValue.of(StringValue.of("read"), StringValue.of(i % 3 == 0 ? "write" : "list")),
          "not_before", StringValue.of("2026-11-22T08:00:00Z"),
          "expires_at", StringValue.of(active ? "2026-11-22T16:00:00Z" : "2026-11-22T10:00:00Z")));
    }
    return ObjectValue.of("grants", ArrayValue.of(grants));
  }

  /**
   * The grant-check input for {@code count} grants: the subject of the last grant before
   * {@code count - 10} that is active and allows write (index divisible by 21), so 10,000 gives
   * {@link #GRANT_INPUT}.
   */
  public static String grantInput(int count) {
    int i = (count - 10) / 21 * 21;
    return "{\"subject\": \"user-" + i + "\", \"service\": \"svc-" + (i % 40)
        + "\", \"action\": \"write\", \"now\": \"2026-11-22T12:00:00Z\"}";
  }

  /**
   * A Gatekeeper-replicated inventory of {@code count} ingresses over 50 namespaces, each with
   * two hosts (unique: ing-i-a.example.com, ing-i-b.example.com), half under networking.k8s.io/v1
   * and half under extensions/v1beta1, plus one Service per namespace.
   */
  public static Value inventoryData(int count) {
    java.util.Map<String, java.util.Map<String, java.util.Map<String, Value>>> byNs = new java.util.TreeMap<>();
    for (int i = 0; i < count; i++) {
      String ns = "ns-" + (i % 50);
      String api = i % 2 == 0 ? "networking.k8s.io/v1" : "extensions/v1beta1";
      String name = "ing-" + i;
      Value backend = ObjectValue.of("service", ObjectValue.of("name", StringValue.of("svc"),
          "port", ObjectValue.of("number", dev.gatehouse.engine.value.NumberValue.of(80))));
      Value paths = ObjectValue.of("paths", ArrayValue.of(ObjectValue.of("path", StringValue.of("/"), "backend", backend)));
      Value ingress = ObjectValue.of(
          "apiVersion", StringValue.of(api),
          "kind", StringValue.of("Ingress"),
          "metadata", ObjectValue.of("name", StringValue.of(name), "namespace", StringValue.of(ns)),
          "spec", ObjectValue.of("rules", ArrayValue.of(
              ObjectValue.of("host", StringValue.of(name + "-a.example.com"), "http", paths),
              ObjectValue.of("host", StringValue.of(name + "-b.example.com")))));
      byNs.computeIfAbsent(ns, k -> new java.util.TreeMap<>()).computeIfAbsent(api, k -> new java.util.TreeMap<>())
          .put(name, ingress);
    }
    ObjectValue.Builder namespaces = ObjectValue.builder();
    byNs.forEach((ns, apis) -> {
      ObjectValue.Builder a = ObjectValue.builder();
      apis.forEach((api, names) -> {
        ObjectValue.Builder n = ObjectValue.builder();
        names.forEach((name, v) -> n.put(StringValue.of(name), v));
        a.put(StringValue.of(api), ObjectValue.of("Ingress", n.build()));
      });
      a.put(StringValue.of("v1"), ObjectValue.of("Service", ObjectValue.of("svc", ObjectValue.of("spec", ObjectValue.EMPTY))));
      namespaces.put(StringValue.of(ns), a.build());
    });
    return ObjectValue.of("inventory", ObjectValue.of("namespace", namespaces.build()));
  }

  /** An admission review creating an ingress whose second host collides with an ingress near the end of the inventory. */
  public static String ingressInput(int count) {
    return "{\"review\": {\"kind\": {\"group\": \"networking.k8s.io\", \"kind\": \"Ingress\", \"version\": \"v1\"},"
        + " \"operation\": \"CREATE\", \"object\": {\"apiVersion\": \"networking.k8s.io/v1\", \"kind\": \"Ingress\","
        + " \"metadata\": {\"name\": \"new-app\", \"namespace\": \"team-a\"},"
        + " \"spec\": {\"rules\": [{\"host\": \"new-app.example.com\"}, {\"host\": \"ing-" + (count - 7)
        + "-b.example.com\"}]}}}}";
  }

  /** Writes the policies, data and inputs to a directory, for `opa bench` to read. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "bench-fixtures");
    Files.createDirectories(dir);
    for (String name : List.of("rbac.rego", "rbac-input.json", "grants.rego", "pod-guardrails.rego",
        "pod-input.json", "pod-data.json")) {
      Files.writeString(dir.resolve(name), resource(name));
    }
    Files.writeString(dir.resolve("grants-data.json"), Json.write(grantsData()));
    Files.writeString(dir.resolve("grants-input.json"), GRANT_INPUT);
    Files.writeString(dir.resolve("unique-ingress-host.rego"), resource("unique-ingress-host.rego"));
    for (int n : new int[] {1_000, 10_000, 100_000}) {
      Files.writeString(dir.resolve("grants-" + n + ".json"), Json.write(grantsData(n)));
      Files.writeString(dir.resolve("grants-input-" + n + ".json"), grantInput(n));
    }
    for (int n : new int[] {1_000, 10_000}) {
      Files.writeString(dir.resolve("inventory-" + n + ".json"), Json.write(inventoryData(n)));
      Files.writeString(dir.resolve("ingress-input-" + n + ".json"), ingressInput(n));
    }
  }
}
