package dev.gatehouse.injector.admission;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The options objects of {@code pods/attach} and {@code pods/portforward} CONNECT requests, which
 * fabric8 7.4 has no model class for (it has {@code PodExecOptions}). Decoding into these checks
 * their shape; policies still see the object as sent.
 */
public final class ConnectOptions {
  private ConnectOptions() {}

  /** core/v1 PodAttachOptions. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PodAttachOptions(String apiVersion, String kind, Boolean stdin, Boolean stdout, Boolean stderr,
      Boolean tty, String container) {}

  /** core/v1 PodPortForwardOptions. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PodPortForwardOptions(String apiVersion, String kind, List<Integer> ports) {}
}
