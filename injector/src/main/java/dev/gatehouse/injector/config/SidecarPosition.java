package dev.gatehouse.injector.config;

/** Where the sidecar goes in its container list: first (ready before other init containers run) or last. */
public enum SidecarPosition {
  FIRST, LAST
}
