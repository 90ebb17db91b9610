package dev.gatehouse.engine.builtins.http;

import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.builtins.core.GoDuration;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.net.ssl.SSLException;

/**
 * http.send as OPA 1.22 behaves: request options, the response object, raise_error, retries, and
 * its two caches (per query, and across queries for {@code cache}/{@code force_cache}).
 */
final class HttpSend {
  private HttpSend() {}

  static final String NETWORK_ERR = "eval_http_send_network_error";
  static final String INTERNAL_ERR = "eval_http_send_internal_error";
  private static final long DEFAULT_TIMEOUT_NANOS = 5_000_000_000L;
  private static final Set<Integer> CACHEABLE = Set.of(200, 203, 204, 206, 300, 301, 404, 405, 410, 414, 501);
  private static final Set<String> MUST_BE_STRING = Set.of("method", "url", "raw_body", "tls_ca_cert",
      "tls_ca_cert_file", "tls_ca_cert_env_variable", "tls_client_cert", "tls_client_cert_file",
      "tls_client_cert_env_variable", "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable",
      "tls_server_name");
  static final String USER_AGENT = "Gatehouse (Open-Policy-Agent/1.22.2 compatible)";

  /** A failed send: the code and message of the error object, and the message raised instead. */
  static final class Failure extends RuntimeException {
    final String code;
    final String raised;

    Failure(String code, String message, String raised) {
      super(message, null, false, false);
      this.code = code;
      this.raised = raised;
    }

    static Failure internal(String message) {
      return new Failure(INTERNAL_ERR, message, message);
    }
  }

  static Value call(BuiltinContext ctx, Value[] args) {
    if (!(args[0] instanceof ObjectValue req)) {
      throw BuiltinException.operandType(1, args[0], "object");
    }
    boolean raise = true;
    Value re = req.get("raise_error");
    if (re != null) {
      if (!(re instanceof BooleanValue b)) {
        throw BuiltinException.error("invalid value for raise_error field");
      }
      raise = b.value();
    }
    try {
      HttpRequests.validate(req, 1);
    } catch (BuiltinException e) {
      if (raise) {
        throw e;
      }
      String where = ctx.location() == null ? "" : ctx.location() + ": ";
      return errorResult(INTERNAL_ERR, where + (e.isTypeError() ? "eval_type_error" : "eval_builtin_error")
          + ": http.send: " + e.getMessage());
    }
    try {
      return respond(ctx, req);
    } catch (Failure f) {
      if (raise) {
        throw BuiltinException.error(f.raised);
      }
      return errorResult(f.code, f.getMessage());
    }
  }

  static ObjectValue errorResult(String code, String message) {
    return ObjectValue.of("status_code", NumberValue.ZERO,
        "error", ObjectValue.of("code", StringValue.of(code), "message", StringValue.of(message)));
  }

  // ---- caching

  private static Value respond(BuiltinContext ctx, ObjectValue req) {
    ObjectValue key = cacheKey(req);
    Object queryKey = List.of("http.send", key);
    Object seen = ctx.queryCache().get(queryKey);
    if (seen instanceof Value v) {
      return v;
    }
    if (seen instanceof Failure f) {
      throw f;
    }
    boolean forceCache = bool(req, "force_cache");
    boolean interQuery = bool(req, "cache") || forceCache;
    long forceSeconds = forceCache ? forceSeconds(req) : 0;
    boolean json = bool(key, "force_json_decode");
    boolean yaml = bool(key, "force_yaml_decode");
    try {
      if (!interQuery) {
        Raw r = execute(ctx, req, Map.of());
        Value v = format(r.status(), r.headers(), r.body(), json, yaml);
        if (CACHEABLE.contains(r.status())) {
          ctx.queryCache().put(queryKey, v);
        }
        return v;
      }
      HttpCache cache = (HttpCache) ctx.sharedCache().computeIfAbsent(HttpCache.KEY, k -> new HttpCache());
      long now = ctx.nowNanos();
      HttpCache.Entry cached = cache.get(key);
      if (cached != null) {
        if (now < cached.expiresAtNanos()) {
          Value v = format(cached.statusCode(), cached.headers(), cached.body(), json, yaml);
          ctx.queryCache().put(queryKey, v);
          return v;
        }
        Value revalidated = revalidate(ctx, req, key, cache, cached, now, forceSeconds, json, yaml);
        if (revalidated != null) {
          ctx.queryCache().put(queryKey, revalidated);
          return revalidated;
        }
      }
      Raw r = execute(ctx, req, Map.of());
      Value v = format(r.status(), r.headers(), r.body(), json, yaml);
      ctx.queryCache().put(queryKey, v);
      store(cache, key, r, now, forceSeconds);
      return v;
    } catch (Failure f) {
      ctx.queryCache().put(queryKey, f);
      throw f;
    }
  }

