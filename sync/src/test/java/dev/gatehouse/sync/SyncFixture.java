package dev.gatehouse.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.sync.config.ConfigReader;
import dev.gatehouse.sync.config.SyncConfig;
import dev.gatehouse.sync.fixture.BundleServer;
import dev.gatehouse.sync.fixture.SigningKey;
import java.nio.file.Path;
import java.time.Instant;

/** An OPA configuration for the fixture server's policies + grants bundles, and a decision helper. */
final class SyncFixture {
  static final ObjectMapper JSON = new ObjectMapper();

  private SyncFixture() {}

  static String configJson(BundleServer server, String token, SigningKey key, Path persistDir, boolean signed) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode svc = root.putArray("services").addObject();
    svc.put("name", "control-plane");
    svc.put("url", server.url());
    svc.putObject("credentials").putObject("bearer").put("token", token);
    ObjectNode bundles = root.putObject("bundles");
    for (String name : new String[] {"policies", "grants"}) {
      ObjectNode b = bundles.putObject(name);
      b.put("service", "control-plane");
      b.put("resource", "bundles/" + name);
      b.put("persist", persistDir != null);
      ObjectNode p = b.putObject("polling");
      p.put("min_delay_seconds", 1);
      p.put("max_delay_seconds", 2);
      p.put("long_polling_timeout_seconds", 5);
      if (signed) {
        b.putObject("signing").put("keyid", key.kid);
      }
    }
    ObjectNode k = root.putObject("keys").putObject(key.kid);
    k.put("algorithm", "ES256");
    k.put("key", key.publicPem());
    if (persistDir != null) {
      root.put("persistence_directory", persistDir.toString());
    }
    return root.toString();
  }

  static SyncConfig config(BundleServer server, String token, SigningKey key, Path persistDir) {
    return new ConfigReader(n -> null, null).parse(configJson(server, token, key, persistDir, true));
  }

  /** data.gatehouse.sidecar.decision for subject calling METHOD PATH on payments-api at now. */
  static ObjectValue decide(PolicyHolder holder, String subject, String method, String path, Instant now) {
    ObjectNode in = JSON.createObjectNode();
    ObjectNode req = in.putObject("request");
    req.put("method", method);
    req.put("path", path);
    req.putObject("headers");
    if (subject != null) {
      in.put("subject", subject);
    }
    in.put("service", "payments-api");
    in.put("namespace", "payments-prod");
    in.put("now", now.toString());
    Value v = holder.current().orElseThrow().policy().prepare("data.gatehouse.sidecar.decision")
        .evalValue(Json.parse(in.toString())).orElseThrow();
    return (ObjectValue) v;
  }

  static boolean allowed(ObjectValue decision) {
    return decision.get("allow").toString().equals("true");
  }
}
