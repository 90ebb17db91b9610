package dev.gatehouse.controlplane.web;

import static dev.gatehouse.controlplane.web.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.audit.AuditChain;
import dev.gatehouse.controlplane.auth.Identity;
import dev.gatehouse.controlplane.policy.Policies;
import dev.gatehouse.controlplane.policy.PolicySnapshot;
import dev.gatehouse.controlplane.service.AccessService;
import dev.gatehouse.controlplane.service.Refusal;
import dev.gatehouse.controlplane.store.AuditEvent;
import dev.gatehouse.controlplane.store.GrantRecord;
import dev.gatehouse.controlplane.store.GrantState;
import dev.gatehouse.controlplane.store.RequestRecord;
import dev.gatehouse.controlplane.store.RequestState;
import dev.gatehouse.controlplane.store.ReviewRecord;
import dev.gatehouse.controlplane.store.Store;
import dev.gatehouse.controlplane.web.Sessions.Session;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pages, rendered on a worker thread from the store and the policies. Reads are the API's
 * reads (the same store queries and {@link AccessService} views); no page shows anything the REST
 * API would not show the same person.
 */
final class Pages {
  /**
   * Set while rendering for a live page's background re-read: such a render must not consume the
   * session's one-time flash message, which the page the person navigated to is about to show.
   */
  static final ThreadLocal<Boolean> LIVE_REFRESH = ThreadLocal.withInitial(() -> false);

  private final AccessService service;
  private final Policies policies;
  private final Clock clock;

  Pages(AccessService service, Policies policies, Clock clock) {
    this.service = service;
    this.policies = policies;
    this.clock = clock;
  }

  // ------------------------------------------------------------------ layout

  private record Nav(String path, String label) {}

  private static final List<Nav> NAV = List.of(new Nav("/ui/request", "Request access"), new Nav("/ui/mine", "My requests"),
      new Nav("/ui/review", "To review"), new Nav("/ui/access", "Access now"), new Nav("/ui/audit", "Audit"));

  /** The page around {@code content}; {@code live}: the page re-reads itself when something changes. */
  String layout(Session s, String active, String title, String content, boolean live) {
    StringBuilder b = new StringBuilder(4096 + content.length());
    b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(esc(title)).append(" · Gatehouse</title>")
        .append("<link rel=\"stylesheet\" href=\"/ui/static/app.css\">")
        .append("<script src=\"/ui/static/app.js\" defer></script></head>\n<body>")
        .append("<a class=\"skip\" href=\"#main\">Skip to content</a>")
        .append("<header class=\"top\"><a class=\"brand\" href=\"/ui/\">Gatehouse</a>");
    boolean in = s != null && s.signedIn();
    if (in) {
      b.append("<nav aria-label=\"Main\"><ul>");
      for (Nav n : NAV) {
        if (n.path().equals("/ui/audit") && !s.identity.has(Identity.AUDITOR)) {
          continue;
        }
        b.append("<li><a href=\"").append(n.path()).append('"');
        if (n.path().equals(active)) {
          b.append(" aria-current=\"page\"");
        }
        b.append('>').append(esc(n.label())).append("</a></li>");
      }
      b.append("</ul></nav>");
      b.append("<form class=\"signout\" method=\"post\" action=\"/ui/signout\">").append(csrf(s))
          .append("<span class=\"who\">Signed in as <strong id=\"whoami\">").append(esc(s.identity.user()))
          .append("</strong></span> <button type=\"submit\" class=\"secondary\">Sign out</button></form>");
    }
    b.append("</header>\n");
    if (live) {
      // announced by screen readers when the page re-reads itself (app.js fills it in)
      b.append("<p id=\"live-status\" class=\"visually-hidden\" role=\"status\" aria-live=\"polite\"></p>");
    }
    b.append("<main id=\"main\" tabindex=\"-1\"").append(live ? " data-live=\"true\"" : "").append('>');
    b.append("<h1>").append(esc(title)).append("</h1>");
    String[] flash = s == null || LIVE_REFRESH.get() ? null : s.takeFlash();
    if (flash != null) {
      b.append("<p class=\"flash ").append(flash[1]).append("\" role=\"").append(flash[1].equals("error") ? "alert" : "status")
          .append("\">").append(esc(flash[0])).append("</p>");
    }
    b.append(content).append("</main>\n</body></html>\n");
    return b.toString();
  }

