package dev.gatehouse.injector.inject;

/**
 * The pod asks for something that cannot be injected (an invalid override annotation, a bad
 * opt-in value). The webhook denies the pod with this message rather than inject a guess.
 */
public class InjectionException extends RuntimeException {
  public InjectionException(String message) {
    super(message, null, false, false);
  }
}
