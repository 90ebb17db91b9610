package dev.gatehouse.sidecar.opa;

import static dev.gatehouse.sidecar.opa.OpaApiServer.goJsonKind;
import static dev.gatehouse.sidecar.opa.OpaApiServer.parseJson;
import static dev.gatehouse.sidecar.opa.OpaApiServer.percentDecode;
import static dev.gatehouse.sidecar.opa.OpaApiServer.segments;
import static dev.gatehouse.sidecar.opa.OpaApiServer.write;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.builtins.rego.AstJson;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.sidecar.opa.OpaApiServer.BadInput;
import dev.gatehouse.sidecar.opa.OpaApiServer.Reply;
import dev.gatehouse.sidecar.opa.OpaApiServer.Request;
import dev.gatehouse.sync.ActivePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The writable side of OPA's API: policies ({@code /v1/policies}) and documents
 * ({@code PUT/PATCH/DELETE /v1/data}), kept in {@link RuntimeState} on top of the bundles, and
 * refused under bundle roots with OPA's messages.
 */
final class StoreApi {
  private final OpaApiOptions options;
  private final Supplier<Optional<ActivePolicy>> active;
  private final RuntimeState runtime;

  StoreApi(OpaApiOptions options, Supplier<Optional<ActivePolicy>> active, RuntimeState runtime) {
    this.options = options;
    this.active = active;
    this.runtime = runtime;
  }

  private Map<String, String> sources() {
    Map<String, String> m = options.moduleSources() == null ? null : options.moduleSources().get();
    return m == null ? Map.of() : m;
  }

  private Optional<ActivePolicy> active() {
    return active.get();
  }

  private Policy basePolicy() {
    return active().map(ActivePolicy::policy).orElse(OpaApiServer.EMPTY);
  }

  // ---------------------------------------------------------------- roots

  /** Bundle name to roots (as path segment lists); roots unknown means the bundle owns all. */
  private Map<String, List<List<String>>> roots() {
    Map<String, List<List<String>>> out = new LinkedHashMap<>();
    Map<String, List<String>> given = options.bundleRoots() == null ? null : options.bundleRoots().get();
    if (given != null) {
      given.forEach((name, rs) -> {
        List<List<String>> segs = new ArrayList<>();
        for (String root : rs == null ? List.of("") : rs) {
          segs.add(segments("/" + root, ""));
        }
        out.put(name, segs);
      });
      return out;
    }
    for (String name : active().map(ActivePolicy::revisions).orElse(Map.of()).keySet()) {
      out.put(name, List.of(List.of()));
    }
    return out;
  }

  /** The refusal OPA gives for writing at path, or null when no bundle owns it. */
  private String ownedBy(List<String> path) {
    Map<String, List<List<String>>> roots = roots();
    if (roots.isEmpty()) {
      return null;
    }
    if (path.isEmpty()) {
      return "can't write to document root with bundle roots configured";
    }
    for (Map.Entry<String, List<List<String>>> b : roots.entrySet()) {
      for (List<String> root : b.getValue()) {
        if (prefixOf(root, path) || prefixOf(path, root)) {
          return "path " + String.join("/", path) + " is owned by bundle \"" + b.getKey() + "\"";
        }
      }
    }
    return null;
  }

  private static boolean prefixOf(List<String> a, List<String> b) {
    return a.size() <= b.size() && b.subList(0, a.size()).equals(a);
  }

  // ---------------------------------------------------------------- data writes

