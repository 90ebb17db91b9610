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
    List<Value> grants = new ArrayList<>(GRANT_COUNT);
    for (int i = 0; i < GRANT_COUNT; i++) {
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
  }
}
