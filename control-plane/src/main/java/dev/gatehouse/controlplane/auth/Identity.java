package dev.gatehouse.controlplane.auth;

import java.util.List;
import java.util.Set;

/**
 * Who is calling, as the credential says: {@code user} exactly as the authenticator gives it,
 * groups from the token (policies add team membership from data), roles such as {@code enforcer}
 * (bundle clients), {@code auditor} and {@code admin}, and how they authenticated.
 */
public record Identity(String user, List<String> groups, Set<String> roles, String method) {
  public static final String ENFORCER = "enforcer";
  public static final String AUDITOR = "auditor";
  public static final String ADMIN = "admin";

  public Identity {
    groups = List.copyOf(groups);
    roles = Set.copyOf(roles);
  }

  public boolean has(String role) {
    return roles.contains(role) || roles.contains(ADMIN);
  }
}
