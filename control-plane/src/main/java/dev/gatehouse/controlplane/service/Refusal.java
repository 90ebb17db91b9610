package dev.gatehouse.controlplane.service;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A call the control plane refuses: an HTTP status, a stable error code, a message for people and
 * optional details (the policy's violations or reasons). Refusals never change state, except the
 * audit event that records a security-relevant one.
 */
public final class Refusal extends RuntimeException {
  private final int status;
  private final String error;
  private final transient ObjectNode details;

  public Refusal(int status, String error, String message) {
    this(status, error, message, null);
  }

  public Refusal(int status, String error, String message, ObjectNode details) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
    this.details = details;
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public ObjectNode details() {
    return details;
  }

  public static Refusal badRequest(String error, String message) {
    return new Refusal(400, error, message);
  }

  public static Refusal notFound(String what, String id) {
    return new Refusal(404, "not_found", "no " + what + " with id " + id);
  }
}
