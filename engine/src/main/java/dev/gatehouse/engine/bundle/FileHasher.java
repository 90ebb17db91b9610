package dev.gatehouse.engine.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * File digests as bundle signatures carry them. Policies and other files are hashed as bytes;
 * structured files ({@code data.json}, {@code data.yaml}, {@code .manifest}) are hashed over a
 * canonical JSON form (object keys sorted, no whitespace, numbers as written, strings escaped
 * as Go's encoder does without HTML escaping), so whitespace and key order do not change the
 * digest.
 */
final class FileHasher {
  private FileHasher() {}

  static final String DEFAULT_ALGORITHM = "SHA-256";
  private static final JsonFactory JSON = new JsonFactory();

  /** The bundle-level names ("SHA-256", "SHA-512-224", ...) mapped to the JDK's digest names. */
  static MessageDigest digest(String algorithm) {
    String jdk = switch (algorithm) {
      case "MD5" -> "MD5";
      case "SHA-1" -> "SHA-1";
      case "SHA-224" -> "SHA-224";
      case "SHA-256" -> "SHA-256";
      case "SHA-384" -> "SHA-384";
      case "SHA-512" -> "SHA-512";
      case "SHA-512-224" -> "SHA-512/224";
      case "SHA-512-256" -> "SHA-512/256";
      default -> throw new BundleException("unsupported hashing algorithm: " + algorithm);
    };
    try {
      return MessageDigest.getInstance(jdk);
    } catch (NoSuchAlgorithmException e) {
      throw new BundleException("unsupported hashing algorithm: " + algorithm, e);
    }
  }

  static boolean isStructured(String path) {
    String base = path.substring(path.lastIndexOf('/') + 1);
    return base.equals("data.json") || base.equals("data.yaml") || base.equals("data.yml") || base.equals(".manifest");
  }

  /** Hex digest of a file's content; structured files by their canonical JSON. */
  static String hash(String path, byte[] content, String algorithm) {
    byte[] canonical;
    if (!isStructured(path)) {
      canonical = content;
    } else if (path.endsWith(".yaml") || path.endsWith(".yml")) {
      canonical = canonical(dev.gatehouse.engine.value.Json.parseYaml(new String(content, StandardCharsets.UTF_8)));
    } else {
      canonical = canonicalJson(content);
    }
    return HexFormat.of().formatHex(digest(algorithm).digest(canonical));
  }

  static String hashValue(Value v, String algorithm) {
    return HexFormat.of().formatHex(digest(algorithm).digest(canonical(v)));
  }

  /** Canonical form of JSON text, keeping each number's literal text as Go's json.Number does. */
  static byte[] canonicalJson(byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new BundleException("unexpected end of JSON input");
      }
      StringBuilder sb = new StringBuilder();
      writeCanonical(p, t, sb);
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BundleException(e.getMessage(), e);
    }
  }

  private static void writeCanonical(JsonParser p, JsonToken t, StringBuilder sb) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        Map<String, String> fields = new TreeMap<>(FileHasher::compareCodePoints);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          StringBuilder v = new StringBuilder();
          writeCanonical(p, p.nextToken(), v);
          fields.put(name, v.toString()); // duplicate keys: the last wins, as in Go
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : fields.entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          quote(e.getKey(), sb);
          sb.append(':').append(e.getValue());
        }
        sb.append('}');
      }
      case START_ARRAY -> {
        sb.append('[');
        boolean first = true;
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          writeCanonical(p, e, sb);
        }
        sb.append(']');
      }
      case VALUE_STRING -> quote(p.getText(), sb);
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> sb.append(p.getText());
      case VALUE_TRUE -> sb.append("true");
      case VALUE_FALSE -> sb.append("false");
      case VALUE_NULL -> sb.append("null");
      default -> throw new BundleException("unexpected JSON token " + t);
    }
  }

  static byte[] canonical(Value v) {
    StringBuilder sb = new StringBuilder();
    writeCanonical(v, sb);
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void writeCanonical(Value v, StringBuilder sb) {
    if (v instanceof ObjectValue o) {
      Map<String, Value> fields = new TreeMap<>(FileHasher::compareCodePoints);
      for (Value k : o.keys()) {
        fields.put(k instanceof StringValue s ? s.value() : dev.gatehouse.engine.value.Json.write(k), o.get(k));
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, Value> e : fields.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(e.getKey(), sb);
        sb.append(':');
        writeCanonical(e.getValue(), sb);
      }
      sb.append('}');
    } else if (v instanceof ArrayValue a) {
      writeList(a.elements(), sb);
    } else if (v instanceof SetValue s) {
      List<Value> elems = new ArrayList<>();
      s.forEach(elems::add);
      writeList(elems, sb);
    } else if (v instanceof StringValue s) {
      quote(s.value(), sb);
    } else if (v instanceof NumberValue n) {
      sb.append(n.text());
    } else if (v instanceof BooleanValue b) {
      sb.append(b.value());
    } else {
      sb.append("null");
    }
  }

  private static void writeList(List<Value> elems, StringBuilder sb) {
    sb.append('[');
    for (int i = 0; i < elems.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      writeCanonical(elems.get(i), sb);
    }
    sb.append(']');
  }

  /** Go sorts map keys by their UTF-8 bytes, which is code-point order (not UTF-16 order). */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** Go's JSON string escaping with HTML escaping turned off (as the bundle hasher's encoder is). */
  static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\u2028' -> sb.append("\\u2028");
        case '\u2029' -> sb.append("\\u2029");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            sb.append('\ufffd');
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
