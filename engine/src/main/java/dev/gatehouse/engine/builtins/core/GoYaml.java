package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * YAML as OPA reads and writes it (go-yaml v3 behind a JSON round trip). Reading uses
 * SnakeYAML's parser for the syntax and go-yaml v3's core-schema rules for what a plain scalar
 * means ({@code yes} is a string, {@code 0x1F} is 31, dates stay strings). Writing reproduces
 * go-yaml v3's emitter at indent 2: block style, its choice of plain / single / double quoted /
 * literal scalars, and its natural key order.
 */
final class GoYaml {
  // fixed internal syntax checks, not Rego regexes
  private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
  private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final Pattern BASE60 = Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");
  private static final Pattern TIMESTAMP = Pattern.compile(
      "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?"
          + "(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?");

  private GoYaml() {}

  // ---------------------------------------------------------------- reading

  static Value unmarshal(String text) {
    Object doc = parse(text);
    return toValue(doc);
  }

  static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (BuiltinException e) {
      return false;
    }
  }

  /** The first document as Java data (Map / List / String / BigInteger / Double / Boolean / null). */
  private static Object parse(String text) {
    LoaderOptions opts = new LoaderOptions();
    opts.setAllowDuplicateKeys(true);
    try {
      ParserImpl parser = new ParserImpl(new StreamReader(text), opts);
      Object first = null;
      boolean seen = false;
      while (true) {
        Event e = parser.getEvent();
        if (e.is(Event.ID.StreamEnd)) {
          break;
        }
        if (e.is(Event.ID.DocumentStart)) {
          Object d = new Composer(parser).node(parser.getEvent());
          if (!seen) {
            first = d;
            seen = true;
          }
          parser.getEvent(); // DocumentEnd
        }
      }
      return first;
    } catch (MarkedYAMLException e) {
      throw BuiltinException.error(yamlError(e, text));
    } catch (YAMLException e) {
      throw BuiltinException.error("yaml: " + e.getMessage());
    }
  }

  /**
   * go-yaml's message for SnakeYAML's error: "yaml: line N: problem", where N is the 0-based line
   * of the context (else of the problem), plus one for scanner errors, and omitted when zero.
   */
  private static String yamlError(MarkedYAMLException e, String text) {
    String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
    int line = 0;
    if (e.getContextMark() != null && e.getContextMark().getLine() != 0) {
      line = e.getContextMark().getLine();
    } else if (e.getProblemMark() != null) {
      line = e.getProblemMark().getLine();
      // go-yaml moves the end of the stream onto a new line when the text does not end with one
      if (e.getProblemMark().getIndex() >= text.length() && e.getProblemMark().getColumn() > 0) {
        line++;
      }
    }
    if (line != 0 && e instanceof org.yaml.snakeyaml.scanner.ScannerException) {
      line++;
    }
    if (problem.startsWith("expected ") && problem.contains(", but ")) {
      problem = "did not find " + problem.substring(0, problem.indexOf(", but "));
    } else if (problem.startsWith("mapping values are not allowed here")) {
      problem = "mapping values are not allowed in this context";
    } else if (problem.startsWith("found character") && problem.contains("cannot start any token")) {
      problem = "found character that cannot start any token";
    } else if (problem.startsWith("found undefined alias")) {
      problem = "unknown anchor '" + problem.substring(problem.indexOf("alias") + 6).trim() + "' referenced";
    }
    return "yaml: " + (line != 0 ? "line " + line + ": " : "") + problem;
  }

  /** Builds data from parser events, resolving anchors and go-yaml v3's merge keys. */
  private static final class Composer {
    private final ParserImpl parser;
    private final Map<String, Object> anchors = new HashMap<>();

    Composer(ParserImpl parser) {
      this.parser = parser;
    }

    Object node(Event e) {
      if (e instanceof AliasEvent a) {
        if (!anchors.containsKey(a.getAnchor())) {
          throw BuiltinException.error("yaml: unknown anchor '" + a.getAnchor() + "' referenced");
        }
        return anchors.get(a.getAnchor());
      }
      Object v;
      if (e instanceof ScalarEvent s) {
        v = scalar(s);
      } else if (e instanceof SequenceStartEvent) {
        List<Object> out = new ArrayList<>();
        for (Event n = parser.getEvent(); !n.is(Event.ID.SequenceEnd); n = parser.getEvent()) {
          out.add(node(n));
        }
        v = out;
      } else if (e instanceof MappingStartEvent) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        List<Object> merges = new ArrayList<>();
        for (Event n = parser.getEvent(); !n.is(Event.ID.MappingEnd); n = parser.getEvent()) {
          boolean merge = n instanceof ScalarEvent ks && ks.isPlain() && ks.getTag() == null && ks.getValue().equals("<<");
          Object key = node(n);
          Object value = node(parser.getEvent());
          if (merge) {
            merges.add(value);
            continue;
          }
          String k = keyString(key);
          out.remove(k); // last occurrence wins, in its own position
          out.put(k, value);
        }
        for (Object m : merges) {
          mergeInto(out, m);
        }
        v = out;
      } else {
        throw BuiltinException.error("yaml: unexpected " + e.getEventId());
      }
      if (e instanceof NodeEvent ne && ne.getAnchor() != null) {
        anchors.put(ne.getAnchor(), v);
      }
      return v;
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(LinkedHashMap<String, Object> out, Object m) {
      if (m instanceof Map<?, ?> map) {
        map.forEach((k, v) -> out.putIfAbsent((String) k, v));
      } else if (m instanceof List<?> list) {
        for (Object item : list) {
          if (!(item instanceof Map)) {
            throw BuiltinException.error("yaml: map merge requires map or sequence of maps as the value");
          }
          mergeInto(out, item);
        }
      } else {
        throw BuiltinException.error("yaml: map merge requires map or sequence of maps as the value");
      }
    }
  }

  /** A scalar's value: quoted and explicitly tagged strings stay strings; plain ones resolve. */
  private static Object scalar(ScalarEvent s) {
    String v = s.getValue();
    String tag = s.getTag();
    if (tag != null && !tag.equals("!")) {
      switch (tag) {
        case "tag:yaml.org,2002:str":
          return v;
        case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null":
          Object r = resolvePlain(v);
          return r;
        default:
          return v;
      }
    }
    if (!s.isPlain()) {
      return v;
    }
    return resolvePlain(v);
  }

  /** go-yaml v3's resolution of a plain scalar; timestamps are kept as strings, as OPA does. */
  static Object resolvePlain(String v) {
    switch (v) {
      case "true", "True", "TRUE":
        return Boolean.TRUE;
      case "false", "False", "FALSE":
        return Boolean.FALSE;
      case "", "~", "null", "Null", "NULL":
        return null;
      case ".nan", ".NaN", ".NAN":
        return Double.NaN;
      case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
        return Double.POSITIVE_INFINITY;
      case "-.inf", "-.Inf", "-.INF":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    char c = v.charAt(0);
    if (c == '.') {
      Double d = goParseFloat(v);
      return d != null ? d : v;
    }
    if (c != '+' && c != '-' && (c < '0' || c > '9')) {
      return v;
    }
    if (TIMESTAMP.matcher(v).matches()) {
      return v;
    }
    String plain = v.replace("_", "");
    BigInteger i = goParseInt(plain);
    if (i != null && i.bitLength() < 64) {
      return i;
    }
    if (i != null && i.signum() > 0 && i.bitLength() <= 64) {
      return i; // uint64
    }
    if (YAML_FLOAT.matcher(plain).matches()) {
      Double d = goParseFloat(plain);
      if (d != null) {
        return d;
      }
    }
    return v;
  }

  /** strconv.ParseInt(s, 0, 64)'s syntax: sign, then 0x / 0o / 0b / leading-0 octal or decimal. */
  private static BigInteger goParseInt(String s) {
    boolean neg = false;
    String body = s;
    if (body.startsWith("+") || body.startsWith("-")) {
      neg = body.startsWith("-");
      body = body.substring(1);
    }
    if (body.isEmpty()) {
      return null;
    }
    int radix = 10;
    if (body.length() > 1 && body.charAt(0) == '0') {
      char p = Character.toLowerCase(body.charAt(1));
      if (p == 'x') {
        radix = 16;
        body = body.substring(2);
      } else if (p == 'o') {
        radix = 8;
        body = body.substring(2);
      } else if (p == 'b') {
        radix = 2;
        body = body.substring(2);
      } else {
        radix = 8;
        body = body.substring(1);
      }
    }
    if (body.isEmpty()) {
      return null;
    }
    for (int k = 0; k < body.length(); k++) {
      if (Character.digit(body.charAt(k), radix) < 0) {
        return null;
      }
    }
    BigInteger r = new BigInteger(body, radix);
    return neg ? r.negate() : r;
  }

  private static Double goParseFloat(String s) {
    try {
      if (!YAML_FLOAT.matcher(s).matches()) {
        return null;
      }
      double d = Double.parseDouble(s);
      return Double.isInfinite(d) ? null : d;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** How a decoded key becomes a JSON object key (OPA's keyString). */
  private static String keyString(Object k) {
    if (k instanceof String s) {
      return s;
    }
    if (k instanceof BigInteger i) {
      return i.toString();
    }
    if (k instanceof Boolean b) {
      return b.toString();
    }
    if (k instanceof Double d) {
      if (d.isNaN()) {
        return ".nan";
      }
      if (d.isInfinite()) {
        return d > 0 ? ".inf" : "-.inf";
      }
      return GoFloat.format32(d.floatValue());
    }
    if (k == null) {
      throw BuiltinException.error("unsupported map key of type: <nil>, key: <nil>");
    }
    throw BuiltinException.error("yaml: invalid map key: " + k);
  }

  /** Decoded data through JSON into a Rego value (floats take encoding/json's spelling). */
  private static Value toValue(Object o) {
    if (o == null) {
      return NullValue.INSTANCE;
    }
    if (o instanceof String s) {
      return StringValue.of(s);
    }
    if (o instanceof Boolean b) {
      return BooleanValue.of(b);
    }
    if (o instanceof BigInteger i) {
      return NumberValue.parse(i.toString());
    }
    if (o instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw BuiltinException.error("json: unsupported value: " + GoFloat.format(d, 'g', -1));
      }
      return NumberValue.parse(jsonFloat(d));
    }
    if (o instanceof List<?> l) {
      List<Value> out = new ArrayList<>(l.size());
      for (Object e : l) {
        out.add(toValue(e));
      }
      return ArrayValue.of(out);
    }
    ObjectValue.Builder b = ObjectValue.builder();
    ((Map<?, ?>) o).forEach((k, v) -> b.put((String) k, toValue(v)));
    return b.build();
  }

  /** encoding/json's float64 text: shortest digits, exponent form below 1e-6 or from 1e21. */
  static String jsonFloat(double d) {
    double abs = Math.abs(d);
    char fmt = abs != 0 && (abs < 1e-6 || abs >= 1e21) ? 'e' : 'f';
    String s = GoFloat.format(d, fmt, -1);
    if (fmt == 'e') {
      int n = s.length();
      if (n >= 4 && s.charAt(n - 4) == 'e' && s.charAt(n - 3) == '-' && s.charAt(n - 2) == '0') {
        s = s.substring(0, n - 2) + s.charAt(n - 1);
      }
    }
    return s;
  }

  // ---------------------------------------------------------------- writing

  static String marshal(Value v) {
    // OPA marshals to JSON first, then reads that JSON as YAML: sets become arrays, numbers
    // become ints or floats by go-yaml's rules
    Object data = fromJson(v);
    StringBuilder out = new StringBuilder();
    Emitter e = new Emitter(out);
    e.top(data);
    return out.toString();
  }

  private static Object fromJson(Value v) {
    if (v instanceof NullValue) {
      return null;
    }
    if (v instanceof BooleanValue b) {
      return b.value();
    }
    if (v instanceof StringValue s) {
      return s.value();
    }
    if (v instanceof NumberValue n) {
      Object r = resolvePlain(n.text());
      return r instanceof String ? n.text() : r;
    }
    if (v instanceof ArrayValue a) {
      List<Object> out = new ArrayList<>(a.size());
      for (Value e : a.elements()) {
        out.add(fromJson(e));
      }
      return out;
    }
    if (v instanceof SetValue s) {
      List<Object> out = new ArrayList<>(s.size());
      for (Value e : s) {
        out.add(fromJson(e));
      }
      return out;
    }
    ObjectValue o = (ObjectValue) v;
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>();
    for (Value k : o.keys()) {
      String ks = k instanceof StringValue s ? s.value() : Json.write(k);
      keys.add(ks);
      m.put(ks, fromJson(o.get(k)));
    }
    keys.sort(GoYaml::naturalCompare);
    LinkedHashMap<String, Object> sorted = new LinkedHashMap<>();
    for (String k : keys) {
      sorted.put(k, m.get(k));
    }
    return sorted;
  }

  /**
   * go-yaml's key order: character by character; two letters compare as characters; a letter
   * and a non-letter put the non-letter first, unless they follow equal digits; runs of digits
   * compare as numbers.
   */
  static int naturalCompare(String a, String b) {
    int[] ar = a.codePoints().toArray();
    int[] br = b.codePoints().toArray();
    boolean digits = false;
    for (int i = 0; i < ar.length && i < br.length; i++) {
      if (ar[i] == br[i]) {
        digits = Character.isDigit(ar[i]);
        continue;
      }
      boolean al = Character.isLetter(ar[i]);
      boolean bl = Character.isLetter(br[i]);
      if (al && bl) {
        return Integer.compare(ar[i], br[i]);
      }
      if (al || bl) {
        // digits before: letters first; otherwise the non-letter first
        return digits ? (al ? -1 : 1) : (bl ? -1 : 1);
      }
      long an = 0;
      long bn = 0;
      if (ar[i] == '0' || br[i] == '0') {
        for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
          if (ar[j] != '0') {
            an = 1;
            bn = 1;
            break;
          }
        }
      }
      int ai = i;
      while (ai < ar.length && Character.isDigit(ar[ai])) {
        an = an * 10 + (ar[ai] - '0');
        ai++;
      }
      int bi = i;
      while (bi < br.length && Character.isDigit(br[bi])) {
        bn = bn * 10 + (br[bi] - '0');
        bi++;
      }
      if (an != bn) {
        return Long.compare(an, bn);
      }
      if (ai != bi) {
        return Integer.compare(ai, bi);
      }
      return Integer.compare(ar[i], br[i]);
    }
    return Integer.compare(ar.length, br.length);
  }

  private enum Style { PLAIN, SINGLE, DOUBLE, LITERAL }

  private static final class Emitter {
    private final StringBuilder out;

    Emitter(StringBuilder out) {
      this.out = out;
    }

    void top(Object v) {
      if (v instanceof Map<?, ?> m && !m.isEmpty()) {
        map(m, 0, false);
      } else if (v instanceof List<?> l && !l.isEmpty()) {
        list(l, 0, false);
      } else {
        inlineValue(v, 0, false);
        out.append('\n');
      }
    }

    private void indent(int n) {
      for (int k = 0; k < n; k++) {
        out.append(' ');
      }
    }

    /** A mapping whose keys start at column col; the first line is already positioned when inline. */
    private void map(Map<?, ?> m, int col, boolean firstInline) {
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(first && firstInline)) {
          indent(col);
        }
        first = false;
        out.append(scalarText((String) e.getKey(), true, col));
        out.append(':');
        value(e.getValue(), col);
      }
    }

    private void list(List<?> l, int col, boolean firstInline) {
      boolean first = true;
      for (Object item : l) {
        if (!(first && firstInline)) {
          indent(col);
        }
        first = false;
        out.append('-');
        if (item instanceof Map<?, ?> m && !m.isEmpty()) {
          out.append(' ');
          map(m, col + 2, true);
        } else if (item instanceof List<?> inner && !inner.isEmpty()) {
          out.append(' ');
          list(inner, col + 2, true);
        } else {
          out.append(' ');
          inlineValue(item, col, false);
          out.append('\n');
        }
      }
    }

    /** The value after "key:", for a key at column col. */
    private void value(Object v, int col) {
      if (v instanceof Map<?, ?> m && !m.isEmpty()) {
        out.append('\n');
        map(m, col + 2, false);
      } else if (v instanceof List<?> l && !l.isEmpty()) {
        out.append('\n');
        list(l, col + 2, false);
      } else {
        out.append(' ');
        inlineValue(v, col, false);
        out.append('\n');
      }
    }

    /** A scalar or empty collection on the current line; block scalars continue below, at col + 2. */
    private void inlineValue(Object v, int col, boolean key) {
      if (v == null) {
        out.append("null");
      } else if (v instanceof Boolean b) {
        out.append(b);
      } else if (v instanceof BigInteger i) {
        out.append(i);
      } else if (v instanceof Double d) {
        String s = GoFloat.format(d, 'g', -1);
        out.append(switch (s) {
          case "+Inf" -> ".inf";
          case "-Inf" -> "-.inf";
          case "NaN" -> ".nan";
          default -> s;
        });
      } else if (v instanceof Map<?, ?>) {
        out.append("{}");
      } else if (v instanceof List<?>) {
        out.append("[]");
      } else {
        out.append(scalarText((String) v, key, col));
      }
    }

    /** A string scalar as go-yaml v3 writes it (without the trailing line break of a block scalar). */
    private String scalarText(String s, boolean simpleKey, int col) {
      Style requested;
      boolean canUsePlain = resolvesToString(s) && !BASE60.matcher(s).matches() && !isOldBool(s);
      if (s.indexOf('\n') >= 0) {
        requested = Style.LITERAL;
      } else if (canUsePlain) {
        requested = Style.PLAIN;
      } else {
        requested = Style.DOUBLE;
      }
      Analysis an = analyze(s);
      Style style = requested;
      if (simpleKey && an.multiline) {
        style = Style.DOUBLE;
      }
      if (style == Style.PLAIN) {
        if (!an.blockPlain) {
          style = Style.SINGLE;
        }
        if (s.isEmpty() && simpleKey) {
          style = Style.SINGLE;
        }
      }
      if (style == Style.SINGLE && !an.singleQuoted) {
        style = Style.DOUBLE;
      }
      if (style == Style.LITERAL && (!an.block || simpleKey)) {
        style = Style.DOUBLE;
      }
      return switch (style) {
        case PLAIN -> s;
        case SINGLE -> "'" + s.replace("'", "''") + "'";
        case DOUBLE -> doubleQuoted(s);
        case LITERAL -> literal(s, col + 2);
      };
    }

    private String literal(String s, int contentIndent) {
      StringBuilder sb = new StringBuilder("|");
      if (isSpace(s.codePointAt(0)) || isBreak(s.codePointAt(0))) {
        sb.append('2');
      }
      int last = s.codePointBefore(s.length());
      if (!isBreak(last)) {
        sb.append('-');
      } else if (s.length() == 1) {
        sb.append('+');
      } else if (isBreak(s.codePointBefore(s.length() - 1))) {
        sb.append('+');
      }
      sb.append('\n');
      boolean atLineStart = true;
      for (int i = 0; i < s.length(); ) {
        int cp = s.codePointAt(i);
        i += Character.charCount(cp);
        if (isBreak(cp)) {
          sb.append('\n');
          atLineStart = true;
        } else {
          if (atLineStart) {
            sb.append(" ".repeat(contentIndent));
            atLineStart = false;
          }
          sb.appendCodePoint(cp);
        }
      }
      // the caller adds the line break that ends the last line; a trailing break is already there
      if (isBreak(last)) {
        sb.setLength(sb.length() - 1);
      }
      return sb.toString();
    }

    private static String doubleQuoted(String s) {
      StringBuilder sb = new StringBuilder("\"");
      for (int i = 0; i < s.length(); ) {
        int cp = s.codePointAt(i);
        i += Character.charCount(cp);
        if (!isPrintable(cp) || cp == 0xFEFF || isBreak(cp) || cp == '"' || cp == '\\') {
          sb.append('\\');
          switch (cp) {
            case 0x00 -> sb.append('0');
            case 0x07 -> sb.append('a');
            case 0x08 -> sb.append('b');
            case 0x09 -> sb.append('t');
            case 0x0A -> sb.append('n');
            case 0x0B -> sb.append('v');
            case 0x0C -> sb.append('f');
            case 0x0D -> sb.append('r');
            case 0x1B -> sb.append('e');
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case 0x85 -> sb.append('N');
            case 0xA0 -> sb.append('_');
            case 0x2028 -> sb.append('L');
            case 0x2029 -> sb.append('P');
            default -> {
              if (cp <= 0xFF) {
                sb.append('x').append(String.format("%02X", cp));
              } else if (cp <= 0xFFFF) {
                sb.append('u').append(String.format("%04X", cp));
              } else {
                sb.append('U').append(String.format("%08X", cp));
              }
            }
          }
        } else {
          sb.appendCodePoint(cp);
        }
      }
      return sb.append('"').toString();
    }
  }

  /** Whether go-yaml v3 would read s, written plain, back as a string (timestamps and "<<" are not). */
  private static boolean resolvesToString(String s) {
    if (s.isEmpty() || s.equals("<<") || TIMESTAMP.matcher(s).matches()) {
      return false;
    }
    return resolvePlain(s) instanceof String;
  }

  private static boolean isOldBool(String s) {
    return switch (s) {
      case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF" -> true;
      default -> false;
    };
  }

  /** go-yaml's (libyaml's) printable set: no C0/C1 controls, no surrogates, nothing beyond U+FFFD. */
  private static boolean isPrintable(int cp) {
    return cp == 0x0A || (cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xD7FF)
        || (cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF);
  }

  private static boolean isBreak(int cp) {
    return cp == '\r' || cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
  }

  private static boolean isSpace(int cp) {
    return cp == ' ';
  }

  private static boolean isBlank(int cp) {
    return cp == ' ' || cp == '\t';
  }

  private record Analysis(boolean multiline, boolean blockPlain, boolean singleQuoted, boolean block) {}

  /** libyaml's scalar analysis, for the block context. */
  private static Analysis analyze(String s) {
    if (s.isEmpty()) {
      return new Analysis(false, true, true, false);
    }
    boolean blockIndicators = s.startsWith("---") || s.startsWith("...");
    boolean lineBreaks = false;
    boolean special = false;
    boolean tabs = false;
    boolean leadingSpace = false;
    boolean leadingBreak = false;
    boolean trailingSpace = false;
    boolean trailingBreak = false;
    boolean breakSpace = false;
    boolean spaceBreak = false;
    boolean precededByWhitespace = true;
    boolean previousSpace = false;
    boolean previousBreak = false;
    int[] cps = s.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int c = cps[i];
      boolean followedByWhitespace = i + 1 >= cps.length || isBlank(cps[i + 1]) || isBreak(cps[i + 1]);
      if (i == 0) {
        switch (c) {
          case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`' -> blockIndicators = true;
          case '?', ':' -> {
            if (followedByWhitespace) {
              blockIndicators = true;
            }
          }
          case '-' -> {
            if (followedByWhitespace) {
              blockIndicators = true;
            }
          }
          default -> { }
        }
      } else {
        if (c == ':' && followedByWhitespace) {
          blockIndicators = true;
        } else if (c == '#' && precededByWhitespace) {
          blockIndicators = true;
        }
      }
      if (c == '\t') {
        tabs = true;
      } else if (!isPrintable(c)) {
        special = true;
      }
      if (isSpace(c)) {
        if (i == 0) {
          leadingSpace = true;
        }
        if (i == cps.length - 1) {
          trailingSpace = true;
        }
        if (previousBreak) {
          breakSpace = true;
        }
        previousSpace = true;
        previousBreak = false;
      } else if (isBreak(c)) {
        lineBreaks = true;
        if (i == 0) {
          leadingBreak = true;
        }
        if (i == cps.length - 1) {
          trailingBreak = true;
        }
        if (previousSpace) {
          spaceBreak = true;
        }
        previousSpace = false;
        previousBreak = true;
      } else {
        previousSpace = false;
        previousBreak = false;
      }
      precededByWhitespace = isBlank(c) || isBreak(c);
    }
    boolean blockPlain = true;
    boolean singleQuoted = true;
    boolean block = true;
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
      blockPlain = false;
    }
    if (trailingSpace) {
      block = false;
    }
    if (breakSpace) {
      blockPlain = false;
      singleQuoted = false;
    }
    if (spaceBreak || tabs || special) {
      blockPlain = false;
      singleQuoted = false;
    }
    if (spaceBreak || special) {
      block = false;
    }
    if (lineBreaks) {
      blockPlain = false;
    }
    if (blockIndicators) {
      blockPlain = false;
    }
    return new Analysis(lineBreaks, blockPlain, singleQuoted, block);
  }
}
