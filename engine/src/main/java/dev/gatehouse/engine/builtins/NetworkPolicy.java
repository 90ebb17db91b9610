package dev.gatehouse.engine.builtins;

import java.util.List;
import java.util.Set;

/**
 * Which hosts a policy may reach through http.send and net.lookup_ip_addr. Off unless the
 * embedder allows it: a policy must not be able to reach the network by surprise.
 */
public record NetworkPolicy(boolean enabled, Set<String> allowedHosts) {
  public static final NetworkPolicy DENY_ALL = new NetworkPolicy(false, Set.of());

  public NetworkPolicy {
    allowedHosts = Set.copyOf(allowedHosts);
  }

  /** Allows exactly these hosts; {@code *} allows any host. */
  public static NetworkPolicy allow(List<String> hosts) {
    return new NetworkPolicy(true, Set.copyOf(hosts));
  }

  public boolean allows(String host) {
    return enabled && (allowedHosts.contains("*") || allowedHosts.contains(host.toLowerCase(java.util.Locale.ROOT)));
  }
}
