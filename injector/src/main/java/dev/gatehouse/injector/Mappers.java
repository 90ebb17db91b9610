package dev.gatehouse.injector;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Collection;
import java.util.Map;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * The Jackson mappers shared by the module. fabric8's model classes carry their own Jackson
 * annotations, so plain mappers read and write them; nesting is capped well below the default so
 * that a hostile body cannot make recursive code (diff, typed decoding) run deep.
 */
public final class Mappers {
  /** Kubernetes objects nest a few dozen levels; 256 leaves room for CRD payloads in annotations. */
  public static final int MAX_NESTING = 256;

  public static final ObjectMapper JSON = configure(new ObjectMapper());

  public static final ObjectMapper YAML = configure(new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .streamReadConstraints(constraints())
      .build()));

  private Mappers() {}

  private static StreamReadConstraints constraints() {
    return StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build();
  }

  private static ObjectMapper configure(ObjectMapper m) {
    m.getFactory().setStreamReadConstraints(constraints());
    m.configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
    return m;
  }

  /**
   * Parses one JSON document that must be the whole input (trailing content is an error). Not a
   * mapper-wide setting: fabric8's Quantity deserializer reads nested trees through the codec and
   * would trip over it.
   */
  public static JsonNode readWhole(byte[] json) throws IOException {
    try (JsonParser p = JSON.getFactory().createParser(json)) {
      JsonNode n = JSON.readTree(p);
      JsonToken extra = p.nextToken();
      if (extra != null) {
        throw new JsonParseException(p, "unexpected content after the JSON document");
      }
      return n;
    }
  }

  /**
   * A short description of a Jackson failure: what went wrong and where, as a dotted path
   * ({@code spec.containers[0].ports[0].containerPort}) when the failure is about structure, or
   * line and column when the text itself is malformed.
   */
  public static String describe(JsonProcessingException e, String root) {
    String message = e instanceof MismatchedInputException mi && mi.getTargetType() != null
        ? expected(mi) : e.getOriginalMessage();
    int cut = message.indexOf('\n');
    if (cut >= 0) {
      message = message.substring(0, cut);
    }
    message = message.replace(" (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)", "");
    if (e instanceof JsonMappingException jm && !jm.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder(root);
      for (JsonMappingException.Reference r : jm.getPath()) {
        if (r.getFieldName() != null) {
          if (path.length() > 0) {
            path.append('.');
          }
          path.append(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          path.append('[').append(r.getIndex()).append(']');
        }
      }
      return path + ": " + message;
    }
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      return "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + message;
    }
    return message;
  }

  /** "expected an integer, got \"abc\"" rather than Jackson's Java-flavoured wording. */
  private static String expected(MismatchedInputException e) {
    Class<?> t = e.getTargetType();
    String want;
    if (Collection.class.isAssignableFrom(t) || t.isArray()) {
      want = "a list";
    } else if (Map.class.isAssignableFrom(t)) {
      want = "an object";
    } else if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
      want = "an integer";
    } else if (t == Boolean.class || t == boolean.class) {
      want = "true or false";
    } else if (t == String.class) {
      want = "a string";
    } else if (t == Double.class || t == double.class || Number.class.isAssignableFrom(t)) {
      want = "a number";
    } else if (t.getName().startsWith("io.fabric8.")) {
      want = "an object (" + t.getSimpleName() + ")";
    } else {
      want = "a " + t.getSimpleName();
    }
    if (e instanceof InvalidFormatException ife && ife.getValue() != null) {
      Object v = ife.getValue();
      return "expected " + want + ", got " + (v instanceof String ? "\"" + v + "\"" : v);
    }
    return "expected " + want;
  }
}
