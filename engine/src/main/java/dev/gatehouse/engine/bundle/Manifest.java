package dev.gatehouse.engine.bundle;

import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bundle's {@code .manifest}: revision, the roots the bundle owns ({@code null} means the
 * whole data tree, {@code [""]}), the Rego version of its modules, per-file versions keyed by glob
 * pattern, and free-form metadata ({@code null} when absent).
 */
public record Manifest(String revision, List<String> roots, Integer regoVersion,
    Map<String, Integer> fileRegoVersions, ObjectValue metadata) {

  public static final Manifest EMPTY = new Manifest("", null, null, Map.of(), null);

  public Manifest {
    revision = revision == null ? "" : revision;
    roots = roots == null ? null : List.copyOf(roots);
    fileRegoVersions = fileRegoVersions == null ? Map.of() : Map.copyOf(new TreeMap<>(fileRegoVersions));
  }

  public Manifest withRevision(String r) {
    return new Manifest(r, roots, regoVersion, fileRegoVersions, metadata);
  }

  public Manifest withRoots(List<String> r) {
    return new Manifest(revision, r, regoVersion, fileRegoVersions, metadata);
  }

  public Manifest withRegoVersion(Integer v) {
    return new Manifest(revision, roots, v, fileRegoVersions, metadata);
  }

  /** The roots with OPA's defaults applied: {@code [""]} when unset, leading/trailing slashes trimmed. */
  public List<String> effectiveRoots() {
    if (roots == null) {
      return List.of("");
    }
    List<String> out = new ArrayList<>(roots.size());
    for (String r : roots) {
      out.add(trimSlashes(r));
    }
    return out;
  }

  /** True when nothing is set: OPA omits such a manifest when writing a bundle. */
  public boolean isEmpty() {
    return revision.isEmpty() && (roots == null || roots.equals(List.of(""))) && regoVersion == null
        && fileRegoVersions.isEmpty() && (metadata == null || metadata.isEmpty());
  }

  /**
   * The Rego version for a module at this path (relative to the bundle root): the first matching
   * file pattern in sorted order, else the bundle's version, else {@code def}.
   */
  public RegoVersion regoVersionFor(String path, RegoVersion def) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    for (Map.Entry<String, Integer> e : new TreeMap<>(fileRegoVersions).entrySet()) {
      if (globMatches(e.getKey(), p) || globMatches(e.getKey(), "/" + p)) {
        return toVersion(e.getValue(), path);
      }
    }
    return regoVersion == null ? def : toVersion(regoVersion, path);
  }

  private static RegoVersion toVersion(int v, String path) {
    return switch (v) {
      case 0 -> RegoVersion.V0;
      case 1 -> RegoVersion.V1;
      default -> throw new BundleException("unknown bundle rego-version " + v + " for file '" + path + "'");
    };
  }

  /** Checks what OPA checks on load: no overlapping roots and known Rego versions. */
  void validate() {
    List<String> rs = effectiveRoots();
    for (int i = 0; i < rs.size(); i++) {
      for (int j = i + 1; j < rs.size(); j++) {
        if (Roots.overlap(rs.get(i), rs.get(j))) {
          throw new BundleException("manifest has overlapped roots: '" + rs.get(i) + "' and '" + rs.get(j) + "'");
        }
      }
    }
    if (regoVersion != null && regoVersion != 0 && regoVersion != 1) {
      throw new BundleException("manifest has unknown rego-version " + regoVersion);
    }
    for (Map.Entry<String, Integer> e : new TreeMap<>(fileRegoVersions).entrySet()) {
      if (e.getValue() != 0 && e.getValue() != 1) {
        throw new BundleException("manifest has unknown rego-version " + e.getValue() + " for file '"
            + e.getKey() + "'");
      }
    }
  }

  /** Reads a {@code .manifest}; unknown fields are ignored, as OPA does. */
  public static Manifest parse(byte[] json) {
    Value v;
    try {
      v = Json.parse(new String(json, StandardCharsets.UTF_8));
    } catch (ValueFormatException e) {
      throw new BundleException("bundle load failed on manifest decode: " + e.getMessage());
    }
    if (!(v instanceof ObjectValue o)) {
      throw new BundleException("bundle load failed on manifest decode: json: cannot unmarshal "
          + goType(v) + " into Go value of type bundle.Manifest");
    }
    String revision = "";
    if (o.get("revision") != null) {
      revision = stringField(o.get("revision"), "revision");
    }
    List<String> roots = null;
    Value r = o.get("roots");
    if (r != null && !(r instanceof dev.gatehouse.engine.value.NullValue)) {
      if (!(r instanceof ArrayValue a)) {
        throw fieldError(r, "roots", "[]string");
      }
      roots = new ArrayList<>();
      for (Value e : a.elements()) {
        roots.add(stringField(e, "roots"));
      }
    }
    Integer regoVersion = null;
    if (o.get("rego_version") != null && !(o.get("rego_version") instanceof dev.gatehouse.engine.value.NullValue)) {
      regoVersion = intField(o.get("rego_version"), "rego_version");
    }
    Map<String, Integer> files = new TreeMap<>();
    if (o.get("file_rego_versions") instanceof ObjectValue fo) {
      for (Value k : fo.keys()) {
        files.put(((StringValue) k).value(), intField(fo.get(k), "file_rego_versions"));
      }
    }
    ObjectValue metadata = o.get("metadata") instanceof ObjectValue mo ? mo : null;
    return new Manifest(revision, roots, regoVersion, files, metadata);
  }

  /**
   * The manifest as OPA writes it: Go struct field order (revision, roots, rego_version,
   * file_rego_versions, metadata), empty fields omitted, one trailing newline. Written by hand
   * because object values serialise with sorted keys.
   */
  public String toJson() {
    StringBuilder sb = new StringBuilder("{\"revision\":");
    Json.quote(revision, sb);
    sb.append(",\"roots\":[");
    List<String> rs = effectiveRoots();
    for (int i = 0; i < rs.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      Json.quote(rs.get(i), sb);
    }
    sb.append(']');
    if (regoVersion != null) {
      sb.append(",\"rego_version\":").append(regoVersion);
    }
    if (!fileRegoVersions.isEmpty()) {
      sb.append(",\"file_rego_versions\":{");
      boolean first = true;
      for (Map.Entry<String, Integer> e : new TreeMap<>(fileRegoVersions).entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        Json.quote(e.getKey(), sb);
        sb.append(':').append(e.getValue());
      }
      sb.append('}');
    }
    if (metadata != null && !metadata.isEmpty()) {
      sb.append(",\"metadata\":");
      Json.write(metadata, sb);
    }
    return sb.append("}\n").toString();
  }

  /** The manifest as a JSON object in OPA's field order (roots defaulted to {@code [""]}). */
  public ObjectValue toValue() {
    ObjectValue.Builder b = ObjectValue.builder().put("revision", StringValue.of(revision));
    b.put("roots", ArrayValue.of(effectiveRoots().stream().map(StringValue::of).toList()));
    if (regoVersion != null) {
      b.put("rego_version", NumberValue.of(regoVersion));
    }
    if (!fileRegoVersions.isEmpty()) {
      ObjectValue.Builder f = ObjectValue.builder();
      new TreeMap<>(fileRegoVersions).forEach((k, v) -> f.put(k, NumberValue.of(v)));
      b.put("file_rego_versions", f.build());
    }
    if (metadata != null && !metadata.isEmpty()) {
      b.put("metadata", metadata);
    }
    return b.build();
  }

  static String trimSlashes(String s) {
    int a = 0;
    int z = s.length();
    while (a < z && s.charAt(a) == '/') {
      a++;
    }
    while (z > a && s.charAt(z - 1) == '/') {
      z--;
    }
    return s.substring(a, z);
  }

  private static String stringField(Value v, String field) {
    if (v instanceof StringValue s) {
      return s.value();
    }
    throw fieldError(v, field, "string");
  }

  private static int intField(Value v, String field) {
    if (v instanceof NumberValue n && n.isLong()) {
      return (int) n.longValue();
    }
    throw fieldError(v, field, "int");
  }

  private static BundleException fieldError(Value v, String field, String type) {
    return new BundleException("bundle load failed on manifest decode: json: cannot unmarshal " + goType(v)
        + " into Go struct field Manifest." + field + " of type " + type);
  }

  private static String goType(Value v) {
    return switch (v.typeName()) {
      case "string" -> "string";
      case "number" -> "number";
      case "boolean" -> "bool";
      case "array" -> "array";
      case "object" -> "object";
      default -> v.typeName();
    };
  }

  /** Glob as OPA's manifest patterns use it: no separators, so {@code *} also spans {@code /}. */
  static boolean globMatches(String pattern, String path) {
    return com.google.re2j.Pattern.matches(globToRegex(pattern), path);
  }

  private static String globToRegex(String g) {
    StringBuilder sb = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      switch (c) {
        case '*' -> {
          sb.append(".*");
          while (i + 1 < g.length() && g.charAt(i + 1) == '*') {
            i++;
          }
        }
        case '?' -> sb.append('.');
        case '{' -> {
          sb.append("(?:");
          depth++;
        }
        case '}' -> {
          if (depth > 0) {
            sb.append(')');
            depth--;
          } else {
            sb.append("\\}");
          }
        }
        case ',' -> sb.append(depth > 0 ? "|" : ",");
        case '[' -> {
          int end = g.indexOf(']', i + 1);
          if (end < 0) {
            sb.append("\\[");
          } else {
            String cls = g.substring(i + 1, end);
            if (cls.startsWith("!")) {
              cls = "^" + cls.substring(1);
            }
            sb.append('[').append(cls.replace("\\", "\\\\")).append(']');
            i = end;
          }
        }
        case '\\' -> {
          if (i + 1 < g.length()) {
            sb.append(com.google.re2j.Pattern.quote(String.valueOf(g.charAt(++i))));
          }
        }
        default -> sb.append(com.google.re2j.Pattern.quote(String.valueOf(c)));
      }
    }
    return sb.toString();
  }
}
