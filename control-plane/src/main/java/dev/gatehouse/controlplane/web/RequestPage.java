package dev.gatehouse.controlplane.web;

import static dev.gatehouse.controlplane.web.Html.esc;
import static dev.gatehouse.controlplane.web.Pages.csrf;
import static dev.gatehouse.controlplane.web.Pages.dd;
import static dev.gatehouse.controlplane.web.Pages.shortRev;
import static dev.gatehouse.controlplane.web.Pages.text;
import static dev.gatehouse.controlplane.web.Pages.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.policy.Policies;
import dev.gatehouse.controlplane.policy.PolicySnapshot;
import dev.gatehouse.controlplane.service.Refusal;
import dev.gatehouse.controlplane.web.Sessions.Session;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request access: the form, and what the policy said about it — a Check's dry run (approvals,
 * maximum duration, ticket, class, violations) or a refused filing's violations.
 */
final class RequestPage {
  private final Pages pages;
  private final Policies policies;

  RequestPage(Pages pages, Policies policies) {
    this.pages = pages;
    this.policies = policies;
  }


  String render(Session s, MultiMap f, ObjectNode evaluation, Refusal error) {
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
    return pages.layout(s, "/ui/request", "Request access", b.toString(), false);
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
    for (Map.Entry<String, JsonNode> e : policyData().path("services").properties()) {
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

}
