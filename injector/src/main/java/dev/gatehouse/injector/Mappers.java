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
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
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
   * Reads every document of a YAML stream as trees, with anchors, aliases and {@code <<} merge
   * keys resolved as a YAML library does (Jackson alone turns an alias into a string holding the
   * anchor's name and knows no merge keys). Scalars are typed exactly as Jackson's tree reader
   * types them. Anchors are per document; explicit keys win over merged ones, and earlier merged
   * maps over later ones.
   *
   * @throws JsonProcessingException on invalid YAML, an unknown anchor or a malformed merge
   */
  public static List<JsonNode> readYamlDocuments(String yaml) throws IOException {
    List<List<String>> anchors = yamlAnchors(yaml);
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser p = (YAMLParser) YAML.getFactory().createParser(yaml)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        List<String> nodeAnchors = docs.size() < anchors.size() ? anchors.get(docs.size()) : List.of();
        docs.add(new YamlTree(p, nodeAnchors).read(t));
      }
    }
    return docs;
  }

  /** One document's tree, resolving aliases and merge keys. */
  private static final class YamlTree {
    private final YAMLParser p;
    private final List<String> nodeAnchors;
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private int node;

    YamlTree(YAMLParser p, List<String> nodeAnchors) {
      this.p = p;
      this.nodeAnchors = nodeAnchors;
    }

    private String nextAnchor() {
      int i = node++;
      return i < nodeAnchors.size() ? nodeAnchors.get(i) : null;
    }

    JsonNode read(JsonToken t) throws IOException {
      String anchor = nextAnchor();
      if (t == JsonToken.VALUE_STRING && p.isCurrentAlias()) {
        JsonNode v = anchors.get(p.getText());
        if (v == null) {
          throw new JsonParseException(p, "unknown anchor '" + p.getText() + "' referenced");
        }
        return v.deepCopy();
      }
      JsonNodeFactory f = JsonNodeFactory.instance;
      JsonNode v = switch (t) {
        case START_OBJECT -> {
          ObjectNode o = f.objectNode();
          List<JsonNode> merges = new ArrayList<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            nextAnchor(); // the key's node
            String name = p.currentName();
            JsonNode value = read(p.nextToken());
            if (name.equals("<<")) {
              merges.add(value);
            } else {
              o.remove(name); // the last occurrence wins, in its own place
              o.set(name, value);
            }
          }
          for (JsonNode m : merges) {
            mergeInto(o, m);
          }
          yield o;
        }
        case START_ARRAY -> {
          ArrayNode a = f.arrayNode();
          JsonToken e;
          while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            a.add(read(e));
          }
          yield a;
        }
        default -> (JsonNode) JSON.readTree(p);
      };
      if (anchor != null) {
        anchors.put(anchor, v);
      }
      return v;
    }

    private void mergeInto(ObjectNode out, JsonNode m) throws IOException {
      if (m instanceof ObjectNode o) {
        for (Map.Entry<String, JsonNode> e : o.properties()) {
          if (!out.has(e.getKey())) {
            out.set(e.getKey(), e.getValue().deepCopy());
          }
        }
      } else if (m instanceof ArrayNode a) {
        for (JsonNode item : a) {
          if (!(item instanceof ObjectNode)) {
            throw new JsonParseException(p, "map merge requires map or sequence of maps as the value");
          }
          mergeInto(out, item);
        }
      } else {
        throw new JsonParseException(p, "map merge requires map or sequence of maps as the value");
      }
    }
  }

  /**
   * The anchor of every node of every document, in order, from SnakeYAML's events: Jackson drops
   * the anchors of scalar values, and wraps the same parser, so node i here is token i there.
   */
  private static List<List<String>> yamlAnchors(String text) {
    if (text.indexOf('&') < 0) {
      return List.of();
    }
    List<List<String>> docs = new ArrayList<>();
    try {
      ParserImpl parser = new ParserImpl(new StreamReader(text), new LoaderOptions());
      List<String> current = null;
      while (parser.peekEvent() != null) {
        Event e = parser.getEvent();
        if (e.is(Event.ID.DocumentStart)) {
          current = new ArrayList<>();
          docs.add(current);
        } else if (current != null && (e instanceof ScalarEvent || e instanceof CollectionStartEvent
            || e instanceof AliasEvent)) {
          current.add(e instanceof AliasEvent ? null : ((NodeEvent) e).getAnchor());
        } else if (e.is(Event.ID.StreamEnd)) {
          break;
        }
      }
    } catch (RuntimeException e) {
      return List.of(); // Jackson reports the syntax error, with its position
    }
    return docs;
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