  /** A stale entry with a validator is checked with the server; null when it must be fetched anew. */
  private static Value revalidate(BuiltinContext ctx, ObjectValue req, ObjectValue key, HttpCache cache,
      HttpCache.Entry cached, long now, long forceSeconds, boolean json, boolean yaml) {
    String etag = header(cached.headers(), "etag");
    String lastModified = header(cached.headers(), "last-modified");
    cache.remove(key);
    if (etag == null && lastModified == null) {
      return null;
    }
    Map<String, String> extra = new LinkedHashMap<>();
    if (etag != null) {
      extra.put("If-None-Match", etag);
    }
    if (lastModified != null) {
      extra.put("If-Modified-Since", lastModified);
    }
    Raw r = execute(ctx, req, extra);
    if (r.status() == 304) {
      Map<String, List<String>> headers = new TreeMap<>(cached.headers());
      headers.putAll(r.headers());
      long expires = forceSeconds > 0 ? now + forceSeconds * 1_000_000_000L : expiry(headers);
      cache.put(key, new HttpCache.Entry(cached.statusCode(), cached.status(), headers, cached.body(), expires));
      return format(cached.statusCode(), headers, cached.body(), json, yaml);
    }
    if (r.status() == 200) {
      store(cache, key, r, now, forceSeconds);
      return format(r.status(), r.headers(), r.body(), json, yaml);
    }
    return null;
  }

  private static void store(HttpCache cache, ObjectValue key, Raw r, long now, long forceSeconds) {
    if (!CACHEABLE.contains(r.status())) {
      return;
    }
    if (forceSeconds <= 0 && cacheControl(r.headers()).containsKey("no-store")) {
      return;
    }
    long expires;
    if (forceSeconds > 0) {
      expires = now + forceSeconds * 1_000_000_000L;
    } else {
      try {
        expires = expiry(r.headers());
      } catch (IllegalArgumentException e) {
        return; // e.g. max-age without a Date header: OPA skips caching
      }
    }
    cache.put(key, new HttpCache.Entry(r.status(), statusText(r.status()), r.headers(), r.body(), expires));
  }

  /** max-age counted from the Date header, else Expires; no usable header means already stale. */
  static long expiry(Map<String, List<String>> headers) {
    Map<String, String> cc = cacheControl(headers);
    String maxAge = cc.get("max-age");
    if (maxAge != null) {
      long age;
      try {
        age = Math.min(Long.parseLong(maxAge), Integer.MAX_VALUE);
      } catch (NumberFormatException e) {
        if (maxAge.matches("\\d+")) {
          age = Integer.MAX_VALUE;
        } else {
          throw new IllegalArgumentException("invalid max-age " + maxAge);
        }
      }
      String date = header(headers, "date");
      if (date == null) {
        throw new IllegalArgumentException("no date header");
      }
      return httpTime(date) + age * 1_000_000_000L;
    }
    String expires = header(headers, "expires");
    if (expires == null) {
      return Long.MIN_VALUE;
    }
    try {
      return httpTime(expires);
    } catch (IllegalArgumentException e) {
      return Long.MIN_VALUE;
    }
  }

  private static long httpTime(String s) {
    try {
      ZonedDateTime t = ZonedDateTime.parse(s.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
      return t.toEpochSecond() * 1_000_000_000L + t.getNano();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("invalid date " + s);
    }
  }

  static Map<String, String> cacheControl(Map<String, List<String>> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    String cc = header(headers, "cache-control");
    if (cc == null) {
      return out;
    }
    for (String part : cc.split(",")) {
      part = part.strip();
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq < 0) {
        out.put(part, "");
      } else if (eq == part.lastIndexOf('=')) {
        out.put(part.substring(0, eq).strip(), part.substring(eq + 1));
      }
    }
    return out;
  }