  Reply dataPut(Request r) {
    List<String> path = segments(r.path(), "/v1/data");
    String owned = ownedBy(path);
    if (owned != null) {
      return Reply.error(400, OpaErrors.INVALID_PARAMETER, owned);
    }
    Value doc;
    try {
      doc = parseJson(r.body(), "body contains malformed document");
    } catch (BadInput e) {
      return Reply.error(400, OpaErrors.INVALID_PARAMETER, e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
    }
    synchronized (runtime) {
      ObjectValue current = runtime.data();
      if ("*".equals(r.ifNoneMatch()) && (path.isEmpty() || RuntimeState.get(current, path) != null)) {
        return new Reply(304, null);
      }
      Value next;
      if (path.isEmpty()) {
        if (!(doc instanceof ObjectValue)) {
          return Reply.error(400, OpaErrors.INVALID_PARAMETER, "root document must be an object");
        }
        next = doc;
      } else {
        next = RuntimeState.edit(current, path, RuntimeState.Op.ADD, doc, true);
      }
      return commitData(next);
    }
  }

  Reply commitData(Value next) {
    try {
      runtime.setData(basePolicy(), (ObjectValue) next);
    } catch (RegoException e) {
      return new Reply(400, OpaErrors.body(OpaErrors.INVALID_PARAMETER, OpaErrors.MSG_COMPILE, e.errors()));
    }
    return new Reply(204, null);
  }

  Reply dataPatch(Request r) {
    List<String> base = segments(r.path(), "/v1/data");
    Value doc;
    try {
      doc = parseJson(r.body(), "body contains malformed patch");
    } catch (BadInput e) {
      return Reply.error(400, OpaErrors.INVALID_PARAMETER, e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
    }
    if (!(doc instanceof ArrayValue ops)) {
      return Reply.error(400, OpaErrors.INVALID_PARAMETER,
          "json: cannot unmarshal " + goJsonKind(doc) + " into Go value of type []types.PatchV1");
    }
    record Edit(RuntimeState.Op op, List<String> path, Value value) {}
    List<Edit> edits = new ArrayList<>();
    for (Value v : ops.elements()) {
      if (!(v instanceof ObjectValue o)) {
        return Reply.error(400, OpaErrors.INVALID_PARAMETER,
            "json: cannot unmarshal " + goJsonKind(v) + " into Go value of type types.PatchV1");
      }
      String op = o.get("op") instanceof StringValue s ? s.value() : "";
      RuntimeState.Op kind = switch (op) {
        case "add" -> RuntimeState.Op.ADD;
        case "remove" -> RuntimeState.Op.REMOVE;
        case "replace" -> RuntimeState.Op.REPLACE;
        default -> null;
      };
      if (kind == null) {
        return Reply.error(400, OpaErrors.INVALID_PARAMETER, "bad patch operation: " + op);
      }
      String p = o.get("path") instanceof StringValue s ? s.value() : "";
      List<String> full = new ArrayList<>(base);
      for (String seg : p.split("/")) {
        if (!seg.isEmpty()) {
          full.add(seg.replace("~1", "/").replace("~0", "~"));
        }
      }
      String owned = ownedBy(full);
      if (owned != null) {
        return Reply.error(400, OpaErrors.INVALID_PARAMETER, owned);
      }
      edits.add(new Edit(kind, full, o.get("value")));
    }
    synchronized (runtime) {
      Value next = runtime.data();
      try {
        for (Edit e : edits) {
          if (e.path().isEmpty()) {
            if (e.op() == RuntimeState.Op.REMOVE || !(e.value() instanceof ObjectValue)) {
              return Reply.error(400, OpaErrors.INVALID_PARAMETER, "root document must be an object");
            }
            next = e.value();
          } else {
            next = RuntimeState.edit(next, e.path(), e.op(), e.value() == null ? dev.gatehouse.engine.value.NullValue.INSTANCE
                : e.value(), false);
          }
        }
      } catch (RuntimeState.NotFound nf) {
        return Reply.error(404, OpaErrors.RESOURCE_NOT_FOUND, nf.getMessage());
      }
      return commitData(next);
    }
  }

  Reply dataDelete(Request r) {
    List<String> path = segments(r.path(), "/v1/data");
    String owned = ownedBy(path);
    if (owned != null) {
      return Reply.error(400, OpaErrors.INVALID_PARAMETER, owned);
    }
    synchronized (runtime) {
      Value next;
      try {
        next = path.isEmpty() ? ObjectValue.EMPTY : RuntimeState.edit(runtime.data(), path, RuntimeState.Op.REMOVE, null, false);
      } catch (RuntimeState.NotFound nf) {
        return Reply.error(404, OpaErrors.RESOURCE_NOT_FOUND, nf.getMessage());
      }
      return commitData(next);
    }
  }

  // ---------------------------------------------------------------- policies

  private static String policyId(Request r) {
    return percentDecode(r.path().substring("/v1/policies/".length()));
  }

  private static ObjectValue policyJson(String id, String raw, Module m) {
    return ObjectValue.of("id", StringValue.of(id), "raw", StringValue.of(raw), "ast", AstJson.module(m));
  }

  Reply listPolicies(Request r) {
    List<Value> out = new ArrayList<>();
    Map<String, String> sources = sources();
    for (Module m : basePolicy().modules()) {
      out.add(policyJson(m.file(), sources.getOrDefault(m.file(), ""), m));
    }
    for (RuntimeState.RuntimeModule m : runtime.modules()) {
      out.add(policyJson(m.id(), m.raw(), m.module()));
    }
    return Reply.json(200, write(ObjectValue.of("result", ArrayValue.of(out)), r.flag("pretty")));
  }

  Reply getPolicy(Request r) {
    String id = policyId(r);
    RuntimeState.RuntimeModule rm = runtime.module(id);
    if (rm != null) {
      return Reply.json(200, write(ObjectValue.of("result", policyJson(id, rm.raw(), rm.module())), r.flag("pretty")));
    }
    for (Module m : basePolicy().modules()) {
      if (m.file().equals(id)) {
        return Reply.json(200, write(ObjectValue.of("result", policyJson(id, sources().getOrDefault(id, ""), m)),
            r.flag("pretty")));
      }
    }
    return Reply.error(404, OpaErrors.RESOURCE_NOT_FOUND, "storage_not_found_error: policy id \"" + id + "\"");
  }

  Reply putPolicy(Request r) {
    String id = policyId(r);
    String raw = r.text();
    Module m;
    try {
      m = RuntimeState.parse(id, raw);
    } catch (RegoException e) {
      return new Reply(400, OpaErrors.body(OpaErrors.INVALID_PARAMETER, OpaErrors.MSG_COMPILE, e.errors()));
    }
    List<String> pkg = List.of(m.pkg().dottedName().split("\\."));
    String owned = ownedBy(pkg);
    if (owned != null) {
      return Reply.error(400, OpaErrors.INVALID_PARAMETER, owned);
    }
    try {
      runtime.putModule(basePolicy(), new RuntimeState.RuntimeModule(id, raw, m));
    } catch (RegoException e) {
      return new Reply(400, OpaErrors.body(OpaErrors.INVALID_PARAMETER, OpaErrors.MSG_COMPILE, e.errors()));
    }
    return Reply.json(200, "{}");
  }

  Reply deletePolicy(Request r) {
    String id = policyId(r);
    try {
      if (!runtime.deleteModule(basePolicy(), id)) {
        return Reply.error(404, OpaErrors.RESOURCE_NOT_FOUND, "storage_not_found_error: policy id \"" + id + "\"");
      }
    } catch (RegoException e) {
      return new Reply(400, OpaErrors.body(OpaErrors.INVALID_PARAMETER, OpaErrors.MSG_COMPILE, e.errors()));
    }
    return Reply.json(200, "{}");
  }
}
