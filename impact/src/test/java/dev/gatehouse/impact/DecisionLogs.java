package dev.gatehouse.impact;

import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Decision-log events in the exact shape OPA's decision log plugin writes (and Gatehouse's
 * enforcers write too): {@code labels}, {@code decision_id}, {@code bundles}, {@code path} (slash
 * separated, no {@code data} prefix), {@code input}, {@code result}, {@code requested_by},
 * {@code timestamp}, {@code metrics}, {@code req_id}.
 */
final class DecisionLogs {
  private DecisionLogs() {}

  static String event(int n, String path, Value input, Value result, String timestamp) {
    ObjectValue.Builder b = ObjectValue.builder()
        .put("labels", ObjectValue.of("id", StringValue.of("5c7a1f2e-0b8d-4f43-9a61-3e2d1c0b9a87"), "version",
            StringValue.of("1.22.2")))
        .put("decision_id", StringValue.of(String.format("1d2c3b4a-0000-4000-8000-%012d", n)))
        .put("bundles", ObjectValue.of("policies", ObjectValue.of("revision", StringValue.of("3f2c1a9e"))))
        .put("path", StringValue.of(path))
        .put("input", input);
    if (result != null) {
      b.put("result", result);
    }
    return Json.write(b
        .put("requested_by", StringValue.of("10.42.0.17:51234"))
        .put("timestamp", StringValue.of(timestamp))
        .put("metrics", ObjectValue.of("timer_rego_query_eval_ns", dev.gatehouse.engine.value.NumberValue.of(41250),
            "timer_server_handler_ns", dev.gatehouse.engine.value.NumberValue.of(98000)))
        .put("req_id", dev.gatehouse.engine.value.NumberValue.of(n))
        .build());
  }

  /** A sidecar call's input, with an Authorization header the report must never show. */
  static Value sidecarInput(String subject, String service, String method, String path, String now) {
    ObjectValue.Builder b = ObjectValue.builder()
        .put("request", ObjectValue.of("method", StringValue.of(method), "path", StringValue.of(path), "headers",
            ObjectValue.of("Authorization", StringValue.of("Bearer eyJhbGciOiJFUzI1NiJ9.c2VjcmV0.c2ln"),
                "x-request-id", StringValue.of("4b1f0c1e-2d1a-4c55-9a1e-7f0e6b1c2d3a"))))
        .put("service", StringValue.of(service))
        .put("namespace", StringValue.of("payments-prod"))
        .put("now", StringValue.of(now));
    if (subject != null) {
      b.put("subject", StringValue.of(subject));
    }
    return b.build();
  }

  /** An AdmissionReview fixture's request with now, as the webhook logs its input. */
  static Value admissionInput(Path review, String now) throws IOException {
    ObjectValue doc = (ObjectValue) Json.parse(Files.readString(review));
    return ObjectValue.of("request", doc.get("request"), "now", StringValue.of(now));
  }

  static void write(Path file, List<String> lines, boolean gzip) throws IOException {
    byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(bytes);
    }
  }
}
