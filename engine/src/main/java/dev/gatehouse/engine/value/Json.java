package dev.gatehouse.engine.value;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * JSON and YAML in and out. Reading streams tokens straight into values (no intermediate tree);
 * writing matches Go's encoding/json byte for byte, which is what OPA prints: HTML-sensitive
 * characters escaped as {@code \u003c}, sorted object keys, sets as sorted arrays, and
 * {@code json.MarshalIndent}'s layout for the indented form.
 */
public final class Json {
  private static final JsonFactory JSON = new JsonFactoryBuilder()
      .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();
  /** How deep a document given as input may nest: opa reads input up to 10,000 levels. */
  public static final int INPUT_MAX_DEPTH = 10_000;
  private static final JsonFactory INPUT_JSON = new JsonFactoryBuilder()
      .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(INPUT_MAX_DEPTH).build())
      .build();
  /** Loaded on first YAML use, so JSON-only runs skip SnakeYAML's start-up cost. */
  private static final class Yaml {
    static final YAMLFactory FACTORY = new YAMLFactory();
  }
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  /** Parses one JSON document. @throws ValueFormatException on malformed input */
  public static Value parse(String json) {
    try (JsonParser p = JSON.createParser(json)) {
      return readDocument(p);
    } catch (IOException e) {
      throw ValueFormatException.of(e);
    }
  }

  /**
   * Parses a document given as query input (files, stdin) as opa does: nesting up to
   * {@link #INPUT_MAX_DEPTH}, invalid UTF-8 read as U+FFFD. Callers need a deep enough stack.
   */
  public static Value parseInput(byte[] json) {
    String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
    try (JsonParser p = INPUT_JSON.createParser(text)) {
      return readDocument(p);
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      throw new ValueFormatException("exceeded max depth of " + INPUT_MAX_DEPTH, 0, 0);
    } catch (IOException e) {
      throw ValueFormatException.of(e);
    }
  }

  public static Value parse(byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      return readDocument(p);
    } catch (IOException e) {
      throw ValueFormatException.of(e);
    }
  }

  public static Value parse(InputStream json) {
    try (JsonParser p = JSON.createParser(json)) {
      return readDocument(p);
    } catch (IOException e) {
      throw ValueFormatException.of(e);
    }
  }

  public static Value parse(Reader json) {
    try (JsonParser p = JSON.createParser(json)) {
      return readDocument(p);
    } catch (IOException e) {
      throw ValueFormatException.of(e);
    }
  }

  /**
   * Parses one YAML document (as OPA does: YAML is read as JSON-compatible data). Anchors,
   * aliases and {@code <<} merge keys resolve as a YAML library reads them.
   */
  public static Value parseYaml(String yaml) {
    try (JsonParser p = Yaml.FACTORY.createParser(yaml)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return NullValue.INSTANCE;
      }
      return new YamlReader(p, YamlAnchors.of(yaml), 0).read(t);
    } catch (IOException e) {
      throw ValueFormatException.of(e);
    }
  }

  /** Parses every document of a multi-document YAML stream (anchors are per document). */
  public static List<Value> parseYamlDocuments(String yaml) {
    List<Value> docs = new ArrayList<>();
    try (JsonParser p = Yaml.FACTORY.createParser(yaml)) {
      YamlAnchors anchors = YamlAnchors.of(yaml);
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        docs.add(new YamlReader(p, anchors, docs.size()).read(t));
      }
    } catch (IOException e) {
      throw ValueFormatException.of(e);
    }
    return docs;
  }

  /**
   * Jackson's YAML parser reports an alias as a string holding the anchor's name and knows no
   * merge keys; this reader keeps each anchored node and substitutes it for its aliases, and
   * merges {@code <<: *map} or {@code <<: [*a, *b]} into the enclosing mapping (explicit keys
   * win, then earlier maps over later ones), as go-yaml and SnakeYAML do.
   */
  private static final class YamlReader {
    private final JsonParser p;
    private final Sharing shared = new Sharing();
    private final YAMLParser yaml;
    private final List<String> nodeAnchors;
    private final Map<String, Value> anchors = new HashMap<>();
    private int node;

    YamlReader(JsonParser p, YamlAnchors all, int document) {
      this.p = p;
      this.yaml = (YAMLParser) p;
      this.nodeAnchors = all.document(document);
    }

    /** The anchor of the next node, by position (Jackson drops the anchors of scalar values). */
    private String nextAnchor() {
      int i = node++;
      return i < nodeAnchors.size() ? nodeAnchors.get(i) : null;
    }

    Value read(JsonToken t) throws IOException {
      String anchor = nextAnchor();
      if (t == JsonToken.VALUE_STRING && yaml.isCurrentAlias()) {
        Value v = anchors.get(p.getText());
        if (v == null) {
          throw error("unknown anchor '" + p.getText() + "' referenced");
        }
        return v;
      }
      Value v;
      switch (t) {
        case START_OBJECT: {
          Map<Value, Value> explicit = new LinkedHashMap<>();
          List<Value> merges = new ArrayList<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            nextAnchor(); // the key's node
            String name = p.currentName();
            Value value = read(p.nextToken());
            if (name.equals("<<")) {
              merges.add(value);
            } else {
              StringValue key = shared.of(name);
              explicit.remove(key); // the last occurrence wins, in its own place
              explicit.put(key, value);
            }
          }
          for (Value m : merges) {
            mergeInto(explicit, m);
          }
          Value[] keys = explicit.keySet().toArray(new Value[0]);
          v = shared.object(keys, explicit.values().toArray(new Value[0]), keys.length);
          break;
        }
        case START_ARRAY: {
          List<Value> elems = new ArrayList<>();
          JsonToken e;
          while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            elems.add(read(e));
          }
          v = ArrayValue.of(elems);
          break;
        }
        default:
          v = Json.read(p, t, shared);
      }
      if (anchor != null) {
        anchors.put(anchor, v);
      }
      return v;
    }

    private void mergeInto(Map<Value, Value> out, Value m) throws IOException {
      if (m instanceof ObjectValue o) {
        o.forEach(out::putIfAbsent);
      } else if (m instanceof ArrayValue a) {
        for (Value item : a.elements()) {
          if (!(item instanceof ObjectValue)) {
            throw error("map merge requires map or sequence of maps as the value");
          }
          mergeInto(out, item);
        }
      } else {
        throw error("map merge requires map or sequence of maps as the value");
      }
    }

    private ValueFormatException error(String message) {
      return new ValueFormatException("yaml: " + message, p.currentLocation().getLineNr(),
          p.currentLocation().getColumnNr());
    }
  }

  /**
   * The anchor of every node of every document, in document order, read from SnakeYAML's events
   * (the same parser Jackson wraps, so node i here is the i-th value or key token there). Only
   * done when the text can hold an anchor at all.
   */
  private record YamlAnchors(List<List<String>> documents) {
    static final YamlAnchors NONE = new YamlAnchors(List.of());

    static YamlAnchors of(String text) {
      if (text.indexOf('&') < 0) {
        return NONE;
      }
      List<List<String>> docs = new ArrayList<>();
      try {
        org.yaml.snakeyaml.parser.Parser parser = new org.yaml.snakeyaml.parser.ParserImpl(
            new org.yaml.snakeyaml.reader.StreamReader(text), new org.yaml.snakeyaml.LoaderOptions());
        List<String> current = null;
        while (parser.peekEvent() != null) {
          org.yaml.snakeyaml.events.Event e = parser.getEvent();
          if (e.is(org.yaml.snakeyaml.events.Event.ID.DocumentStart)) {
            current = new ArrayList<>();
            docs.add(current);
          } else if (current != null && (e instanceof org.yaml.snakeyaml.events.ScalarEvent
              || e instanceof org.yaml.snakeyaml.events.CollectionStartEvent
              || e instanceof org.yaml.snakeyaml.events.AliasEvent)) {
            current.add(e instanceof org.yaml.snakeyaml.events.AliasEvent ? null
                : ((org.yaml.snakeyaml.events.NodeEvent) e).getAnchor());
          } else if (e.is(org.yaml.snakeyaml.events.Event.ID.StreamEnd)) {
            break;
          }
        }
      } catch (RuntimeException e) {
        return NONE; // Jackson reports the syntax error with its position
      }
      return new YamlAnchors(docs);
    }

    List<String> document(int i) {
      return i < documents.size() ? documents.get(i) : List.of();
    }
  }

  private static Value readDocument(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw new ValueFormatException("unexpected end of JSON input", 1, 1);
    }
    Value v = read(p, t, new Sharing());
    if (p.nextToken() != null) {
      throw new ValueFormatException("invalid character after top-level value",
          p.currentLocation().getLineNr(), p.currentLocation().getColumnNr());
    }
    return v;
  }

  /**
   * Sharing within one document. One StringValue per distinct key and short string: data sets
   * repeat their keys in every object and many values (kinds, namespaces, actions, timestamps),
   * and each copy would otherwise keep its own String and wrapper (about a tenth of the heap a
   * grant list takes). One NumberValue per distinct short literal (ports, replica counts). One
   * {@link Shape} per distinct key sequence, so objects of the same kind hold only their values.
   * Each table is bounded, so a document of unique strings or key sets costs one lookup per item
   * and no more.
   */
  private static final class Sharing {
    private static final int MAX_ENTRIES = 1 << 16;
    private static final int MAX_LENGTH = 64;
    private static final int MAX_NUMBER_LENGTH = 20;
    /** Shapes are shared up to this many keys; larger objects (maps keyed by name) rarely repeat. */
    private static final int MAX_SHAPE_KEYS = 32;
    private static final int MAX_SHAPES = 1 << 12;
    private final HashMap<String, StringValue> seen = new HashMap<>();
    private final HashMap<String, NumberValue> numbers = new HashMap<>();
    private final HashMap<KeySequence, Shape> shapes = new HashMap<>();

    StringValue of(String s) {
      if (s.length() > MAX_LENGTH) {
        return StringValue.of(s);
      }
      StringValue v = seen.get(s);
      if (v == null) {
        v = StringValue.of(s);
        if (seen.size() < MAX_ENTRIES) {
          seen.put(s, v);
        }
      }
      return v;
    }

    NumberValue number(String text) {
      if (text.length() > MAX_NUMBER_LENGTH) {
        return NumberValue.parse(text);
      }
      NumberValue v = numbers.get(text);
      if (v == null) {
        v = NumberValue.parse(text);
        if (numbers.size() < MAX_ENTRIES) {
          numbers.put(text, v);
        }
      }
      return v;
    }

    /** The object of the first n keys and values, in document order; a repeated key keeps its first place and its last value. */
    ObjectValue object(Value[] keys, Value[] values, int n) {
      if (n == 0) {
        return ObjectValue.EMPTY;
      }
      if (n <= MAX_SHAPE_KEYS) {
        Shape shape = shapes.get(new KeySequence(keys, n));
        if (shape == null && distinct(keys, n)) {
          shape = Shape.of(Arrays.copyOf(keys, n));
          if (shapes.size() < MAX_SHAPES) {
            shapes.put(new KeySequence(shape.keys, n), shape);
          }
        }
        if (shape != null) {
          return ObjectValue.of(shape, Arrays.copyOf(values, n));
        }
      }
      ObjectValue.Builder b = ObjectValue.builder();
      for (int i = 0; i < n; i++) {
        b.put(keys[i], values[i]);
      }
      return b.build();
    }

    private static boolean distinct(Value[] keys, int n) {
      for (int i = 1; i < n; i++) {
        for (int j = 0; j < i; j++) {
          if (keys[i].equals(keys[j])) {
            return false;
          }
        }
      }
      return true;
    }
  }

  /** A key sequence as a hash key: the first n keys of the array, compared in order. */
  private static final class KeySequence {
    private final Value[] keys;
    private final int n;
    private final int hash;

    KeySequence(Value[] keys, int n) {
      this.keys = keys;
      this.n = n;
      int h = 1;
      for (int i = 0; i < n; i++) {
        h = h * 31 + keys[i].hashCode();
      }
      this.hash = h;
    }

    @Override public int hashCode() { return hash; }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof KeySequence k) || k.n != n || k.hash != hash) {
        return false;
      }
      for (int i = 0; i < n; i++) {
        if (keys[i] != k.keys[i] && !keys[i].equals(k.keys[i])) {
          return false;
        }
      }
      return true;
    }
  }

  private static Value read(JsonParser p, JsonToken t, Sharing shared) throws IOException {
    switch (t) {
      case START_OBJECT: {
        Value[] keys = null;
        Value[] values = null;
        int n = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          StringValue key = shared.of(p.currentName());
          Value value = read(p, p.nextToken(), shared);
          if (keys == null) {
            keys = new Value[8];
            values = new Value[8];
          } else if (n == keys.length) {
            keys = Arrays.copyOf(keys, n * 2);
            values = Arrays.copyOf(values, n * 2);
          }
          keys[n] = key;
          values[n] = value;
          n++;
        }
        return shared.object(keys, values, n);
      }
      case START_ARRAY: {
        JsonToken e = p.nextToken();
        if (e == JsonToken.END_ARRAY) {
          return ArrayValue.EMPTY;
        }
        Value[] elems = new Value[4];
        int n = 0;
        do {
          if (n == elems.length) {
            elems = Arrays.copyOf(elems, n * 2);
          }
          elems[n++] = read(p, e, shared);
        } while ((e = p.nextToken()) != JsonToken.END_ARRAY);
        return ArrayValue.wrap(n == elems.length ? elems : Arrays.copyOf(elems, n));
      }
      case VALUE_STRING:
        return shared.of(p.getText());
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return number(p, shared);
      case VALUE_TRUE:
        return BooleanValue.TRUE;
      case VALUE_FALSE:
        return BooleanValue.FALSE;
      case VALUE_NULL:
        return NullValue.INSTANCE;
      case VALUE_EMBEDDED_OBJECT: {
        Object o = p.getEmbeddedObject();
        return o == null ? NullValue.INSTANCE : StringValue.of(o.toString());
      }
      default:
        throw new ValueFormatException("unexpected token " + t,
            p.currentLocation().getLineNr(), p.currentLocation().getColumnNr());
    }
  }

  private static Value number(JsonParser p, Sharing shared) throws IOException {
    String text = p.getText();
    try {
      return shared.number(text);
    } catch (NumberFormatException e) {
      // YAML spellings such as 0x1F or +1 or .5: keep the value, not the spelling
      return NumberValue.of(p.getDecimalValue());
    }
  }

  /** Compact JSON, as Go's json.Marshal writes it. */
  public static String write(Value v) {
    StringBuilder sb = new StringBuilder();
    write(v, sb);
    return sb.toString();
  }

  public static void write(Value v, StringBuilder sb) {
    switch (v.typeOrder()) {
      case 0 -> sb.append("null");
      case 1 -> sb.append(((BooleanValue) v).value());
      case 2 -> sb.append(((NumberValue) v).text());
      case 3 -> quote(((StringValue) v).value(), sb);
      case 4 -> {
        ArrayValue a = (ArrayValue) v;
        sb.append('[');
        for (int i = 0; i < a.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          write(a.get(i), sb);
        }
        sb.append(']');
      }
      case 6 -> {
        SetValue s = (SetValue) v;
        sb.append('[');
        boolean first = true;
        for (Value e : s) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          write(e, sb);
        }
        sb.append(']');
      }
      default -> {
        ObjectValue o = (ObjectValue) v;
        sb.append('{');
        boolean first = true;
        for (Value k : o.keys()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          quote(keyString(k), sb);
          sb.append(':');
          write(o.get(k), sb);
        }
        sb.append('}');
      }
    }
  }

  /** Indented JSON, as Go's json.MarshalIndent(v, "", indent) writes it. */
  public static String writeIndented(Value v, String indent) {
    StringBuilder sb = new StringBuilder();
    writeIndented(v, sb, indent, 0);
    return sb.toString();
  }

  private static void writeIndented(Value v, StringBuilder sb, String indent, int depth) {
    switch (v.typeOrder()) {
      case 4 -> {
        ArrayValue a = (ArrayValue) v;
        if (a.size() == 0) {
          sb.append("[]");
          return;
        }
        sb.append('[');
        for (int i = 0; i < a.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          newline(sb, indent, depth + 1);
          writeIndented(a.get(i), sb, indent, depth + 1);
        }
        newline(sb, indent, depth);
        sb.append(']');
      }
      case 6 -> writeIndented(ArrayValue.of(((SetValue) v).sorted()), sb, indent, depth);
      case 5 -> {
        ObjectValue o = (ObjectValue) v;
        if (o.isEmpty()) {
          sb.append("{}");
          return;
        }
        sb.append('{');
        boolean first = true;
        for (Value k : o.keys()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          newline(sb, indent, depth + 1);
          quote(keyString(k), sb);
          sb.append(": ");
          writeIndented(o.get(k), sb, indent, depth + 1);
        }
        newline(sb, indent, depth);
        sb.append('}');
      }
      default -> write(v, sb);
    }
  }

  private static void newline(StringBuilder sb, String indent, int depth) {
    sb.append('\n');
    for (int i = 0; i < depth; i++) {
      sb.append(indent);
    }
  }

  /** The JSON object key OPA uses for a non-string key: its JSON text. */
  static String keyString(Value k) {
    return k instanceof StringValue s ? s.value() : write(k);
  }

  /** A JSON string literal with Go's escaping. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    quote(s, sb);
    return sb.toString();
  }

  public static void quote(String s, StringBuilder sb) {
    sb.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(c, sb);
        default -> {
          if (c < 0x20) {
            unicodeEscape(c, sb);
          } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            sb.append("\ufffd"); // Go replaces invalid UTF-8 with U+FFFD
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static void unicodeEscape(char c, StringBuilder sb) {
    sb.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
  }
}
