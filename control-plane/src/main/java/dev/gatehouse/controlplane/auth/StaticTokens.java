package dev.gatehouse.controlplane.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.controlplane.Jsons;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bearer tokens from a JSON file: {@code {"tokens":[{"token"|"sha256": …, "user": …, "groups": […],
 * "roles": […]}]}}. Tokens are looked up by their SHA-256, so the file may hold only digests, and
 * the comparison does not depend on how much of a guessed token matches.
 */
public final class StaticTokens {
  private final Map<String, Identity> byDigest;

  private StaticTokens(Map<String, Identity> byDigest) {
    this.byDigest = byDigest;
  }

  public static StaticTokens read(Path file) throws AuthException {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new AuthException(file + ": " + e.getMessage(), e);
    }
  }

  public static StaticTokens parse(String json, String source) throws AuthException {
    JsonNode root;
    try {
      root = Jsons.parse(json);
    } catch (IllegalArgumentException e) {
      throw new AuthException(source + ": " + e.getMessage());
    }
    JsonNode tokens = root.get("tokens");
    if (tokens == null || !tokens.isArray()) {
      throw new AuthException(source + ": expected {\"tokens\": [{\"token\", \"user\", \"groups\", \"roles\"}]}");
    }
    Map<String, Identity> out = new HashMap<>();
    int i = 0;
    for (JsonNode t : tokens) {
      String where = source + ": tokens[" + i++ + "]";
      String user = Jsons.text(t, "user");
      if (user == null || user.isBlank()) {
        throw new AuthException(where + ": user is required");
      }
      String digest;
      if (t.hasNonNull("sha256")) {
        digest = t.get("sha256").asText().toLowerCase();
      } else if (t.hasNonNull("token") && t.get("token").asText().length() >= 16) {
        digest = digest(t.get("token").asText());
      } else {
        throw new AuthException(where + ": token (at least 16 characters) or sha256 is required");
      }
      if (out.put(digest, new Identity(user, strings(t.get("groups")), new LinkedHashSet<>(strings(t.get("roles"))),
          "token")) != null) {
        throw new AuthException(where + ": the same token is listed twice");
      }
    }
    return new StaticTokens(out);
  }

  static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(x -> out.add(x.asText()));
    } else if (n != null && n.isTextual()) {
      out.add(n.asText());
    }
    return out;
  }

  public Identity lookup(String token) {
    return byDigest.get(digest(token));
  }

  public Set<String> users() {
    Set<String> s = new LinkedHashSet<>();
    byDigest.values().forEach(i -> s.add(i.user()));
    return s;
  }

  public static String digest(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
