package dev.gatehouse.controlplane.web;

import static dev.gatehouse.controlplane.web.Html.esc;
import static dev.gatehouse.controlplane.web.Pages.shortRev;
import static dev.gatehouse.controlplane.web.Pages.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.audit.AuditChain;
import dev.gatehouse.controlplane.service.AccessService;
import dev.gatehouse.controlplane.store.AuditEvent;
import dev.gatehouse.controlplane.store.Store;
import dev.gatehouse.controlplane.web.Sessions.Session;
import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Audit: the hash chain's verification status and the newest events matching a filter, each with
 * the policy revision behind its decision. The caller's role is checked by {@link WebUi}.
 */
final class AuditPage {
  private final Pages pages;
  private final AccessService service;
  private final Clock clock;

  AuditPage(Pages pages, AccessService service, Clock clock) {
    this.pages = pages;
    this.service = service;
    this.clock = clock;
  }


  String render(Session s, MultiMap q) {
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
    return pages.layout(s, "/ui/audit", "Audit", b.toString(), true);
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