  static String csrf(Session s) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(s.csrf) + "\">";
  }

  String error(Session s, int status, String title, String message) {
    String back = s != null && s.signedIn() ? "<p><a href=\"/ui/\">Back to Gatehouse</a></p>"
        : "<p><a href=\"/ui/signin\">Sign in</a></p>";
    return layout(s, "", title, "<p class=\"error-detail\" data-status=\"" + status + "\">" + esc(message) + "</p>" + back,
        false);
  }

  /**
   * "Signed in" with a same-origin refresh to {@code next} (no script: CSP allows none inline); the
   * link is for browsers that do not follow refreshes.
   */
  String continueTo(Session s, String next) {
    String page = layout(s, "", "Signed in", "<p>Signed in as <strong>" + esc(s.identity.user()) + "</strong>. "
        + "<a id=\"continue\" href=\"" + esc(next) + "\">Continue</a></p>", false);
    return page.replace("<meta charset=\"utf-8\">", "<meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url="
        + esc(next) + "\">");
  }

  /** A refusal's violations or reasons as one readable tail ("; rule: msg; …"). */
  static String details(Refusal r) {
    if (r.details() == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (String f : List.of("violations", "reasons")) {
      for (JsonNode v : r.details().path(f)) {
        b.append("; ").append(v.path("msg").asText(v.toString()));
      }
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ sign-in

  String signIn(Session s, String next, boolean oidc, String hint, String note, String error) {
    StringBuilder b = new StringBuilder();
    if (note != null) {
      b.append("<p class=\"flash ok\" role=\"status\">").append(esc(note)).append("</p>");
    }
    if (error != null) {
      b.append("<p class=\"flash error\" role=\"alert\" id=\"signin-error\">").append(esc(error)).append("</p>");
    }
    if (oidc) {
      b.append("<section aria-labelledby=\"sso\"><h2 id=\"sso\">Single sign-on</h2>")
          .append("<p><a class=\"button\" id=\"oidc-signin\" href=\"/ui/oidc/start?next=")
          .append(esc(java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8)))
          .append("\">Sign in with your identity provider</a></p>")
          .append("</section>");
    }
    b.append("<section aria-labelledby=\"tok\"><h2 id=\"tok\">Sign in with a token</h2>")
        .append("<form method=\"post\" action=\"/ui/signin\" class=\"stack\">").append(csrf(s))
        .append("<input type=\"hidden\" name=\"next\" value=\"").append(esc(next)).append("\">")
        .append("<label for=\"token\">Bearer token (the one the CLI uses)</label>")
        .append("<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required spellcheck=\"false\">");
    if (hint != null) {
      b.append("<p class=\"hint\" id=\"signin-hint\">").append(esc(hint)).append("</p>");
    }
    b.append("<div class=\"actions\"><button type=\"submit\" id=\"token-signin\">Sign in</button></div></form></section>");
    return layout(s, "", "Sign in", b.toString(), false);
  }

  // ------------------------------------------------------------------ request form

  String requestForm(Session s, MultiMap f, ObjectNode evaluation, Refusal error) {
    String kind = value(f, "kind", "service");
    StringBuilder b = new StringBuilder();
    b.append("<p class=\"lead\">Ask for time-limited access. <strong>Check</strong> shows what the policy will require "
        + "before you file anything.</p>");
    if (error != null) {
      b.append("<div class=\"flash error\" role=\"alert\" id=\"request-error\"><p>").append(esc(error.getMessage())).append("</p>");
      violations(b, error.details() == null ? null : error.details().path("violations"));
      b.append("</div>");
    }
    if (evaluation != null) {
      evaluation(b, evaluation);
    }
    b.append("<form method=\"post\" action=\"/ui/request\" class=\"stack\" id=\"request-form\">").append(csrf(s));
    b.append("<fieldset class=\"kind\"><legend>What do you need?</legend>");
    radio(b, "kind", "service", "Actions on a service", kind);
    radio(b, "kind", "namespace", "A role in a namespace", kind);
    radio(b, "kind", "pod-exec", "Exec into a pod", kind);
    b.append("</fieldset>");

    b.append("<fieldset data-kind=\"service\"><legend>Service</legend>");
    b.append("<label for=\"service\">Service</label><input id=\"service\" name=\"service\" list=\"services\" value=\"")
        .append(esc(value(f, "service", ""))).append("\" autocomplete=\"off\">");
    b.append("<datalist id=\"services\">");
    services().forEach((svc, ns) -> b.append("<option value=\"").append(esc(svc)).append("\">").append(esc(ns)).append("</option>"));
    b.append("</datalist>");
    b.append("<fieldset class=\"inline\"><legend>Actions</legend>");
    List<String> chosen = f == null ? List.of("read") : f.getAll("actions");
    for (String a : List.of("read", "write", "admin")) {
      b.append("<span class=\"check\"><input type=\"checkbox\" id=\"action-").append(a).append("\" name=\"actions\" value=\"")
          .append(a).append('"').append(chosen.contains(a) ? " checked" : "").append("><label for=\"action-").append(a)
          .append("\">").append(a).append("</label></span>");
    }
    b.append("</fieldset></fieldset>");

    b.append("<fieldset data-kind=\"namespace\"><legend>Namespace role</legend>");
    b.append("<label for=\"role\">Role</label><select id=\"role\" name=\"role\">");
    for (String r : List.of("view", "edit", "deploy", "admin")) {
      b.append("<option").append(r.equals(value(f, "role", "view")) ? " selected" : "").append('>').append(r).append("</option>");
    }
    b.append("</select></fieldset>");

    b.append("<fieldset data-kind=\"pod-exec\"><legend>Pod exec</legend>");
    text(b, "pod", "Pod", value(f, "pod", ""), "e.g. payments-api-7d9f-abcde", false);
    text(b, "container", "Container (optional)", value(f, "container", ""), null, false);
    b.append("</fieldset>");

    text(b, "namespace", "Namespace (for a service the catalogue fills it in when it runs in one)", value(f, "namespace", ""),
        null, false);
    text(b, "duration", "Duration (e.g. 30m, 1h, 2h30m)", value(f, "duration", "1h"), null, true);
    b.append("<label for=\"reason\">Reason</label><textarea id=\"reason\" name=\"reason\" rows=\"3\" required>")
        .append(esc(value(f, "reason", ""))).append("</textarea>");
    text(b, "ticket", "Ticket (e.g. PAY-1234; production needs one)", value(f, "ticket", ""), null, false);
    b.append("<label for=\"start_at\">Start at (UTC; empty: now)</label><input id=\"start_at\" name=\"start_at\" "
        + "type=\"datetime-local\" value=\"").append(esc(value(f, "start_at", ""))).append("\">");
    b.append("<div class=\"check danger\"><input type=\"checkbox\" id=\"break_glass\" name=\"break_glass\"")
        .append("on".equals(value(f, "break_glass", "")) ? " checked" : "")
        .append("><label for=\"break_glass\">Break-glass: access at once without approval (on-call only; "
            + "security is notified and the access is reviewed afterwards)</label></div>");
    b.append("<div class=\"actions\"><button type=\"submit\" name=\"op\" value=\"check\" class=\"secondary\" id=\"check\">"
        + "Check</button> <button type=\"submit\" name=\"op\" value=\"submit\" id=\"submit\">Submit request</button></div>");
    b.append("</form>");
    return layout(s, "/ui/request", "Request access", b.toString(), false);
  }

  private void evaluation(StringBuilder b, ObjectNode ev) {
    JsonNode d = ev.path("decision");
    boolean valid = d.path("valid").asBoolean(false);
    b.append("<section class=\"card ").append(valid ? "ok" : "bad").append("\" id=\"check-result\" role=\"status\" "
        + "aria-labelledby=\"check-title\"><h2 id=\"check-title\">")
        .append(valid ? "The policy would accept this request" : "The policy would refuse this request").append("</h2><dl>");
    if (valid) {
      boolean bg = d.path("break_glass").asBoolean(false);
      boolean auto = d.path("auto_approve").asBoolean(false);
      dd(b, "Approvals needed", bg ? "none now (break-glass: reviewed afterwards)" : auto ? "none (approved automatically)"
          : String.valueOf(d.path("required_approvals").asInt()), "approvals-needed");
    }
    dd(b, "Maximum duration", d.path("max_duration").asText("?"), "max-duration");
    Boolean ticket = ticketNeeded(d.path("target_class").asText(null));
    dd(b, "Ticket needed", ticket == null ? "?" : ticket ? "yes" : "no", "ticket-needed");
    dd(b, "Class", d.path("target_class").asText("") + (d.hasNonNull("access_level") ? " · " + d.get("access_level").asText()
        + " access" : ""), "target-class");
    if (d.path("notify").size() > 0) {
      List<String> n = new ArrayList<>();
      d.path("notify").forEach(x -> n.add(x.asText()));
      dd(b, "Notifies", String.join(", ", n), "notifies");
    }
    dd(b, "Policy revision", shortRev(ev.path("policy_revision").asText("")), "policy-revision");
    b.append("</dl>");
    violations(b, d.path("violations"));
    b.append("</section>");
  }

  private static void violations(StringBuilder b, JsonNode v) {
    if (v == null || !v.isArray() || v.isEmpty()) {
      return;
    }
    b.append("<ul class=\"violations\" aria-label=\"Violations\">");
    v.forEach(x -> b.append("<li><code>").append(esc(x.path("rule").asText())).append("</code> ")
        .append(esc(x.path("msg").asText())).append("</li>"));
    b.append("</ul>");
  }

  /** Whether the policy data's class with this name requires a ticket (null: unknown). */
  private Boolean ticketNeeded(String className) {
    JsonNode jit = policyData().path("config").path("jit");
    if (className == null) {
      return null;
    }
    for (JsonNode c : jit.path("classes")) {
      if (c.path("name").asText().equals(className)) {
        return c.path("require_ticket").asBoolean(false);
      }
    }
    JsonNode d = jit.path("default_class");
    return d.path("name").asText().equals(className) ? d.path("require_ticket").asBoolean(false) : null;
  }

  private JsonNode policyData() {
    PolicySnapshot snap = policies.current().orElse(null);
    if (snap == null) {
      return Jsons.object();
    }
    Value g = snap.data().get("gatehouse");
    return g instanceof ObjectValue ? Jsons.fromValue(g) : Jsons.object();
  }

  /** The service catalogue: service → its namespaces, for the form's suggestions. */
  private Map<String, String> services() {
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = policyData().path("services").fields();
    while (it.hasNext()) {
      var e = it.next();
      List<String> ns = new ArrayList<>();
      if (e.getValue().path("namespace").isTextual()) {
        ns.add(e.getValue().get("namespace").asText());
      }
      e.getValue().path("namespaces").forEach(n -> ns.add(n.asText()));
      out.put(e.getKey(), String.join(", ", ns));
    }
    return out;
  }

  private static void radio(StringBuilder b, String name, String value, String label, String current) {
    String id = name + "-" + value;
    b.append("<span class=\"check\"><input type=\"radio\" id=\"").append(id).append("\" name=\"").append(name)
        .append("\" value=\"").append(value).append('"').append(value.equals(current) ? " checked" : "")
        .append("><label for=\"").append(id).append("\">").append(esc(label)).append("</label></span>");
  }

  private static void text(StringBuilder b, String name, String label, String value, String placeholder, boolean required) {
    b.append("<label for=\"").append(name).append("\">").append(esc(label)).append("</label><input id=\"").append(name)
        .append("\" name=\"").append(name).append("\" value=\"").append(esc(value)).append('"');
    if (placeholder != null) {
      b.append(" placeholder=\"").append(esc(placeholder)).append('"');
    }
    if (required) {
      b.append(" required");
    }
    b.append('>');
  }

  private static String value(MultiMap f, String name, String def) {
    if (f == null) {
      return def;
    }
    String v = f.get(name);
    return v == null ? (name.equals("break_glass") ? "" : def) : v;
  }

  private static void dd(StringBuilder b, String term, String value, String id) {
    b.append("<div><dt>").append(esc(term)).append("</dt><dd id=\"").append(id).append("\">").append(esc(value))
        .append("</dd></div>");
  }

  static String shortRev(String rev) {
    return rev == null ? "" : rev.length() > 12 ? rev.substring(0, 12) : rev;
  }

  // ------------------------------------------------------------------ my requests

  String mine(Session s) {
    Instant now = clock.instant();
    List<RequestRecord> rs = service.store().requests(new Store.RequestQuery(s.identity.user(), null, false, 100));
    StringBuilder b = new StringBuilder();
    b.append("<p class=\"lead\">Your requests, newest first. This page updates itself when a reviewer acts.</p>");
    if (rs.isEmpty()) {
      b.append("<p class=\"empty\">No requests yet. <a href=\"/ui/request\">Request access</a>.</p>");
    }
    for (RequestRecord r : rs) {
      ObjectNode v = service.requestView(r);
      b.append("<article class=\"card request\" id=\"").append(esc(r.id())).append("\" data-state=\"")
          .append(esc(r.state().wire())).append("\"><h2>").append(esc(AccessService.describe(r.doc().get("target"))))
          .append("</h2><dl>");
      dd(b, "Request", r.id(), r.id() + "-id");
      dd(b, "State", r.state().wire() + (r.needsReview() ? " (awaiting post-hoc review)" : ""), r.id() + "-state");
      dd(b, "Votes", votes(v), r.id() + "-votes");
      dd(b, "Duration", v.path("duration").asText(), r.id() + "-duration");
      if (r.grantId() != null) {
        GrantRecord g = service.store().grant(r.grantId()).orElse(null);
        if (g != null) {
          dd(b, "Grant", g.id() + " · " + grantState(g) + " · " + timeLeft(g, now), r.id() + "-grant");
        }
      } else if (r.state() == RequestState.PENDING) {
        dd(b, "Waiting", Html.human(Duration.between(r.createdAt(), now)), r.id() + "-waiting");
      }
      b.append("</dl>");
      if (r.state() == RequestState.PENDING) {
        b.append("<form method=\"post\" action=\"/ui/requests/").append(esc(r.id())).append("/cancel\">").append(csrf(s))
            .append("<button type=\"submit\" class=\"secondary\">Cancel request</button></form>");
      }
      b.append("</article>");
    }
    return layout(s, "/ui/mine", "My requests", b.toString(), true);
  }

  private static String votes(ObjectNode v) {
    StringBuilder b = new StringBuilder();
    b.append(v.path("approvals").asInt()).append(" of ").append(v.path("required_approvals").asInt()).append(" approvals");
    List<String> who = new ArrayList<>();
    v.path("reviews").forEach(r -> who.add(r.path("reviewer").asText() + " " + (r.path("decision").asText().equals("approve")
        ? "approved" : "denied") + (r.hasNonNull("comment") ? " (“" + r.get("comment").asText() + "”)" : "")));
    if (!who.isEmpty()) {
      b.append(": ").append(String.join("; ", who));
    }
    return b.toString();
  }

  private static String grantState(GrantRecord g) {
    return g.doc().path("revoked").asBoolean(false) ? "revoked" : g.state().wire();
  }

  private static String timeLeft(GrantRecord g, Instant now) {
    String st = grantState(g);
    if (st.equals("scheduled")) {
      return "starts in " + Html.human(Duration.between(now, g.notBefore()));
    }
    if (st.equals("active")) {
      return Html.left(now, g.expiresAt());
    }
    return "ended";
  }

  // ------------------------------------------------------------------ inbox

  String inbox(Session s) {
    Identity who = s.identity;
    Instant now = clock.instant();
    List<RequestRecord> open = service.store().requests(new Store.RequestQuery(null, null, false, 1000)).stream()
        .filter(r -> r.state() == RequestState.PENDING || (r.breakGlass() && r.needsReview())).toList();
    StringBuilder b = new StringBuilder();
    b.append("<p class=\"lead\">Open requests. You can approve or deny those the review policy lets you review; "
        + "nobody reviews their own.</p>");
    int reviewable = 0;
    for (RequestRecord r : open) {
      boolean mine = AccessService.key(r.requester()).equals(AccessService.key(who.user()));
      boolean voted = service.store().reviews(r.id()).stream().anyMatch(p -> p.reviewerKey().equals(AccessService.key(who.user())));
      boolean may = !mine && !voted && service.wouldAccept(who, r);
      if (may) {
        reviewable++;
      }
      ObjectNode v = service.requestView(r);
      b.append("<article class=\"card request").append(may ? " reviewable" : "").append("\" id=\"review-").append(esc(r.id()))
          .append("\"><h2>").append(esc(r.requester())).append(" asks for ").append(esc(AccessService.describe(r.doc().get("target"))))
          .append("</h2><dl>");
      dd(b, "Request", r.id(), "review-" + r.id() + "-id");
      dd(b, "Duration", v.path("duration").asText() + (v.hasNonNull("start_at") ? " from " + v.get("start_at").asText() : ""),
          "review-" + r.id() + "-duration");
      dd(b, "Justification", r.doc().path("justification").asText(""), "review-" + r.id() + "-why");
      dd(b, "Ticket", r.doc().path("ticket").asText("—"), "review-" + r.id() + "-ticket");
      dd(b, "Votes", votes(v), "review-" + r.id() + "-votes");
      dd(b, "Filed", Html.human(Duration.between(r.createdAt(), now)) + " ago"
          + (r.breakGlass() ? " · BREAK-GLASS, already granted: this is the post-hoc review" : ""), "review-" + r.id() + "-filed");
      dd(b, "Requester's history", history(r), "review-" + r.id() + "-history");
      b.append("</dl>");
      if (may) {
        String cid = "comment-" + r.id();
        b.append("<form method=\"post\" action=\"/ui/requests/").append(esc(r.id())).append("/review\" class=\"stack review\">")
            .append(csrf(s)).append("<label for=\"").append(esc(cid)).append("\">Comment (optional)</label>")
            .append("<input id=\"").append(esc(cid)).append("\" name=\"comment\" maxlength=\"500\">")
            .append("<div class=\"actions\"><button type=\"submit\" name=\"decision\" value=\"approve\" class=\"approve\">Approve</button> ")
            .append("<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"deny danger\">Deny</button></div></form>");
      } else {
        b.append("<p class=\"note\">").append(mine ? "Your own request: a teammate or a platform admin reviews it."
            : voted ? "You have voted on this request." : "You are not a reviewer of this request.").append("</p>");
      }
      b.append("</article>");
    }
    if (open.isEmpty()) {
      b.append("<p class=\"empty\">Nothing waits for a review.</p>");
    }
    String title = "To review" + (reviewable > 0 ? " (" + reviewable + ")" : "");
    return layout(s, "/ui/review", title, b.toString(), true);
  }

  /** The requester's earlier requests: counts by outcome, and the last three. */
  private String history(RequestRecord current) {
    List<RequestRecord> earlier = service.store().requests(new Store.RequestQuery(current.requester(), null, false, 50)).stream()
        .filter(r -> !r.id().equals(current.id())).toList();
    if (earlier.isEmpty()) {
      return "no earlier requests";
    }
    Map<String, Integer> by = new LinkedHashMap<>();
    earlier.forEach(r -> by.merge(r.state().wire(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    by.forEach((k, n) -> parts.add(n + " " + k));
    List<String> last = new ArrayList<>();
    earlier.stream().limit(3).forEach(r -> last.add(AccessService.describe(r.doc().get("target")) + " (" + r.state().wire() + ")"));
    return earlier.size() + " earlier: " + String.join(", ", parts) + ". Latest: " + String.join("; ", last);
  }

  // ------------------------------------------------------------------ access now

  String access(Session s) {
    Identity who = s.identity;
    Instant now = clock.instant();
    List<GrantRecord> live = service.store().grants(new Store.GrantQuery(null, List.of(GrantState.ACTIVE, GrantState.SCHEDULED),
        null, 1000)).stream().filter(g -> !g.doc().path("revoked").asBoolean(false)).toList();
    StringBuilder b = new StringBuilder();
    b.append("<p class=\"lead\">Active and scheduled grants. The grant's holder, the reviewers of its target and admins may "
        + "revoke; holders may ask to extend (a new request, decided by the policy).</p>");
    if (live.isEmpty()) {
      b.append("<p class=\"empty\" id=\"no-grants\">Nobody holds access right now.</p>");
    }
    for (GrantRecord g : live) {
      boolean own = AccessService.key(g.subject()).equals(AccessService.key(who.user()));
      b.append("<article class=\"card grant").append(own ? " own" : "").append("\" id=\"").append(esc(g.id()))
          .append("\" data-state=\"").append(esc(grantState(g))).append("\"><h2>").append(esc(g.subject())).append(": ")
          .append(esc(AccessService.describe(g.doc().get("target")))).append("</h2><dl>");
      dd(b, "Grant", g.id(), g.id() + "-id");
      dd(b, "State", grantState(g) + (g.breakGlass() ? " · break-glass" : ""), g.id() + "-state");
      dd(b, "Time left", timeLeft(g, now), g.id() + "-left");
      dd(b, "Window", Jsons.time(g.notBefore()) + " → " + Jsons.time(g.expiresAt()), g.id() + "-window");
      List<String> approvers = new ArrayList<>();
      g.doc().path("approvers").forEach(a -> approvers.add(a.asText()));
      dd(b, "Approved by", approvers.isEmpty() ? (g.breakGlass() ? "nobody yet (break-glass)" : "policy (automatic)")
          : String.join(", ", approvers), g.id() + "-approvers");
      dd(b, "Request", g.requestId(), g.id() + "-request");
      b.append("</dl><div class=\"grant-actions\">");
      String rid = "reason-" + g.id();
      b.append("<form method=\"post\" action=\"/ui/grants/").append(esc(g.id())).append("/revoke\" class=\"stack revoke\">")
          .append(csrf(s)).append("<label for=\"").append(esc(rid)).append("\">Reason for revoking</label><input id=\"")
          .append(esc(rid)).append("\" name=\"reason\" maxlength=\"500\"><div class=\"actions\">")
          .append("<button type=\"submit\" class=\"danger revoke\">Revoke</button></div></form>");
      if (own) {
        String did = "extend-" + g.id();
        b.append("<form method=\"post\" action=\"/ui/grants/").append(esc(g.id())).append("/extend\" class=\"stack extend\">")
            .append(csrf(s)).append("<label for=\"").append(esc(did)).append("\">Extend by</label><input id=\"")
            .append(esc(did)).append("\" name=\"duration\" value=\"1h\" required>")
            .append("<label for=\"").append(esc(did)).append("-reason\">Reason</label><input id=\"").append(esc(did))
            .append("-reason\" name=\"reason\" required>")
            .append("<label for=\"").append(esc(did)).append("-ticket\">Ticket</label><input id=\"").append(esc(did))
            .append("-ticket\" name=\"ticket\" value=\"").append(esc(requestTicket(g))).append("\">")
            .append("<div class=\"actions\"><button type=\"submit\" class=\"secondary\">Ask to extend</button></div></form>");
      }
      b.append("</div></article>");
    }
    return layout(s, "/ui/access", "Access now", b.toString(), true);
  }

  private String requestTicket(GrantRecord g) {
    return service.store().request(g.requestId()).map(r -> r.doc().path("ticket").asText("")).orElse("");
  }

  // ------------------------------------------------------------------ audit

  String audit(Session s, MultiMap q) {
    String type = Forms.text(q, "type");
    String actor = Forms.text(q, "actor");
    String subject = Forms.text(q, "subject");
    StringBuilder b = new StringBuilder();
    Verified verified = verified();
    AuditChain.Result res = verified.result();
    b.append("<section class=\"card ").append(res.ok() ? "ok" : "bad").append("\" id=\"chain\" aria-labelledby=\"chain-title\">")
        .append("<h2 id=\"chain-title\">Hash chain: ").append(res.ok() ? "verified" : "BROKEN").append("</h2><p id=\"chain-status\">");
    if (res.ok()) {
      b.append(res.checked()).append(" events checked; head #").append(res.headSeq()).append(" ")
          .append(esc(res.headHash() == null ? "" : shortRev(res.headHash())));
      List<Store.SignedHead> heads = service.store().heads(1);
      if (!heads.isEmpty()) {
        b.append("; last signed head #").append(heads.get(0).seq()).append(" at ").append(esc(heads.get(0).at()));
      }
    } else {
      b.append("first broken link at #").append(res.firstBroken()).append(": ").append(esc(res.reason()));
    }
    b.append(" (checked ").append(esc(Jsons.time(verified.at()))).append(")</p></section>");
    b.append("<form method=\"get\" action=\"/ui/audit\" class=\"filters\" role=\"search\" aria-label=\"Filter events\">");
    text(b, "type", "Event type (prefix, e.g. grant.)", type == null ? "" : type, null, false);
    text(b, "actor", "Actor", actor == null ? "" : actor, null, false);
    text(b, "subject", "Subject (request or grant id)", subject == null ? "" : subject, null, false);
    b.append("<div class=\"actions\"><button type=\"submit\">Filter</button> <a href=\"/ui/audit\">Clear</a></div></form>");

    long last = service.store().lastAudit().map(AuditEvent::seq).orElse(0L);
    List<AuditEvent> shown = new ArrayList<>();
    // newest first, reading back in pages until 200 match or 20,000 were scanned
    long to = last;
    long scanned = 0;
    while (to >= 1 && shown.size() < 200 && scanned < 20_000) {
      long from = Math.max(1, to - 999);
      List<AuditEvent> page = service.store().audit(from, (int) (to - from + 1));
      for (int i = page.size() - 1; i >= 0 && shown.size() < 200; i--) {
        AuditEvent e = page.get(i);
        if ((type == null || e.type().startsWith(type)) && (actor == null || e.actor().equals(actor))
            && (subject == null || e.subject().equals(subject))) {
          shown.add(e);
        }
      }
      scanned += page.size();
      to = from - 1;
    }
    b.append("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Audit events\"><table id=\"audit\"><thead><tr>")
        .append("<th scope=\"col\">#</th><th scope=\"col\">At (UTC)</th><th scope=\"col\">Event</th><th scope=\"col\">Actor</th>")
        .append("<th scope=\"col\">Subject</th><th scope=\"col\">Policy revision</th><th scope=\"col\">Details</th></tr></thead><tbody>");
    for (AuditEvent e : shown) {
      JsonNode data;
      try {
        data = Jsons.parse(e.data());
      } catch (IllegalArgumentException ex) {
        data = Jsons.object();
      }
      b.append("<tr data-type=\"").append(esc(e.type())).append("\"><td>").append(e.seq()).append("</td><td>").append(esc(e.at()))
          .append("</td><td>").append(esc(e.type())).append("</td><td>").append(esc(e.actor())).append("</td><td>")
          .append(esc(e.subject())).append("</td><td class=\"rev\">").append(esc(shortRev(revision(data)))).append("</td><td>")
          .append(esc(summary(e.type(), data))).append("</td></tr>");
    }
    b.append("</tbody></table></div>");
    if (shown.isEmpty()) {
      b.append("<p class=\"empty\">No events match.</p>");
    }
    return layout(s, "/ui/audit", "Audit", b.toString(), true);
  }

  /** The policy revision an event's decision was made under, when it names one. */
  static String revision(JsonNode d) {
    if (d.hasNonNull("policy_revision")) {
      return d.get("policy_revision").asText();
    }
    if (d.path("grant").hasNonNull("policy_revision")) {
      return d.path("grant").get("policy_revision").asText();
    }
    return "";
  }

  private static String summary(String type, JsonNode d) {
    List<String> parts = new ArrayList<>();
    for (String k : List.of("vote", "comment", "reason", "message", "grant_id", "path", "from", "to", "state")) {
      if (d.hasNonNull(k) && !d.get(k).asText().isEmpty()) {
        parts.add(k + ": " + d.get(k).asText());
      }
    }
    if (d.has("request")) {
      parts.add(AccessService.describe(d.path("request").get("target")));
    }
    if (d.has("grant")) {
      parts.add(AccessService.describe(d.path("grant").get("target")) + " until " + d.path("grant").path("expires_at").asText());
    }
    String out = String.join(" · ", parts);
    return out.length() > 300 ? out.substring(0, 300) + "…" : out;
  }

  private record Verified(AuditChain.Result result, Instant at) {}

  private volatile Verified lastVerified;

  /**
   * The whole chain verified (as {@code GET /api/v1/audit/verify} does), at most every 5 s: live
   * audit pages re-render on every event, and a full check per render per viewer would grow with
   * the chain. Always the full chain, never only the new events, so an edited old event shows.
   */
  private synchronized Verified verified() {
    Instant now = clock.instant();
    Verified v = lastVerified;
    if (v == null || !now.isBefore(v.at().plusSeconds(5))) {
      v = new Verified(verifyChain(), now);
      lastVerified = v;
    }
    return v;
  }

  /** The same check as {@code GET /api/v1/audit/verify}: the whole chain, and the last signed head. */
  private AuditChain.Result verifyChain() {
    Store store = service.store();
    AuditChain.Verifier v = new AuditChain.Verifier(1);
    long next = 1;
    while (true) {
      List<AuditEvent> page = store.audit(next, 5000);
      if (page.isEmpty() || !v.feed(page)) {
        break;
      }
      next = page.get(page.size() - 1).seq() + 1;
    }
    for (Store.SignedHead h : store.heads(1)) {
      v.checkHead(h.seq(), h.hash(), seq -> store.audit(seq, 1).stream().filter(e -> e.seq() == seq)
          .map(AuditEvent::hash).findFirst().orElse(null));
    }
    return v.result();
  }
}