  private static String header(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The cache key: the request without the ignored headers, and without the ignore list itself. */
  static ObjectValue cacheKey(ObjectValue req) {
    Value ignored = req.get("cache_ignored_headers");
    Value headers = req.get("headers");
    if (ignored == null || headers == null) {
      return req.with(StringValue.of("cache_ignored_headers"), NullValue.INSTANCE);
    }
    if (!(ignored instanceof ArrayValue list) || !list.elements().stream().allMatch(v -> v instanceof StringValue)) {
      throw Failure.internal("cache_ignored_headers must be an array of strings");
    }
    ObjectValue.Builder kept = ObjectValue.builder();
    if (headers instanceof ObjectValue h) {
      h.forEach((k, v) -> {
        if (!list.elements().contains(k)) {
          kept.put(k, v);
        }
      });
    }
    return req.with(StringValue.of("headers"), kept.build())
        .with(StringValue.of("cache_ignored_headers"), NullValue.INSTANCE);
  }

  private static boolean bool(ObjectValue req, String key) {
    Value v = req.get(key);
    if (v == null) {
      return false;
    }
    if (!(v instanceof BooleanValue b)) {
      throw Failure.internal("invalid value for \"" + key + "\" field");
    }
    return b.value();
  }

  private static long forceSeconds(ObjectValue req) {
    Value v = req.get("force_cache_duration_seconds");
    if (v == null) {
      throw Failure.internal("'force_cache' set but 'force_cache_duration_seconds' parameter is missing");
    }
    try {
      return Integer.parseInt(v.toString());
    } catch (NumberFormatException e) {
      throw Failure.internal("strconv.ParseInt: parsing " + goQuote(v.toString()) + ": invalid syntax");
    }
  }

  // ---- the request

  record Raw(int status, Map<String, List<String>> headers, byte[] body) {}

  private record Options(String method, String url, byte[] body, Map<String, String> headers, long timeoutNanos,
      boolean redirects, HttpTls.Settings tls, String serverName, int retries) {}

  private static Options options(ObjectValue req) {
    String method = "";
    String url = "";
    byte[] body = null;
    boolean raw = false;
    Map<String, String> headers = new LinkedHashMap<>();
    long timeout = DEFAULT_TIMEOUT_NANOS;
    boolean redirects = false;
    boolean systemCerts = false;
    boolean insecure = false;
    String serverName = null;
    List<X509Certificate> cas = new ArrayList<>();
    String clientCert = null;
    String clientKey = null;
    for (Value k : req.keys()) {
      String key = ((StringValue) k).value();
      Value v = req.get(k);
      String str = null;
      if (v instanceof StringValue s) {
        str = trimQuotes(s.value());
      } else if (MUST_BE_STRING.contains(key)) {
        throw Failure.internal("\"" + key + "\" must be a string");
      }
      switch (key) {
        case "method" -> method = str.toUpperCase(Locale.ROOT);
        case "url" -> url = str;
        case "enable_redirect" -> redirects = parseBool(v);
        case "body" -> {
          if (!raw) {
            body = Json.write(v).getBytes(StandardCharsets.UTF_8);
          }
        }
        case "raw_body" -> {
          body = str.getBytes(StandardCharsets.UTF_8);
          raw = true;
        }
        case "tls_use_system_certs" -> systemCerts = parseBool(v);
        case "tls_ca_cert" -> cas.addAll(certs(str.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8)));
        case "tls_ca_cert_file" -> cas.addAll(certs(readFile(str)));
        case "tls_ca_cert_env_variable" -> cas.addAll(certs(env(str).getBytes(StandardCharsets.UTF_8)));
        case "tls_client_cert" -> clientCert = str;
        case "tls_client_cert_file" -> clientCert = new String(readFile(str), StandardCharsets.UTF_8);
        case "tls_client_cert_env_variable" -> clientCert = env(str);
        case "tls_client_key" -> clientKey = str;
        case "tls_client_key_file" -> clientKey = new String(readFile(str), StandardCharsets.UTF_8);
        case "tls_client_key_env_variable" -> clientKey = env(str);
        case "tls_server_name" -> serverName = str;
        case "tls_insecure_skip_verify" -> insecure = parseBool(v);
        case "headers" -> {
          if (!(v instanceof ObjectValue h)) {
            throw Failure.internal("invalid type for headers key");
          }
          for (Value hk : h.keys()) {
            Value hv = h.get(hk);
            if (!(hv instanceof StringValue hs)) {
              throw Failure.internal("invalid type for headers value " + hv);
            }
            headers.put(canonicalHeader(hk instanceof StringValue s ? s.value() : hk.toString()), hs.value());
          }
        }
        case "timeout" -> timeout = timeout(v);
        case "cache", "caching_mode", "force_cache", "force_cache_duration_seconds", "force_json_decode",
            "force_yaml_decode", "raise_error", "max_retry_attempts", "cache_ignored_headers" -> { }
        default -> throw Failure.internal("invalid parameter \"" + key + "\"");
      }
    }
    int retries = retries(req);
    byte[] cert = clientCert == null ? null : clientCert.getBytes(StandardCharsets.UTF_8);
    byte[] keyPem = clientKey == null ? null : clientKey.getBytes(StandardCharsets.UTF_8);
    if (cert == null || keyPem == null) {
      cert = null;
      keyPem = null;
    }
    return new Options(method, url, body, headers, timeout, redirects,
        new HttpTls.Settings(cas, systemCerts, cert, keyPem, insecure), serverName, retries);
  }

