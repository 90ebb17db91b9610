package dev.gatehouse.injector.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodExecOptions;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request body into a {@link ReviewRequest} or a {@link BadRequest} that says exactly what
 * is wrong. Objects of kinds the webhook reasons about are decoded with fabric8's model, so a Pod
 * whose {@code containers} is a string is rejected here rather than confusing a policy.
 */
public final class ReviewReader {
  public static final String API_VERSION = "admission.k8s.io/v1";
  private static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "CONNECT");
  private static final Set<String> SKIPPED = Set.of("object", "oldObject", "options");

  /** Core and workload kinds with a fabric8 model class (group/version/kind → class). */
  private static final Map<String, Class<?>> TYPED = Map.ofEntries(
      Map.entry("/v1/Pod", Pod.class),
      Map.entry("/v1/PodExecOptions", PodExecOptions.class),
      Map.entry("/v1/PodAttachOptions", ConnectOptions.PodAttachOptions.class),
      Map.entry("/v1/PodPortForwardOptions", ConnectOptions.PodPortForwardOptions.class),
      Map.entry("apps/v1/Deployment", Deployment.class),
      Map.entry("apps/v1/StatefulSet", StatefulSet.class),
      Map.entry("apps/v1/DaemonSet", DaemonSet.class),
      Map.entry("apps/v1/ReplicaSet", ReplicaSet.class),
      Map.entry("batch/v1/Job", Job.class),
      Map.entry("batch/v1/CronJob", CronJob.class));

  private static final java.util.regex.Pattern NUMBER_LENGTH =
      java.util.regex.Pattern.compile("Number value length \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");

  private ReviewReader() {}

  /** Which of Jackson's stream limits the body broke, in words. */
  static String constraint(StreamConstraintsException e) {
    String m = String.valueOf(e.getOriginalMessage());
    java.util.regex.Matcher n = NUMBER_LENGTH.matcher(m);
    if (n.find()) {
      return "body has a number of " + n.group(1) + " digits; at most " + n.group(2) + " are accepted";
    }
    if (m.startsWith("Number") || m.contains("number")) {
      return "body has a number that is too long";
    }
    if (m.contains("String value length") || m.contains("Name length")) {
      return "body has a string that is too long";
    }
    return "body nests deeper than " + Mappers.MAX_NESTING + " levels";
  }

  public static ReviewRequest read(byte[] body) {
    if (body.length == 0) {
      throw new BadRequest("empty_body", "the request body is empty; expected an AdmissionReview");
    }
    JsonNode root;
    try {
      root = Mappers.readWhole(body);
    } catch (StreamConstraintsException e) {
      throw new BadRequest("invalid_json", constraint(e));
    } catch (JsonProcessingException e) {
      throw new BadRequest("invalid_json", "body is not valid JSON: " + Mappers.describe(e, ""));
    } catch (IOException e) {
      throw new BadRequest("invalid_json", "body could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadRequest("invalid_review", "body must be a JSON object (an AdmissionReview)");
    }
    String apiVersion = text(root, "apiVersion");
    if (!API_VERSION.equals(apiVersion)) {
      throw new BadRequest("invalid_review", "apiVersion must be \"" + API_VERSION + "\", got "
          + describe(root.get("apiVersion")) + " (configure admissionReviewVersions: [v1])");
    }
    if (!"AdmissionReview".equals(text(root, "kind"))) {
      throw new BadRequest("invalid_review", "kind must be \"AdmissionReview\", got " + describe(root.get("kind")));
    }
    JsonNode req = root.get("request");
    if (req == null || req.isNull()) {
      throw new BadRequest("invalid_review", "request is missing");
    }
    if (!req.isObject()) {
      throw new BadRequest("invalid_review", "request must be an object, got " + describe(req));
    }
    JsonNode uid = req.get("uid");
    if (uid == null || !uid.isTextual() || uid.asText().isBlank()) {
      throw new BadRequest("invalid_review", "request.uid must be a non-empty string, got " + describe(uid));
    }
    ObjectNode raw = (ObjectNode) req;
    // object/oldObject/options stay raw: fabric8 would otherwise try to resolve arbitrary kinds.
    ObjectNode envelope = JsonNodeFactory.instance.objectNode();
    raw.properties().forEach(e -> {
      if (!SKIPPED.contains(e.getKey())) {
        envelope.set(e.getKey(), e.getValue());
      }
    });
    JsonNode object = raw.get("object");
    JsonNode oldObject = raw.get("oldObject");
    JsonNode options = raw.get("options");
    AdmissionRequest typed;
    try {
      typed = Mappers.JSON.treeToValue(envelope, AdmissionRequest.class);
    } catch (JsonProcessingException e) {
      throw new BadRequest("invalid_review", Mappers.describe(e, "request"));
    }
    if (typed.getOperation() == null || !OPERATIONS.contains(typed.getOperation())) {
      throw new BadRequest("invalid_review", "request.operation must be one of CREATE, UPDATE, DELETE, CONNECT, got "
          + describe(req.get("operation")));
    }
    GroupVersionKind kind = typed.getKind();
    if (kind == null || kind.getKind() == null || kind.getKind().isEmpty() || kind.getVersion() == null) {
      throw new BadRequest("invalid_review", "request.kind must name the object's group, version and kind");
    }
    if (typed.getResource() == null || typed.getResource().getResource() == null) {
      throw new BadRequest("invalid_review", "request.resource must name the resource");
    }
    object = nullToAbsent(object);
    oldObject = nullToAbsent(oldObject);
    options = nullToAbsent(options);
    switch (typed.getOperation()) {
      case "CREATE", "CONNECT" -> require(object, "request.object", typed.getOperation());
      case "UPDATE" -> {
        require(object, "request.object", "UPDATE");
        require(oldObject, "request.oldObject", "UPDATE");
      }
      case "DELETE" -> require(oldObject, "request.oldObject", "DELETE");
      default -> { }
    }
    Object typedObject = checkObject(object, "request.object", kind);
    checkObject(oldObject, "request.oldObject", kind);
    if (options != null && !options.isObject()) {
      throw new BadRequest("invalid_review", "request.options must be an object, got " + describe(options));
    }
    return new ReviewRequest(typed, raw, object, oldObject, typedObject);
  }

  private static JsonNode nullToAbsent(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }

  private static void require(JsonNode n, String field, String operation) {
    if (n == null) {
      throw new BadRequest("invalid_review", field + " is required for " + operation);
    }
  }

  /** The object must be an object of the request's kind, and decode as that kind when we know it. */
  private static Object checkObject(JsonNode object, String field, GroupVersionKind kind) {
    if (object == null) {
      return null;
    }
    if (!object.isObject()) {
      throw new BadRequest("invalid_object", field + " must be an object, got " + describe(object));
    }
    JsonNode k = object.get("kind");
    if (k != null && !k.isNull() && !kind.getKind().equals(k.asText())) {
      throw new BadRequest("wrong_kind", field + " is a " + describe(k) + " but request.kind says \""
          + kind.getKind() + "\"");
    }
    String group = kind.getGroup() == null ? "" : kind.getGroup();
    JsonNode av = object.get("apiVersion");
    String expected = group.isEmpty() ? kind.getVersion() : group + "/" + kind.getVersion();
    if (av != null && !av.isNull() && !expected.equals(av.asText())) {
      throw new BadRequest("wrong_kind", field + ".apiVersion is " + describe(av) + " but request.kind says \""
          + expected + "\"");
    }
    Class<?> type = TYPED.get(group + "/" + kind.getVersion() + "/" + kind.getKind());
    return type == null ? null : decode(object, field, type);
  }

  /** Decodes a raw object into a fabric8 model class; a shape error is a 400 naming the field. */
  public static <T> T decode(JsonNode object, String field, Class<T> type) {
    try {
      return Mappers.JSON.treeToValue(object, type);
    } catch (JsonProcessingException e) {
      throw new BadRequest("invalid_object", field + " is not a valid " + type.getSimpleName() + ": "
          + Mappers.describe(e, ""));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("invalid_object", field + " is not a valid " + type.getSimpleName() + ": " + e.getMessage());
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  private static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    if (n.isTextual()) {
      String s = n.asText();
      return "\"" + (s.length() > 64 ? s.substring(0, 64) + "…" : s) + "\"";
    }
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "an array";
    }
    return n.toString();
  }
}
