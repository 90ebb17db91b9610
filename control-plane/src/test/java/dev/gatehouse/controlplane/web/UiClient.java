package dev.gatehouse.controlplane.web;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One "browser" for HTTP-level UI tests: a Vert.x WebClient with its own cookie jar (kept by hand,
 * because the client's own session store would not send a {@code Secure} cookie over plain HTTP,
 * which is exactly what browsers do for loopback) and no automatic redirects, so each test sees
 * every 303 and every Set-Cookie.
 */
final class UiClient {
  static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  final WebClient client;
  final String base;
  final Map<String, String> cookies = new LinkedHashMap<>();
  String origin;

  UiClient(Vertx vertx, String base) {
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setKeepAlive(false));
    this.base = base;
    this.origin = base;
  }

  HttpResponse<Buffer> get(String path) {
    return send(HttpMethod.GET, path, null, Map.of());
  }

  HttpResponse<Buffer> post(String path, MultiMap form) {
    return post(path, form, Map.of("origin", origin, "sec-fetch-site", "same-origin"));
  }

  HttpResponse<Buffer> post(String path, MultiMap form, Map<String, String> headers) {
    return send(HttpMethod.POST, path, form, headers);
  }

  HttpResponse<Buffer> send(HttpMethod m, String path, MultiMap form, Map<String, String> headers) {
    var req = client.requestAbs(m, base + path);
    if (!cookies.isEmpty()) {
      StringBuilder c = new StringBuilder();
      cookies.forEach((k, v) -> c.append(c.length() == 0 ? "" : "; ").append(k).append('=').append(v));
      req.putHeader("cookie", c.toString());
    }
    headers.forEach(req::putHeader);
    try {
      var f = form == null ? req.send() : req.sendForm(form);
      HttpResponse<Buffer> res = f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      for (String sc : res.cookies()) {
        String[] nv = sc.split(";", 2)[0].split("=", 2);
        if (nv.length == 2) {
          if (nv[1].isEmpty() || sc.toLowerCase().contains("max-age=0")) {
            cookies.remove(nv[0]);
          } else {
            cookies.put(nv[0], nv[1]);
          }
        }
      }
      return res;
    } catch (Exception e) {
      throw new AssertionError(m + " " + path + " failed: " + e, e);
    }
  }

  /** The CSRF token in a page's forms. */
  static String csrf(HttpResponse<Buffer> page) {
    Matcher m = CSRF.matcher(page.bodyAsString());
    if (!m.find()) {
      throw new AssertionError("no CSRF token on the page: " + page.bodyAsString());
    }
    return m.group(1);
  }

  /** Signs in with a bearer token through the sign-in form; returns the session's CSRF token. */
  String signIn(String token) {
    HttpResponse<Buffer> form = get("/ui/signin");
    HttpResponse<Buffer> res = post("/ui/signin", MultiMap.caseInsensitiveMultiMap().add("csrf", csrf(form))
        .add("token", token).add("next", "/ui/mine"));
    if (res.statusCode() != 303) {
      throw new AssertionError("sign-in failed: " + res.statusCode() + " " + res.bodyAsString());
    }
    return csrf(get("/ui/mine"));
  }

  void close() {
    client.close();
  }
}
