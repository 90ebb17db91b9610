package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** How requests and grants print in tables and detail views. */
final class Views {
  private Views() {}

  static String target(JsonNode t) {
    if (t == null || t.isMissingNode()) {
      return "";
    }
    return switch (t.path("kind").asText()) {
      case "service" -> {
        List<String> a = new ArrayList<>();
        t.path("actions").forEach(x -> a.add(x.asText()));
        yield t.path("service").asText() + " (" + t.path("namespace").asText() + ") " + String.join(",", a);
      }
      case "namespace" -> "namespace " + t.path("namespace").asText() + " as " + t.path("role").asText();
      case "pod-exec" -> "exec " + t.path("namespace").asText() + "/" + t.path("pod").asText("*")
          + (t.hasNonNull("container") ? " -c " + t.get("container").asText() : "");
      default -> t.toString();
    };
  }

  static String requestTable(JsonNode requests) {
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode r : requests) {
      String state = r.path("state").asText() + (r.path("needs_review").asBoolean() ? " (needs review)" : "")
          + (r.path("break_glass").asBoolean() ? " [break-glass]" : "");
      rows.add(List.of(r.path("id").asText(), state, r.path("requester").asText(), target(r.path("target")),
          r.path("duration").asText(), r.path("approvals").asInt() + "/" + r.path("required_approvals").asInt(),
          r.path("created_at").asText()));
    }
    return Table.render(List.of("ID", "STATE", "REQUESTER", "TARGET", "FOR", "APPROVALS", "CREATED"), rows);
  }

  static String grantTable(JsonNode grants) {
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode g : grants) {
      List<String> a = new ArrayList<>();
      g.path("approvers").forEach(x -> a.add(x.asText()));
      rows.add(List.of(g.path("id").asText(), g.path("state").asText() + (g.path("break_glass").asBoolean() ? " [break-glass]" : ""),
          g.path("subject").asText(), target(g.path("target")), g.path("not_before").asText(), g.path("expires_at").asText(),
          String.join(",", a)));
    }
    return Table.render(List.of("ID", "STATE", "SUBJECT", "TARGET", "FROM", "UNTIL", "APPROVERS"), rows);
  }

  static String request(JsonNode r) {
    StringBuilder sb = new StringBuilder();
    line(sb, "Request", r.path("id").asText());
    line(sb, "State", r.path("state").asText() + (r.path("needs_review").asBoolean() ? " (needs a post-hoc review)" : ""));
    line(sb, "Requester", r.path("requester").asText());
    line(sb, "Target", target(r.path("target")));
    line(sb, "Duration", r.path("duration").asText() + (r.hasNonNull("max_duration") ? " (max " + r.get("max_duration").asText() + ")" : ""));
    if (r.hasNonNull("start_at")) {
      line(sb, "Starts", r.get("start_at").asText());
    }
    line(sb, "Reason", r.path("justification").asText());
    if (r.hasNonNull("ticket")) {
      line(sb, "Ticket", r.get("ticket").asText());
    }
    if (r.path("break_glass").asBoolean()) {
      line(sb, "Break-glass", "yes");
    }
    if (r.hasNonNull("extends")) {
      line(sb, "Extends", r.get("extends").asText());
    }
    line(sb, "Approvals", r.path("approvals").asInt() + " of " + r.path("required_approvals").asInt() + " required");
    if (r.hasNonNull("grant_id")) {
      line(sb, "Grant", r.get("grant_id").asText());
    }
    line(sb, "Created", r.path("created_at").asText());
    line(sb, "Policy", r.path("policy_revision").asText());
    for (JsonNode v : r.path("reviews")) {
      sb.append("  ").append(v.path("decision").asText()).append(" by ").append(v.path("reviewer").asText())
          .append(" at ").append(v.path("at").asText())
          .append(v.hasNonNull("comment") ? ": " + v.get("comment").asText() : "").append('\n');
    }
    return sb.toString();
  }

  static String grant(JsonNode g) {
    StringBuilder sb = new StringBuilder();
    line(sb, "Grant", g.path("id").asText());
    line(sb, "State", g.path("state").asText());
    line(sb, "Subject", g.path("subject").asText());
    line(sb, "Target", target(g.path("target")));
    line(sb, "From", g.path("not_before").asText());
    line(sb, "Until", g.path("expires_at").asText());
    List<String> a = new ArrayList<>();
    g.path("approvers").forEach(x -> a.add(x.asText()));
    line(sb, "Approvers", a.isEmpty() ? "(none: auto-approved or break-glass)" : String.join(", ", a));
    line(sb, "Request", g.path("request_id").asText());
    if (g.path("revoked").asBoolean()) {
      line(sb, "Revoked", g.path("revoked_at").asText() + " by " + g.path("revoked_by").asText());
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String k, String v) {
    sb.append(String.format("%-12s %s%n", k + ":", v));
  }
}
