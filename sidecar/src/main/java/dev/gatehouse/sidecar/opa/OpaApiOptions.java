package dev.gatehouse.sidecar.opa;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Settings of the OPA REST API listener.
 *
 * @param host address to bind ({@code 127.0.0.1} keeps it local to the pod)
 * @param port port, 0 for any free one
 * @param bundleRoots bundle name to the roots its manifest claims, for refusing writes and
 *     policies under them as OPA does; null means "unknown": every active bundle (the names in
 *     {@code ActivePolicy.revisions()}) is taken to own the whole tree, which is OPA's reading of
 *     a manifest without roots, so every write is refused
 * @param maxBodyBytes largest request body accepted (413 beyond)
 * @param tlsCert PEM certificate chain to serve HTTPS with, or null for plain HTTP
 * @param tlsKey PEM private key for {@code tlsCert}
 * @param readOnly refuse {@code PUT/PATCH/DELETE} of policies and data (401 with OPA's
 *     authorization error), for sidecars whose policies must come from bundles only
 * @param moduleSources module file name (as compiled: {@code ast.Module.file()}) to its source,
 *     for the {@code raw} field of {@code GET /v1/policies}; null leaves {@code raw} empty for
 *     bundle modules
 */
public record OpaApiOptions(String host, int port, Supplier<Map<String, List<String>>> bundleRoots, long maxBodyBytes,
    Path tlsCert, Path tlsKey, boolean readOnly, Supplier<Map<String, String>> moduleSources) {
  public static final long DEFAULT_MAX_BODY = 16L * 1024 * 1024;

  public OpaApiOptions {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("TLS needs both a certificate and a key");
    }
  }

  public OpaApiOptions(String host, int port, Supplier<Map<String, List<String>>> bundleRoots, long maxBodyBytes) {
    this(host, port, bundleRoots, maxBodyBytes, null, null, false, null);
  }

  public static OpaApiOptions of(String host, int port) {
    return new OpaApiOptions(host, port, null, DEFAULT_MAX_BODY);
  }

  public OpaApiOptions withBundleRoots(Supplier<Map<String, List<String>>> roots) {
    return new OpaApiOptions(host, port, roots, maxBodyBytes, tlsCert, tlsKey, readOnly, moduleSources);
  }

  public OpaApiOptions withTls(Path cert, Path key) {
    return new OpaApiOptions(host, port, bundleRoots, maxBodyBytes, cert, key, readOnly, moduleSources);
  }

  public OpaApiOptions withReadOnly(boolean ro) {
    return new OpaApiOptions(host, port, bundleRoots, maxBodyBytes, tlsCert, tlsKey, ro, moduleSources);
  }

  public OpaApiOptions withModuleSources(Supplier<Map<String, String>> sources) {
    return new OpaApiOptions(host, port, bundleRoots, maxBodyBytes, tlsCert, tlsKey, readOnly, sources);
  }

  /** Parses {@code host:port}, {@code :port} or {@code port} as OPA's {@code --addr} does. */
  public static OpaApiOptions parseAddr(String addr) {
    String a = addr.trim();
    int colon = a.lastIndexOf(':');
    String host = colon < 0 ? "0.0.0.0" : a.substring(0, colon);
    if (host.isEmpty()) {
      host = "0.0.0.0";
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(colon < 0 ? a : a.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid address " + addr + ": expected host:port");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("invalid address " + addr + ": port out of range");
    }
    return of(host, port);
  }
}
