package dev.gatehouse.injector.inject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Per-pod overrides, read from {@code sidecar.gatehouse.dev/*} annotations. Any key under that
 * prefix that is not known, or a value that does not parse, is an {@link InjectionException}:
 * a typo must not silently produce a sidecar the author did not ask for.
 *
 * @param image {@code sidecar.gatehouse.dev/image}
 * @param nativeSidecar {@code sidecar.gatehouse.dev/native} ({@code "true"}/{@code "false"})
 * @param cpuRequest {@code sidecar.gatehouse.dev/cpu-request}, a Kubernetes quantity
 * @param cpuLimit {@code sidecar.gatehouse.dev/cpu-limit}
 * @param memoryRequest {@code sidecar.gatehouse.dev/memory-request}
 * @param memoryLimit {@code sidecar.gatehouse.dev/memory-limit}
 * @param bundleServiceUrl {@code sidecar.gatehouse.dev/bundle-service-url}
 */
public record Overrides(String image, Boolean nativeSidecar, String cpuRequest, String cpuLimit,
    String memoryRequest, String memoryLimit, String bundleServiceUrl) {

  public static final String PREFIX = "sidecar.gatehouse.dev/";
  static final Set<String> KEYS = new TreeSet<>(Set.of("image", "native", "cpu-request", "cpu-limit",
      "memory-request", "memory-limit", "bundle-service-url"));

  /** Kubernetes resource quantity: a decimal number with a binary/decimal suffix or an exponent. */
  private static final Pattern QUANTITY = Pattern.compile(
      "(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");
  /** An OCI image reference, loosely: no whitespace, no scheme, not empty. */
  private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]*");

  public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null);

  public static Overrides from(Map<String, String> annotations) {
    String image = null;
    Boolean nativeSidecar = null;
    String cpuRequest = null;
    String cpuLimit = null;
    String memoryRequest = null;
    String memoryLimit = null;
    String bundle = null;
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      if (!e.getKey().startsWith(PREFIX)) {
        continue;
      }
      String key = e.getKey().substring(PREFIX.length());
      String value = e.getValue() == null ? "" : e.getValue().trim();
      switch (key) {
        case "image" -> {
          if (!IMAGE.matcher(value).matches() || value.length() > 512) {
            throw invalid(key, value, "an image reference such as registry.example/gatehouse:1.2");
          }
          image = value;
        }
        case "native" -> {
          if (!value.equals("true") && !value.equals("false")) {
            throw invalid(key, value, "\"true\" or \"false\"");
          }
          nativeSidecar = value.equals("true");
        }
        case "cpu-request" -> cpuRequest = quantity(key, value);
        case "cpu-limit" -> cpuLimit = quantity(key, value);
        case "memory-request" -> memoryRequest = quantity(key, value);
        case "memory-limit" -> memoryLimit = quantity(key, value);
        case "bundle-service-url" -> {
          try {
            URI u = new URI(value);
            if (u.getScheme() == null || !(u.getScheme().equals("https") || u.getScheme().equals("http"))
                || u.getHost() == null) {
              throw invalid(key, value, "an http(s) URL");
            }
          } catch (URISyntaxException ex) {
            throw invalid(key, value, "an http(s) URL");
          }
          bundle = value;
        }
        default -> throw new InjectionException("unknown annotation " + e.getKey() + " (known: "
            + String.join(", ", KEYS.stream().map(k -> PREFIX + k).toList()) + ")");
      }
    }
    return new Overrides(image, nativeSidecar, cpuRequest, cpuLimit, memoryRequest, memoryLimit, bundle);
  }

  private static String quantity(String key, String value) {
    if (!QUANTITY.matcher(value).matches()) {
      throw invalid(key, value, "a Kubernetes quantity such as 100m, 0.5 or 128Mi");
    }
    return value;
  }

  private static InjectionException invalid(String key, String value, String expected) {
    return new InjectionException("annotation " + PREFIX + key + ": expected " + expected + ", got \"" + value + "\"");
  }
}
