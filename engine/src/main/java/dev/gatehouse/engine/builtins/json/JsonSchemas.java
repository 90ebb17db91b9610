package dev.gatehouse.engine.builtins.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import com.networknt.schema.resource.DisallowSchemaLoader;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * json.verify_schema and json.match_schema. Schemas are checked for well-formedness as OPA's
 * gojsonschema does ({@link SchemaCheck}); documents are validated by networknt's
 * json-schema-validator, and each of its messages is reshaped into gojsonschema's
 * {@code {error, type, field, desc}} with gojsonschema's wording. Remote {@code $ref}s are never
 * fetched: a schema can come from input, and must not make the engine reach the network.
 */
final class JsonSchemas {
  private JsonSchemas() {}

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Go's RE2 semantics for {@code pattern} and {@code patternProperties}: unanchored search. */
  private static final RegularExpressionFactory RE2 = regex -> {
    com.google.re2j.Pattern p = com.google.re2j.Pattern.compile(regex);
    return (RegularExpression) s -> p.matcher(s).find();
  };

  private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
      .regularExpressionFactory(RE2)
      .pathType(PathType.JSON_POINTER)
      .formatAssertionsEnabled(true)
      .build();

  private static final Map<SpecVersion.VersionFlag, JsonSchemaFactory> FACTORIES = new EnumMap<>(SpecVersion.VersionFlag.class);

  private static synchronized JsonSchemaFactory factory(SpecVersion.VersionFlag v) {
    return FACTORIES.computeIfAbsent(v, f -> JsonSchemaFactory.getInstance(f,
        b -> b.schemaLoaders(l -> l.values(list -> {
          list.clear();
          list.add(DisallowSchemaLoader.getInstance());
        }))));
  }

  /**
   * A factory that serves the schema's own embedded resources (subschemas with an {@code $id},
   * e.g. under {@code $defs}) to {@code $ref}s naming them, as gojsonschema does; anything else
   * is still never loaded.
   */
  private static JsonSchemaFactory factory(SpecVersion.VersionFlag v, Map<String, String> embedded) {
    return JsonSchemaFactory.getInstance(v, b -> b.schemaLoaders(l -> l.values(list -> {
      list.clear();
      list.add(iri -> {
        String text = embedded.get(iri.toString());
        return text == null ? null
            : () -> new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      });
      list.add(DisallowSchemaLoader.getInstance());
    })));
  }

  /** Every subschema with an absolute (or base-relative) {@code $id}, by its resolved id. */
  private static void embeddedIds(JsonNode n, java.net.URI base, boolean root, Map<String, String> out) {
    if (n.isObject()) {
      JsonNode id = n.get("$id");
      if (id != null && id.isTextual()) {
        try {
          java.net.URI resolved = base == null ? new java.net.URI(id.asText()) : base.resolve(id.asText());
          if (resolved.isAbsolute()) {
            if (!root) { // the root is the document itself
              out.putIfAbsent(resolved.toString(), n.toString());
            }
            base = resolved;
          }
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
          // not a URI: networknt reports it when it compiles the schema
        }
      }
      for (var it = n.fields(); it.hasNext(); ) {
        var f = it.next();
        if (!f.getKey().equals("enum") && !f.getKey().equals("const")) {
          embeddedIds(f.getValue(), base, false, out);
        }
      }
    } else if (n.isArray()) {
      for (JsonNode x : n) {
        embeddedIds(x, base, false, out);
      }
    }
  }

  static Value verify(BuiltinContext ctx, Value schema) {
    try {
      compile(ctx, schema);
      return ArrayValue.of(BooleanValue.TRUE, NullValue.INSTANCE);
    } catch (BadInput e) {
      return ArrayValue.of(BooleanValue.FALSE, StringValue.of("jsonschema: " + e.getMessage()));
    }
  }