  private static Raw execute(BuiltinContext ctx, ObjectValue req, Map<String, String> extraHeaders) {
    Options o = options(req);
    URI uri;
    try {
      uri = new URI(o.url());
    } catch (java.net.URISyntaxException e) {
      throw Failure.internal("parse " + goQuote(o.url()) + ": " + e.getReason());
    }
    checkHost(ctx, uri);
    HttpClient client = client(o);
    String op = o.method().isEmpty() ? "Get" : o.method().charAt(0) + o.method().substring(1).toLowerCase(Locale.ROOT);
    IOException last = null;
    for (int attempt = 0; attempt <= o.retries(); attempt++) {
      ctx.checkCancelled();
      if (attempt > 0) {
        sleep(ctx, backoffMillis(attempt - 1));
      }
      try {
        return send(ctx, client, o, uri, extraHeaders);
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Failure.internal("http.send interrupted");
      }
    }
    throw networkFailure(op, o.url(), uri, last);
  }

  /** One exchange, following redirects by hand when asked so each hop passes the host check. */
  private static Raw send(BuiltinContext ctx, HttpClient client, Options o, URI uri, Map<String, String> extra)
      throws IOException, InterruptedException {
    String method = o.method();
    byte[] body = o.body();
    URI target = uri;
    for (int hops = 0; ; hops++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(target);
      if (o.timeoutNanos() > 0) {
        b.timeout(Duration.ofNanos(o.timeoutNanos()));
      }
      boolean ua = false;
      for (Map.Entry<String, String> h : o.headers().entrySet()) {
        if (h.getKey().equals("Host")) {
          throw Failure.internal("the Host header cannot be set by http.send here (use the URL's host)");
        }
        ua |= h.getKey().equals("User-Agent");
        b.header(h.getKey(), h.getValue());
      }
      if (!ua) {
        b.header("User-Agent", USER_AGENT);
      }
      extra.forEach(b::header);
      HttpRequest.BodyPublisher pub = body == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofByteArray(body);
      b.method(method.isEmpty() ? "GET" : method, pub);
      HttpResponse<byte[]> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      int status = resp.statusCode();
      String location = resp.headers().firstValue("location").orElse(null);
      if (o.redirects() && location != null && (status == 301 || status == 302 || status == 303 || status == 307
          || status == 308)) {
        if (hops >= 10) {
          throw new IOException("stopped after 10 redirects");
        }
        target = target.resolve(location);
        checkHost(ctx, target);
        if (status != 307 && status != 308 && !method.equals("HEAD")) {
          method = "GET";
          body = null;
        }
        continue;
      }
      Map<String, List<String>> headers = new TreeMap<>();
      resp.headers().map().forEach((k, v) -> {
        String lower = k.toLowerCase(Locale.ROOT);
        if (!lower.startsWith(":") && !lower.equals("transfer-encoding")) {
          headers.computeIfAbsent(lower, x -> new ArrayList<>()).addAll(v);
        }
      });
      return new Raw(status, headers, resp.body());
    }
  }

