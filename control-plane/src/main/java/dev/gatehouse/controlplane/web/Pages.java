package dev.gatehouse.controlplane.web;

import static dev.gatehouse.controlplane.web.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.auth.Identity;
import dev.gatehouse.controlplane.policy.Policies;
import dev.gatehouse.controlplane.service.AccessService;
import dev.gatehouse.controlplane.service.Refusal;
import dev.gatehouse.controlplane.store.GrantRecord;
import dev.gatehouse.controlplane.store.GrantState;
import dev.gatehouse.controlplane.store.RequestRecord;
import dev.gatehouse.controlplane.store.RequestState;
import dev.gatehouse.controlplane.store.Store;
import dev.gatehouse.controlplane.web.Sessions.Session;
import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
  private final Clock clock;

  private final RequestPage requestPage;
  private final AuditPage auditPage;

  Pages(AccessService service, Policies policies, Clock clock) {
    this.service = service;
    this.clock = clock;
    this.requestPage = new RequestPage(this, policies);
    this.auditPage = new AuditPage(this, service, clock);
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

  static void text(StringBuilder b, String name, String label, String value, String placeholder, boolean required) {
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

  static String value(MultiMap f, String name, String def) {
    if (f == null) {
      return def;
    }
    String v = f.get(name);
    return v == null ? (name.equals("break_glass") ? "" : def) : v;
  }

  static void dd(StringBuilder b, String term, String value, String id) {
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

  // ------------------------------------------------------------------ the larger pages

  String requestForm(Session s, MultiMap f, ObjectNode evaluation, Refusal error) {
    return requestPage.render(s, f, evaluation, error);
  }

  String audit(Session s, MultiMap q) {
    return auditPage.render(s, q);
  }
}
