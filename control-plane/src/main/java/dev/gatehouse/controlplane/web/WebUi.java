package dev.gatehouse.controlplane.web;

import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.api.RateLimit;
import dev.gatehouse.controlplane.auth.AuthResult;
import dev.gatehouse.controlplane.auth.Authenticator;
import dev.gatehouse.controlplane.auth.Identity;
import dev.gatehouse.controlplane.policy.Policies;
import dev.gatehouse.controlplane.service.AccessService;
import dev.gatehouse.controlplane.service.Refusal;
import dev.gatehouse.controlplane.store.AuditEvent;
import dev.gatehouse.controlplane.web.Sessions.Session;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The web UI under {@code /ui/}: server-rendered pages over the same {@link AccessService} calls,
 * with the same {@link Identity} the API would get, as the REST API — the UI has no powers of its
 * own, so whatever the API refuses it refuses too.
 *
 * <p>Security: a server-side session per browser (cookie: random id, HttpOnly, Secure,
 * SameSite=Strict); every form carries the session's synchronizer token, and state-changing
 * requests must also come from this origin ({@code Origin}, {@code Sec-Fetch-Site}); refusals are
 * a 403 page and an {@code access.refused} audit event. Every response carries a strict CSP (no
 * inline script or style), {@code nosniff}, {@code Referrer-Policy: same-origin} (not {@code no-referrer}: with
 * it Chromium sends {@code Origin: null} on the UI's own form posts, which the origin check must refuse)
 * and is not cacheable.
 */
public final class WebUi {
  private static final Logger LOG = Logger.getLogger(WebUi.class.getName());
  public static final String COOKIE = "gatehouse_session";
  /**
   * The OIDC round trip's cookie: SameSite=Lax, because the identity provider's redirect back is a
   * cross-site navigation, on which browsers never send the Strict session cookie. It holds only a
   * random flow id (not the session id), lives 10 minutes, is scoped to {@code /ui/oidc/} and is
   * used once.
   */
  public static final String OIDC_COOKIE = "gatehouse_oidc";
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  static final int MAX_FORM_BYTES = 64 * 1024;
  private static final Identity ANONYMOUS = new Identity("", List.of(), Set.of(), "none");

  private final Vertx vertx;
  private final AccessService service;
  private final Authenticator auth;
  private final Policies policies;
  private final Clock clock;
  private final WebOptions options;
  private final java.util.function.Supplier<String> selfUrl;
  private final Sessions sessions;
  private final OidcLogin oidc;
  private final LiveEvents live;
  private final Pages pages;
  private final RateLimit authAudit = new RateLimit(20, 10_000);
  /** OIDC sign-ins in progress: flow id (the Lax cookie) → the anonymous session holding state, nonce, verifier. */
  private final java.util.concurrent.ConcurrentHashMap<String, Flow> flows = new java.util.concurrent.ConcurrentHashMap<>();

  /** One OIDC round trip: the anonymous session holding its secrets, and where to go afterwards. */
  private record Flow(Session session, String next) {}
  private final byte[] js = resource("app.js");
  private final byte[] css = resource("app.css");

  /**
   * @param selfUrl the control plane's own URL ({@code http://127.0.0.1:8181}) once it listens,
   *     used when no base URL is configured
   */
  public WebUi(Vertx vertx, AccessService service, Authenticator auth, Policies policies, Clock clock,
      WebOptions options, java.util.function.Supplier<String> selfUrl) {
    this.vertx = vertx;
    this.service = service;
    this.auth = auth;
    this.policies = policies;
    this.clock = clock;
    this.options = options == null ? WebOptions.defaults() : options;
    this.selfUrl = selfUrl;
    this.sessions = new Sessions(clock, this.options.idle(), this.options.absolute());
    this.oidc = this.options.oidc() == null ? null : new OidcLogin(this.options.oidc(), sessions::randomId);
    this.live = new LiveEvents(vertx);
    this.pages = new Pages(service, policies, clock);
  }

  private static byte[] resource(String name) {
    try (InputStream in = WebUi.class.getResourceAsStream("/dev/gatehouse/controlplane/web/" + name)) {
      return in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing web resource " + name, e);
    }
  }

  /** The origin pages are served from: the configured base URL, else the control plane's own. */
  String baseUrl() {
    return options.baseUrl() != null ? options.baseUrl() : selfUrl.get();
  }

  String redirectUri() {
    return baseUrl() + "/ui/oidc/callback";
  }

  /** Committed changes, for live pages (wire to the service's audit hook). */
  public void changed(List<AuditEvent> events) {
    live.changed(events);
  }

  public int openStreams() {
    return live.streams();
  }

  public void close() {
    live.close();
  }

  /** A handler body on a worker thread: returns the page, or throws a {@link Refusal}. */
  private interface Work {
    Object run(Session s, MultiMap form) throws Exception;
  }

  /** Adds the UI's routes to the control plane's router: {@code /} redirects to {@code /ui/}. */
  public void mount(Router r) {
    r.route("/ui/*").handler(this::headers);
    r.get("/").handler(ctx -> redirect(headersOnly(ctx), "/ui/"));
    BodyHandler forms = BodyHandler.create(false).setBodyLimit(MAX_FORM_BYTES).setHandleFileUploads(false);
    r.post("/ui/*").handler(forms);
    r.get("/ui/static/app.js").handler(ctx -> asset(ctx, "text/javascript; charset=utf-8", js));
    r.get("/ui/static/app.css").handler(ctx -> asset(ctx, "text/css; charset=utf-8", css));

    r.get("/ui/signin").handler(this::signInPage);
    r.post("/ui/signin").handler(ctx -> post(ctx, false, (s, f) -> signInWithToken(s, f,
        String.valueOf(ctx.request().remoteAddress()))));
    // A GET link, not a form: CSP form-action 'self' also governs where a form's redirects may go,
    // and this one goes to the identity provider. Starting a sign-in changes nothing but this
    // browser's own anonymous session, and only the same browser can finish it (state + cookie).
    r.get("/ui/oidc/start").handler(ctx -> {
      Session s = sessionOf(ctx);
      if (s == null) {
        s = sessions.anonymous();
        ctx.response().addCookie(cookie(s));
      }
      String next = safeNext(ctx.queryParams().get("next"));
      run(ctx, s, ctx.queryParams(), (sess, q) -> oidcStart(sess, next));
    });
    r.get("/ui/oidc/callback").handler(this::oidcCallback);
    r.post("/ui/signout").handler(ctx -> post(ctx, true, (s, f) -> {
      sessions.end(s);
      return new SignedOut();
    }));

    // Vert.x matches "/ui/" against a "/ui" route too (not the reverse): one route, both paths
    r.get("/ui").handler(ctx -> redirect(ctx, "/ui/request"));
    r.get("/ui/request").handler(ctx -> page(ctx, (s, q) -> pages.requestForm(s, null, null, null)));
    r.post("/ui/request").handler(ctx -> post(ctx, true, this::requestPost));
    r.get("/ui/mine").handler(ctx -> page(ctx, (s, q) -> pages.mine(s)));
    r.post("/ui/requests/:id/cancel").handler(ctx -> post(ctx, true, (s, f) -> {
      service.cancel(s.identity, ctx.pathParam("id"));
      s.flash("Request " + ctx.pathParam("id") + " cancelled.", false);
      return new Redirect("/ui/mine");
    }));
    r.get("/ui/review").handler(ctx -> page(ctx, (s, q) -> pages.inbox(s)));
    r.post("/ui/requests/:id/review").handler(ctx -> post(ctx, true, (s, f) -> review(s, ctx.pathParam("id"), f)));
    r.get("/ui/access").handler(ctx -> page(ctx, (s, q) -> pages.access(s)));
    r.post("/ui/grants/:id/revoke").handler(ctx -> post(ctx, true, (s, f) -> revoke(s, ctx.pathParam("id"), f)));
    r.post("/ui/grants/:id/extend").handler(ctx -> post(ctx, true, (s, f) -> extend(s, ctx.pathParam("id"), f)));
    r.get("/ui/audit").handler(ctx -> page(ctx, (s, q) -> {
      if (!s.identity.has(Identity.AUDITOR)) {
        service.forbidden(s.identity, "/ui/audit", "needs role auditor");
        throw new Refusal(403, "forbidden", s.identity.user() + " lacks the auditor role the audit trail needs");
      }
      return pages.audit(s, q);
    }));
    r.get("/ui/events").handler(this::events);
    r.route("/ui/*").last().handler(ctx -> html(ctx, 404, pages.error(sessionOf(ctx), 404, "Not found",
        "There is no page at " + ctx.request().path() + ".")));
  }

  // ------------------------------------------------------------------ plumbing

  private void headers(RoutingContext ctx) {
    headersOnly(ctx);
    ctx.next();
  }

  private static RoutingContext headersOnly(RoutingContext ctx) {
    ctx.response().putHeader("content-security-policy", CSP).putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "same-origin").putHeader("x-frame-options", "DENY")
        .putHeader("cross-origin-opener-policy", "same-origin").putHeader("cache-control", "no-store");
    return ctx;
  }

  private static void asset(RoutingContext ctx, String type, byte[] body) {
    ctx.response().putHeader("content-type", type).putHeader("cache-control", "no-cache")
        .end(io.vertx.core.buffer.Buffer.buffer(body));
  }

  private Session sessionOf(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(COOKIE);
    return c == null ? null : sessions.find(c.getValue());
  }

  private Cookie cookie(Session s) {
    // Secure: browsers treat http://localhost and 127.0.0.1 as secure contexts and keep it there.
    return Cookie.cookie(COOKIE, s.id).setPath("/").setHttpOnly(true).setSecure(true)
        .setSameSite(CookieSameSite.STRICT);
  }

  private static Cookie expiredCookie() {
    return Cookie.cookie(COOKIE, "").setPath("/").setHttpOnly(true).setSecure(true)
        .setSameSite(CookieSameSite.STRICT).setMaxAge(0);
  }

  /** A page's answer that is a redirect (303 after a POST, so a reload does not resubmit). */
  record Redirect(String location) {}

  /** A page with a status other than 200 (a form re-shown with what the policy said, say). */
  record Status(int code, String html) {}

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("location", location).end();
  }

  private static void html(RoutingContext ctx, int status, String body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "text/html; charset=utf-8").end(body);
  }

  /** A GET page for a signed-in user; others go to the sign-in page. */
  private void page(RoutingContext ctx, Work w) {
    Session s = sessionOf(ctx);
    if (s == null || !s.signedIn()) {
      redirect(ctx, "/ui/signin?next=" + java.net.URLEncoder.encode(ctx.request().uri(), StandardCharsets.UTF_8));
      return;
    }
    run(ctx, s, ctx.queryParams(), w);
  }

  /**
   * A state-changing request: the origin and CSRF checks first (refused: 403 page, audited), then
   * the work. {@code signedIn}: the session must be signed in (else: to the sign-in page).
   */
  private void post(RoutingContext ctx, boolean signedIn, Work w) {
    Session s = sessionOf(ctx);
    MultiMap form = ctx.request().formAttributes();
    String why = crossSite(ctx);
    if (why == null) {
      if (s == null) {
        why = "no session: the form was not sent from a page of this site, or the session ended";
      } else if (!s.csrfMatches(form.get("csrf"))) {
        why = form.get("csrf") == null ? "the form has no CSRF token" : "the form's CSRF token is not this session's";
      }
    }
    if (why != null) {
      refuseCsrf(ctx, s, why);
      return;
    }
    if (signedIn && !s.signedIn()) {
      redirect(ctx, "/ui/signin");
      return;
    }
    run(ctx, s, form, w);
  }

  /**
   * Why a state-changing request is cross-site, or null. Browsers send {@code Sec-Fetch-Site} and
   * {@code Origin} on POSTs; a request with neither is not from a browser page and still needs
   * the session's cookie and CSRF token.
   */
  private String crossSite(RoutingContext ctx) {
    String site = ctx.request().getHeader("sec-fetch-site");
    if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
      return "Sec-Fetch-Site is " + site;
    }
    String origin = ctx.request().getHeader("origin");
    if (origin != null && !origin.equals("null") && !sameOrigin(origin, ctx)) {
      return "Origin " + origin + " is not this site";
    } else if ("null".equals(origin)) {
      return "Origin is null (an opaque origin)";
    }
    return null;
  }

  private boolean sameOrigin(String origin, RoutingContext ctx) {
    if (origin.equalsIgnoreCase(origin(baseUrl()))) {
      return true;
    }
    // The origin the browser actually used (another loopback name, a port-forward).
    String host = ctx.request().getHeader("host");
    String scheme = ctx.request().isSSL() ? "https" : "http";
    return host != null && origin.equalsIgnoreCase(scheme + "://" + host);
  }

  private static String origin(String url) {
    try {
      URI u = URI.create(url);
      return u.getScheme() + "://" + u.getRawAuthority();
    } catch (IllegalArgumentException e) {
      return url;
    }
  }

  private void refuseCsrf(RoutingContext ctx, Session s, String why) {
    Identity who = s != null && s.signedIn() ? s.identity : ANONYMOUS;
    String path = ctx.request().path();
    String remote = String.valueOf(ctx.request().remoteAddress());
    vertx.executeBlocking(() -> {
      if (who != ANONYMOUS || authAudit.allow(host(remote))) {
        service.forbidden(who, path, "csrf: " + why + " (from " + remote + ")");
      }
      return null;
    }, false).onComplete(ar -> html(ctx, 403, pages.error(s, 403, "Refused",
        "This form was refused: " + why + ". Nothing was changed. Open the page again from this site and retry; "
            + "if your session ended, sign in again.")));
  }

  private static String host(String remote) {
    int colon = remote.lastIndexOf(':');
    return colon > 0 ? remote.substring(0, colon) : remote;
  }

  private void run(RoutingContext ctx, Session s, MultiMap in, Work w) {
    boolean refresh = ctx.request().method() == HttpMethod.GET && "1".equals(ctx.request().getHeader("x-gatehouse-live"));
    vertx.executeBlocking((Callable<Object>) () -> {
      Pages.LIVE_REFRESH.set(refresh);
      try {
        return w.run(s, in);
      } finally {
        Pages.LIVE_REFRESH.remove();
      }
    }, false).onComplete(ar -> {
      HttpServerResponse res = ctx.response();
      if (res.ended()) {
        return;
      }
      if (ar.succeeded()) {
        Object out = ar.result();
        if (out instanceof SignIn si) {
          // a fresh session id replaces the anonymous one: an id planted before sign-in is useless after
          res.addCookie(cookie(si.session()));
          if (si.viaPage()) {
            html(ctx, 200, pages.continueTo(si.session(), si.next()));
          } else {
            redirect(ctx, si.next());
          }
        } else if (out instanceof SignedOut) {
          res.addCookie(expiredCookie());
          redirect(ctx, "/ui/signin?signed_out=1");
        } else if (out instanceof StartOidc so) {
          res.addCookie(Cookie.cookie(OIDC_COOKIE, so.flowId()).setPath("/ui/oidc/").setHttpOnly(true).setSecure(true)
              .setSameSite(CookieSameSite.LAX).setMaxAge(600));
          redirect(ctx, so.location());
        } else if (out instanceof Redirect rd) {
          redirect(ctx, rd.location());
        } else if (out instanceof Status st) {
          html(ctx, st.code(), st.html());
        } else {
          html(ctx, 200, String.valueOf(out));
        }
        return;
      }
      Throwable t = ar.cause();
      if (t instanceof Refusal r) {
        html(ctx, r.status(), pages.error(s, r.status(), r.status() == 403 ? "Not allowed" : "Refused", r.getMessage()));
      } else {
        LOG.log(Level.WARNING, "web UI error on " + ctx.request().path(), t);
        html(ctx, 500, pages.error(s, 500, "Something went wrong", "The control plane could not finish this; "
            + "the error is in its log."));
      }
    });
  }

  // ------------------------------------------------------------------ sign-in

  private void signInPage(RoutingContext ctx) {
    Session s = sessionOf(ctx);
    if (s == null) {
      s = sessions.anonymous();
      ctx.response().addCookie(cookie(s));
    }
    String next = safeNext(ctx.queryParams().get("next"));
    String note = ctx.queryParams().contains("signed_out") ? "You are signed out." : null;
    html(ctx, 200, pages.signIn(s, next, oidc != null, options.signInHint(), note, null));
  }

  /** Only local paths under /ui/ are followed after sign-in (no open redirect). */
  static String safeNext(String next) {
    if (next == null || !next.startsWith("/ui/") || next.startsWith("//") || next.contains("\\")
        || next.chars().anyMatch(c -> c < 0x20)) {
      return "/ui/";
    }
    return next;
  }

  private Object signInWithToken(Session s, MultiMap form, String remote) {
    String token = form.get("token") == null ? "" : form.get("token").trim();
    String next = safeNext(form.get("next"));
    if (token.isEmpty()) {
      return new Status(400, pages.signIn(s, next, oidc != null, options.signInHint(), null, "Paste a token to sign in."));
    }
    AuthResult r = auth.authenticate("Bearer " + token, null);
    if (!(r instanceof AuthResult.Ok ok)) {
      String method = r instanceof AuthResult.Failed f ? f.method() : "none";
      String reason = r instanceof AuthResult.Failed f ? f.reason() : "no credential";
      if (authAudit.allow(host(remote))) {
        service.authenticationFailed(method, reason + " (web sign-in)", remote, "/ui/signin");
      }
      return new Status(401, pages.signIn(s, next, oidc != null, options.signInHint(), null,
          "That token was refused."));
    }
    return signedIn(s, ok.identity(), jwtExpiry(token), next);
  }

  /** A session lives no longer than the JWT it was opened with ({@code exp}); static tokens: null. */
  static Instant jwtExpiry(String token) {
    if (token.chars().filter(c -> c == '.').count() != 2) {
      return null;
    }
    try {
      Object exp = com.nimbusds.jwt.JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
      return exp == null ? null : ((java.util.Date) exp).toInstant();
    } catch (Exception e) {
      return null;
    }
  }

  private Object signedIn(Session old, Identity who, Instant credentialExpiry, String next) {
    Session fresh = sessions.signIn(old, who, credentialExpiry);
    return new SignIn(fresh, next, false);
  }

  /**
   * A sign-in to complete on the event loop: set the new session's cookie, then go to {@code next}
   * — by a 303, or ({@code viaPage}, after a cross-site redirect from the identity provider) by a
   * small page that refreshes to it, so that the next request is same-site and carries the Strict
   * cookie (a redirect chain that began on another site would not).
   */
  record SignIn(Session session, String next, boolean viaPage) {}

  /** Signed out: clear the cookie (on the event loop, like every header), then to the sign-in page. */
  record SignedOut() {}

  /** An OIDC sign-in to start: set the flow cookie, then go to the identity provider. */
  record StartOidc(String flowId, String location) {}

  private Object oidcStart(Session s, String next) throws IOException {
    if (oidc == null) {
      throw new Refusal(404, "not_found", "OIDC sign-in is not configured here");
    }
    OidcLogin.Pending p = oidc.start(clock.instant());
    s.pending = p;
    String url = oidc.authorizeUrl(p, redirectUri());
    if (flows.size() > 10_000) {
      Instant old = clock.instant().minusSeconds(600);
      flows.values().removeIf(x -> x.session().pending == null || x.session().pending.started().isBefore(old));
    }
    String flow = sessions.randomId();
    flows.put(flow, new Flow(s, next));
    return new StartOidc(flow, url);
  }

  private void oidcCallback(RoutingContext ctx) {
    Cookie flowCookie = ctx.request().getCookie(OIDC_COOKIE);
    Flow flow = flowCookie == null ? null : flows.remove(flowCookie.getValue()); // one use
    Session s = flow == null ? null : flow.session();
    ctx.response().addCookie(Cookie.cookie(OIDC_COOKIE, "").setPath("/ui/oidc/").setHttpOnly(true).setSecure(true)
        .setSameSite(CookieSameSite.LAX).setMaxAge(0));
    MultiMap q = ctx.queryParams();
    if (oidc == null) {
      html(ctx, 404, pages.error(s, 404, "Not found", "OIDC sign-in is not configured here."));
      return;
    }
    OidcLogin.Pending p = s == null ? null : s.pending;
    String state = q.get("state");
    if (p == null || state == null || !java.security.MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
        p.state().getBytes(StandardCharsets.UTF_8))) {
      Session session = s;
      String remote = String.valueOf(ctx.request().remoteAddress());
      vertx.executeBlocking(() -> {
        service.authenticationFailed("oidc", "web sign-in: state missing or not this browser's", remote, "/ui/oidc/callback");
        return null;
      }, false).onComplete(ar -> html(ctx, 403, pages.error(session, 403, "Sign-in refused",
          "This sign-in was not started from this browser (its state does not match). Start again from the sign-in page.")));
      return;
    }
    s.pending = null; // one use
    if (q.get("error") != null || q.get("code") == null) {
      html(ctx, 401, pages.error(s, 401, "Sign-in failed", "The identity provider answered: "
          + (q.get("error") == null ? "no code" : q.get("error")) + (q.get("error_description") == null ? ""
          : " (" + q.get("error_description") + ")") + "."));
      return;
    }
    String code = q.get("code");
    String remote = String.valueOf(ctx.request().remoteAddress());
    run(ctx, s, q, (sess, in) -> {
      if (clock.instant().isAfter(p.started().plusSeconds(600))) {
        return new Status(401, pages.error(sess, 401, "Sign-in failed", "The sign-in took longer than 10 minutes; start again."));
      }
      try {
        OidcLogin.SignedIn done = oidc.finish(code, p, redirectUri(), auth.roles());
        return new SignIn(sessions.signIn(sess, done.identity(), done.expires()), flow.next(), true);
      } catch (SecurityException | IOException e) {
        service.authenticationFailed("oidc", "web sign-in: " + e.getMessage(), remote, "/ui/oidc/callback");
        return new Status(401, pages.error(sess, 401, "Sign-in failed", e.getMessage()));
      }
    });
  }

  // ------------------------------------------------------------------ actions

  private Object requestPost(Session s, MultiMap f) {
    String body = Jsons.write(Forms.request(f));
    boolean check = "check".equals(f.get("op"));
    try {
      if (check) {
        return pages.requestForm(s, f, service.evaluate(s.identity, body), null);
      }
      var filed = service.file(s.identity, body);
      String state = filed.path("state").asText();
      s.flash("Request " + filed.path("id").asText() + " filed: " + (state.equals("pending")
          ? "it needs " + filed.path("required_approvals").asInt() + " approval(s)." : state + "."), false);
      return new Redirect("/ui/mine");
    } catch (Refusal r) {
      return new Status(r.status(), pages.requestForm(s, f, null, r));
    }
  }

  private Object review(Session s, String id, MultiMap f) {
    String decision = f.get("decision");
    var b = Jsons.object().put("decision", decision == null ? "" : decision);
    String comment = f.get("comment");
    if (comment != null && !comment.isBlank()) {
      b.put("comment", comment.strip());
    }
    try {
      var out = service.review(s.identity, id, Jsons.write(b));
      s.flash("You " + (decision.equals("approve") ? "approved" : "denied") + " " + id + "; it is now "
          + out.path("state").asText() + ".", false);
    } catch (Refusal r) {
      s.flash("Your review of " + id + " was refused: " + r.getMessage() + Pages.details(r), true);
    }
    return new Redirect("/ui/review");
  }

  private Object revoke(Session s, String id, MultiMap f) {
    var b = Jsons.object();
    String reason = f.get("reason");
    if (reason != null && !reason.isBlank()) {
      b.put("reason", reason.strip());
    }
    try {
      service.revoke(s.identity, id, Jsons.write(b));
      s.flash("Grant " + id + " revoked.", false);
    } catch (Refusal r) {
      s.flash("Revoking " + id + " was refused: " + r.getMessage(), true);
    }
    return new Redirect("/ui/access");
  }

  private Object extend(Session s, String id, MultiMap f) {
    var b = Jsons.object();
    for (String k : List.of("duration", "reason", "ticket")) {
      String v = f.get(k);
      if (v != null && !v.isBlank()) {
        b.put(k, v.strip());
      }
    }
    try {
      var out = service.extend(s.identity, id, Jsons.write(b));
      s.flash("Extension filed as " + out.path("id").asText() + " (" + out.path("state").asText()
          + (out.path("state").asText().equals("pending") ? ", needs " + out.path("required_approvals").asInt()
          + " approval(s)" : "") + ").", false);
    } catch (Refusal r) {
      s.flash("The extension was refused: " + r.getMessage() + Pages.details(r), true);
    }
    return new Redirect("/ui/access");
  }

  private void events(RoutingContext ctx) {
    Session s = sessionOf(ctx);
    if (s == null || !s.signedIn()) {
      ctx.response().setStatusCode(401).putHeader("content-type", "text/plain; charset=utf-8").end("sign in first\n");
      return;
    }
    if (!live.attach(ctx.response(), () -> sessions.alive(s))) {
      ctx.response().setStatusCode(503).putHeader("retry-after", "30").end();
    }
  }

}
