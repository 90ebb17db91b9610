package dev.gatehouse.injector.inject;

import java.util.List;

/**
 * Who is creating the pod, as the API server's authenticator says ({@code request.userInfo}): the
 * overrides a pod may use can depend on it.
 *
 * @param user the exact user name
 * @param groups the user's groups
 */
public record Requester(String user, List<String> groups) {
  /** Offline injection: nobody in particular, so nothing is allowed on someone's behalf. */
  public static final Requester UNKNOWN = new Requester("", List.of());

  public Requester {
    user = user == null ? "" : user;
    groups = groups == null ? List.of() : groups.stream().filter(java.util.Objects::nonNull).toList();
  }
}