  private static void checkHost(BuiltinContext ctx, URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!ctx.network().allows(host)) {
      throw Failure.internal("disallowed host: " + host + " (not allowed by the embedder's network policy)");
    }
  }

  private static HttpClient client(Options o) {
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (o.timeoutNanos() > 0) {
      b.connectTimeout(Duration.ofNanos(o.timeoutNanos()));
    }
    if (!o.tls().isDefault()) {
      try {
        b.sslContext(HttpTls.context(o.tls()));
      } catch (GeneralSecurityException e) {
        throw Failure.internal(e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
    if (o.serverName() != null && !o.serverName().isEmpty()) {
      javax.net.ssl.SSLParameters p = new javax.net.ssl.SSLParameters();
      p.setServerNames(List.of(new javax.net.ssl.SNIHostName(o.serverName())));
      b.sslParameters(p);
    }
    return b.build();
  }

  /** Go's url.Error wording for what the JDK reports. */
  private static Failure networkFailure(String op, String url, URI uri, IOException e) {
    String quoted = op + " " + goQuote(url) + ": ";
    if (e instanceof HttpConnectTimeoutException || e instanceof HttpTimeoutException) {
      return new Failure(NETWORK_ERR,
          quoted + "context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
          op + " " + url + ": request timed out");
    }
    String hostPort = uri.getHost() + ":" + (uri.getPort() >= 0 ? uri.getPort()
        : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
    String reason;
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (e instanceof ConnectException && (e.getMessage() == null || root instanceof ConnectException)) {
      reason = "dial tcp " + hostPort + ": connect: connection refused";
    } else if (e instanceof UnknownHostException || root instanceof UnknownHostException
        || root instanceof UnresolvedAddressException) {
      reason = "dial tcp: lookup " + uri.getHost() + ": no such host";
    } else if (e instanceof SSLException || root instanceof java.security.cert.CertificateException
        || root instanceof java.security.cert.CertPathBuilderException) {
      String m = root.getMessage() == null ? "" : root.getMessage();
      if (m.contains("PKIX") || root instanceof java.security.cert.CertPathBuilderException) {
        reason = "tls: failed to verify certificate: x509: certificate signed by unknown authority";
      } else if (m.contains("subject alternative") || m.contains("No name matching")) {
        reason = "tls: failed to verify certificate: x509: certificate is not valid for " + uri.getHost();
      } else {
        reason = "tls: " + m;
      }
    } else {
      reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return new Failure(NETWORK_ERR, quoted + reason, quoted + reason);
  }

  private static long backoffMillis(int attempt) {
    double d = 100 * Math.pow(2, attempt);
    d = Math.min(d, 60_000);
    // jitter of ±10% keeps retries of many evaluations from marching in step
    return (long) (d * (0.9 + 0.2 * java.util.concurrent.ThreadLocalRandom.current().nextDouble()));
  }

  private static void sleep(BuiltinContext ctx, long millis) {
    long end = System.nanoTime() + millis * 1_000_000L;
    while (System.nanoTime() < end) {
      ctx.checkCancelled();
      try {
        Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000L)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Failure.internal("http.send interrupted");
      }
    }
  }

  private static int retries(ObjectValue req) {
    Value v = req.get("max_retry_attempts");
    if (v == null) {
      return 0;
    }
    if (v instanceof NumberValue n && n.isInteger() && n.signum() >= 0 && n.intValue().isPresent()) {
      return n.intValue().getAsInt();
    }
    throw Failure.internal("invalid value " + v + " for field \"max_retry_attempts\"");
  }

  private static long timeout(Value v) {
    if (v instanceof NumberValue n) {
      try {
        return Long.parseLong(n.text());
      } catch (NumberFormatException e) {
        throw Failure.internal("invalid timeout number value " + v + ", must be int64");
      }
    }
    if (v instanceof StringValue s) {
      try {
        return Long.parseLong(s.value());
      } catch (NumberFormatException e) {
        try {
          return GoDuration.parse(s.value());
        } catch (BuiltinException d) {
          throw Failure.internal("invalid timeout value " + v + ": " + d.getMessage());
        }
      }
    }
    throw Failure.internal("operand 1 'timeout' must be one of {string, number} but got " + v.typeName());
  }

  private static boolean parseBool(Value v) {
    if (v instanceof BooleanValue b) {
      return b.value();
    }
    throw Failure.internal("strconv.ParseBool: parsing " + goQuote(v.toString()) + ": invalid syntax");
  }

  private static List<X509Certificate> certs(byte[] pem) {
    try {
      List<X509Certificate> cs = HttpTls.certificates(pem);
      if (cs.isEmpty()) {
        throw Failure.internal("could not append certificates");
      }
      return cs;
    } catch (GeneralSecurityException e) {
      throw Failure.internal("could not append certificates");
    }
  }

  private static byte[] readFile(String path) {
    try {
      return Files.readAllBytes(Path.of(path));
    } catch (IOException | RuntimeException e) {
      throw Failure.internal("open " + path + ": no such file or directory");
    }
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null ? "" : v;
  }

  /** OPA strips double quotes from both ends of string options. */
  private static String trimQuotes(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && s.charAt(a) == '"') {
      a++;
    }
    while (b > a && s.charAt(b - 1) == '"') {
      b--;
    }
    return s.substring(a, b);
  }

  /** Go's http.CanonicalHeaderKey: {@code content-type} → {@code Content-Type}. */
  static String canonicalHeader(String k) {
    for (int i = 0; i < k.length(); i++) {
      char c = k.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '-' || "!#$%&'*+.^_`|~".indexOf(c) >= 0) || c > 127) {
        return k; // not a token: Go leaves it alone
      }
    }
    StringBuilder sb = new StringBuilder(k.length());
    boolean upper = true;
    for (char c : k.toCharArray()) {
      sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return sb.toString();
  }

  private static String goQuote(String s) {
    return Json.quote(s);
  }

  // ---- the response

  static ObjectValue format(int status, Map<String, List<String>> headers, byte[] body, boolean forceJson,
      boolean forceYaml) {
    String contentType = header(headers, "content-type");
    Value decoded = NullValue.INSTANCE;
    String text = new String(body, StandardCharsets.UTF_8);
    if (forceJson || isJson(contentType)) {
      try {
        decoded = Json.parse(body);
      } catch (RuntimeException e) {
        decoded = NullValue.INSTANCE;
      }
    } else if (forceYaml || contentType != null
        && (contentType.contains("application/yaml") || contentType.contains("application/x-yaml"))) {
      try {
        decoded = Json.parseYaml(text);
      } catch (RuntimeException e) {
        decoded = NullValue.INSTANCE;
      }
    }
    ObjectValue.Builder hs = ObjectValue.builder();
    headers.forEach((k, v) -> hs.put(k, ArrayValue.of(v.stream().map(StringValue::of).toList())));
    return ObjectValue.of("status", StringValue.of(status + (statusText(status).isEmpty() ? "" : " " + statusText(status))),
        "status_code", NumberValue.of(status),
        "body", decoded,
        "raw_body", StringValue.of(text),
        "headers", hs.build());
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String t = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    int slash = t.indexOf('/');
    if (slash < 0 || t.indexOf('/', slash + 1) >= 0) {
      return false;
    }
    String sub = t.substring(slash + 1);
    return t.startsWith("application/") && (sub.equals("json") || sub.endsWith("+json"));
  }

  /** Go's http.StatusText for the codes servers send. */
  static String statusText(int code) {
    return switch (code) {
      case 100 -> "Continue";
      case 101 -> "Switching Protocols";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 203 -> "Non-Authoritative Information";
      case 204 -> "No Content";
      case 205 -> "Reset Content";
      case 206 -> "Partial Content";
      case 300 -> "Multiple Choices";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 303 -> "See Other";
      case 304 -> "Not Modified";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 402 -> "Payment Required";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 411 -> "Length Required";
      case 412 -> "Precondition Failed";
      case 413 -> "Request Entity Too Large";
      case 414 -> "Request URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 418 -> "I'm a teapot";
      case 422 -> "Unprocessable Entity";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
  }
}