  static Value match(BuiltinContext ctx, Value document, Value schema) {
    JsonNode doc;
    JsonSchema compiled;
    try {
      doc = node(document);
      compiled = compile(ctx, schema);
    } catch (BadInput e) {
      throw BuiltinException.error(e.getMessage());
    }
    Set<ValidationMessage> messages;
    try {
      messages = compiled.validate(doc);
    } catch (RuntimeException e) {
      throw BuiltinException.error(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    List<ValidationMessage> ordered = new ArrayList<>(messages);
    ordered.sort(new GoJsonSchemaOrder(compiled.getSchemaNode()));
    List<Value> errors = new ArrayList<>();
    Set<String> groupsDone = new java.util.HashSet<>();
    for (ValidationMessage m : ordered) {
      Composite g = Composite.of(m);
      if (g == null && isSummaryOfGroup(m, ordered)) {
        continue;
      }
      if (g == null) {
        errors.add(GoJsonSchemaErrors.describe(m, doc));
      } else if (groupsDone.add(g.prefix())) {
        addComposite(g, ordered, doc, errors);
      }
    }
    return ArrayValue.of(BooleanValue.of(errors.isEmpty()), ArrayValue.of(errors));
  }

  /**
   * The outermost anyOf/oneOf/allOf a message came from: networknt reports the failing branches'
   * errors, gojsonschema one summary error plus the closest branch's (anyOf, oneOf) or all of them
   * followed by the summary (allOf).
   */
  private record Composite(String prefix, String keyword, int branch) {
    static Composite of(ValidationMessage m) {
      JsonNodePath p = m.getEvaluationPath();
      StringBuilder prefix = new StringBuilder();
      int consumed = 0; // instance path elements the schema path has stepped into so far
      for (int i = 0; i + 1 < p.getNameCount(); i++) {
        String k = p.getName(i);
        prefix.append('/').append(k);
        if ((k.equals("anyOf") || k.equals("oneOf") || k.equals("allOf")) && !m.getType().equals(k)) {
          try {
            int branch = Integer.parseInt(p.getName(i + 1));
            // one group per instance it applies to: items/anyOf fails apart for each array item,
            // and gojsonschema reports each item's summary
            JsonNodePath at = m.getInstanceLocation();
            StringBuilder where = new StringBuilder();
            for (int j = 0; j < Math.min(consumed, at.getNameCount()); j++) {
              where.append('/').append(at.getElement(j));
            }
            return new Composite(prefix + "@" + where, k, branch);
          } catch (NumberFormatException e) {
            return null;
          }
        }
        switch (k) {
          case "properties", "patternProperties" -> {
            consumed++;
            i++;
            prefix.append('/').append(p.getName(i));
          }
          case "items" -> {
            consumed++;
            if (i + 2 < p.getNameCount() && p.getName(i + 1).matches("\\d+")) { // a tuple's position
              i++;
              prefix.append('/').append(p.getName(i));
            }
          }
          case "additionalItems", "additionalProperties", "contains", "prefixItems", "unevaluatedItems",
              "unevaluatedProperties" -> consumed++;
          default -> { }
        }
      }
      return null;
    }

    /** The evaluation path of the group, without the instance it applies to. */
    String path() {
      return prefix.substring(0, prefix.indexOf('@'));
    }
  }

  /** networknt's own oneOf/anyOf message where the group's summary is written instead. */
  private static boolean isSummaryOfGroup(ValidationMessage m, List<ValidationMessage> all) {
    String type = m.getType();
    if (!type.equals("oneOf") && !type.equals("anyOf") && !type.equals("allOf")) {
      return false;
    }
    String prefix = m.getEvaluationPath().toString();
    for (ValidationMessage o : all) {
      Composite c = Composite.of(o);
      if (c != null && c.keyword().equals(type) && prefix.endsWith(c.path())) {
        return true;
      }
    }
    return false;
  }

  private static void addComposite(Composite g, List<ValidationMessage> ordered, JsonNode doc, List<Value> errors) {
    List<ValidationMessage> members = new ArrayList<>();
    for (ValidationMessage m : ordered) {
      Composite c = Composite.of(m);
      if (c != null && c.prefix().equals(g.prefix())) {
        members.add(m);
      }
    }
    JsonNodePath at = members.get(0).getInstanceLocation();
    for (ValidationMessage m : members) {
      if (m.getInstanceLocation().getNameCount() < at.getNameCount()) {
        at = m.getInstanceLocation();
      }
    }
    String field = field(at);
    if (g.keyword().equals("allOf")) {
      for (ValidationMessage m : members) {
        errors.add(GoJsonSchemaErrors.describe(m, doc));
      }
      errors.add(GoJsonSchemaErrors.summary(field, "number_all_of", "Must validate all the schemas (allOf)"));
      return;
    }
    errors.add(g.keyword().equals("anyOf")
        ? GoJsonSchemaErrors.summary(field, "number_any_of", "Must validate at least one schema (anyOf)")
        : GoJsonSchemaErrors.summary(field, "number_one_of", "Must validate one and only one schema (oneOf)"));
    java.util.Map<Integer, Integer> counts = new java.util.TreeMap<>();
    for (ValidationMessage m : members) {
      // a branch that failed on its type got less far than one failing a later keyword
      counts.merge(Composite.of(m).branch(), m.getType().equals("type") ? 3 : 1, Integer::sum);
    }
    int best = -1;
    int fewest = Integer.MAX_VALUE;
    for (var e : counts.entrySet()) {
      if (e.getValue() < fewest) {
        fewest = e.getValue();
        best = e.getKey();
      }
    }
    for (ValidationMessage m : members) {
      if (Composite.of(m).branch() == best) {
        errors.add(GoJsonSchemaErrors.describe(m, doc));
      }
    }
  }

  /** Compiled schemas are cached per policy, keyed by the schema value. */
  private static JsonSchema compile(BuiltinContext ctx, Value schema) {
    Object key = new SchemaKey(schema);
    Object cached = ctx.sharedCache().get(key);
    if (cached instanceof JsonSchema s) {
      return s;
    }
    JsonNode node = node(schema);
    try {
      SchemaCheck.check(node);
    } catch (SchemaCheck.InvalidSchema e) {
      throw new BadInput(e.getMessage());
    }
    SpecVersion.VersionFlag version = SpecVersion.VersionFlag.V7;
    if (node.isObject() && node.has("$schema")) {
      version = SpecVersionDetector.detectOptionalVersion(node, false).orElse(SpecVersion.VersionFlag.V7);
    }
    JsonSchema s;
    try {
      Map<String, String> embedded = new java.util.HashMap<>();
      embeddedIds(node, null, true, embedded);
      s = (embedded.isEmpty() ? factory(version) : factory(version, embedded)).getSchema(node, CONFIG);
      s.initializeValidators();
    } catch (RuntimeException e) {
      throw new BadInput(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    ctx.sharedCache().put(key, s);
    return s;
  }

  private record SchemaKey(Value schema) {}

  /** A string operand is JSON text; objects and arrays are taken as they are. */
  static JsonNode node(Value v) {
    String text;
    if (v instanceof StringValue s) {
      text = s.value();
    } else if (v instanceof ObjectValue || v instanceof ArrayValue || v instanceof dev.gatehouse.engine.value.SetValue) {
      text = Json.write(v);
    } else {
      throw new BadInput("wrong type, expected string or object");
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new BadInput("invalid JSON string");
    }
  }

  /** Input that makes verify_schema answer false and match_schema fail. */
  static final class BadInput extends RuntimeException {
    BadInput(String message) {
      super(message, null, false, false);
    }
  }

  static String field(JsonNodePath path) {
    if (path == null || path.getNameCount() == 0) {
      return "(Root)";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      if (i > 0) {
        sb.append('.');
      }
      sb.append(path.getElement(i));
    }
    return sb.toString();
  }

  /** Go's big.Float %v: shortest form, exponent beyond 21 digits. */
  static String goNumber(JsonNode n) {
    BigDecimal d = n.decimalValue().stripTrailingZeros();
    if (d.scale() <= 0 && d.precision() - d.scale() <= 21) {
      return d.toBigInteger().toString();
    }
    String plain = d.toPlainString();
    if (d.abs().compareTo(new BigDecimal("1e21")) < 0 && d.abs().compareTo(new BigDecimal("1e-4")) >= 0) {
      return plain;
    }
    String e = d.toString().replace("E", "e");
    return e.contains("e-") ? e : e.replace("e", "e+").replace("e++", "e+");
  }
}
