package dev.gatehouse.controlplane.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.controlplane.Jsons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Turns a call's credentials into an {@link Identity}: a bearer token (a JWT when it has three
 * dot-separated parts and OIDC is configured, else a static token), or a verified mTLS client
 * certificate (user = the subject's CN, groups = its OUs). Nothing in a request body counts.
 *
 * <p>The configuration file ({@code --auth}): {@code {"tokens_file": "tokens.json", "oidc":
 * {"issuer", "audience", "jwks_file" | "jwks_url", "user_claim", "groups_claim", "algorithms"},
 * "mtls": {"client_ca": "ca.pem"}, "roles": {"<user>": ["enforcer", "auditor", "admin"]}}};
 * relative paths are relative to the file.
 */
public final class Authenticator {
  private final StaticTokens tokens;
  private final JwtVerifier jwt;
  private final Path clientCa;
  private final Map<String, List<String>> roles;

  public Authenticator(StaticTokens tokens, JwtVerifier jwt, Path clientCa, Map<String, List<String>> roles) {
    this.tokens = tokens;
    this.jwt = jwt;
    this.clientCa = clientCa;
    this.roles = roles == null ? Map.of() : roles;
  }

  public static Authenticator load(Path configFile) throws AuthException {
    JsonNode c;
    try {
      c = Jsons.parse(Files.readString(configFile));
    } catch (IOException | IllegalArgumentException e) {
      throw new AuthException(configFile + ": " + e.getMessage(), e);
    }
    Path base = configFile.toAbsolutePath().getParent();
    StaticTokens tokens = c.hasNonNull("tokens_file") ? StaticTokens.read(base.resolve(c.get("tokens_file").asText())) : null;
    JwtVerifier jwt = null;
    JsonNode o = c.get("oidc");
    if (o != null && !o.isNull()) {
      jwt = new JwtVerifier(new JwtVerifier.Config(Jsons.text(o, "issuer"), Jsons.text(o, "audience"),
          o.hasNonNull("jwks_file") ? base.resolve(o.get("jwks_file").asText()) : null, Jsons.text(o, "jwks_url"),
          Jsons.text(o, "user_claim"), Jsons.text(o, "groups_claim"), StaticTokens.strings(o.get("algorithms"))));
    }
    Path ca = null;
    JsonNode m = c.get("mtls");
    if (m != null && m.hasNonNull("client_ca")) {
      ca = base.resolve(m.get("client_ca").asText());
    }
    Map<String, List<String>> roles = new HashMap<>();
    JsonNode r = c.get("roles");
    if (r != null && r.isObject()) {
      r.properties().forEach(e -> roles.put(e.getKey(), StaticTokens.strings(e.getValue())));
    }
    if (tokens == null && jwt == null && ca == null) {
      throw new AuthException(configFile + ": configure at least one of tokens_file, oidc, mtls");
    }
    return new Authenticator(tokens, jwt, ca, roles);
  }

  /** The CA file whose certificates the server asks clients for (null: no mTLS). */
  public Path clientCa() {
    return clientCa;
  }

  public StaticTokens tokens() {
    return tokens;
  }

  /**
   * @param authorization the Authorization header (may be null)
   * @param peer the verified client certificate chain, or null
   */
  public AuthResult authenticate(String authorization, Certificate[] peer) {
    if (authorization != null && !authorization.isBlank()) {
      String[] parts = authorization.trim().split("\\s+", 2);
      if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
        return new AuthResult.Failed("header", "the Authorization header is not \"Bearer <token>\"");
      }
      String token = parts[1].trim();
      if (token.chars().filter(ch -> ch == '.').count() == 2 && jwt != null) {
        try {
          return new AuthResult.Ok(jwt.verify(token, roles));
        } catch (Exception e) {
          return new AuthResult.Failed("oidc", "invalid JWT: " + e.getMessage());
        }
      }
      if (tokens != null) {
        Identity id = tokens.lookup(token);
        if (id != null) {
          return new AuthResult.Ok(withRoles(id));
        }
      }
      return new AuthResult.Failed(token.chars().filter(ch -> ch == '.').count() == 2 ? "oidc" : "token",
          jwt == null && token.chars().filter(ch -> ch == '.').count() == 2
              ? "a JWT was presented but OIDC is not configured" : "unknown bearer token");
    }
    if (clientCa != null && peer != null && peer.length > 0 && peer[0] instanceof X509Certificate cert) {
      return certificate(cert);
    }
    return new AuthResult.Missing();
  }

  /** The roles the configuration gives a user by name (empty when none). */
  public Map<String, List<String>> roles() {
    return roles;
  }

  private Identity withRoles(Identity id) {
    List<String> extra = roles.get(id.user());
    if (extra == null) {
      return id;
    }
    LinkedHashSet<String> all = new LinkedHashSet<>(id.roles());
    all.addAll(extra);
    return new Identity(id.user(), id.groups(), all, id.method());
  }

  private AuthResult certificate(X509Certificate cert) {
    try {
      String cn = null;
      List<String> ous = new ArrayList<>();
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = String.valueOf(rdn.getValue());
        } else if (rdn.getType().equalsIgnoreCase("OU")) {
          ous.add(String.valueOf(rdn.getValue()));
        }
      }
      if (cn == null || cn.isBlank()) {
        return new AuthResult.Failed("mtls", "client certificate has no CN");
      }
      return new AuthResult.Ok(withRoles(new Identity(cn, ous, new LinkedHashSet<>(), "mtls")));
    } catch (Exception e) {
      return new AuthResult.Failed("mtls", "unreadable client certificate subject: " + e.getMessage());
    }
  }
}
