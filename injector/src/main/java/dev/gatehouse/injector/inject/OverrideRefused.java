package dev.gatehouse.injector.inject;

/**
 * The pod asks for an override the configuration does not allow it (opting out where the sidecar
 * is required, another sidecar image, another bundle service). The webhook answers 403: the pod is
 * well formed, but its author may not do this.
 */
public final class OverrideRefused extends InjectionException {
  public OverrideRefused(String message) {
    super(message);
  }
}
