package dev.gatehouse.engine.builtins.tokens;

import dev.gatehouse.engine.builtins.crypto.GoBase64;

/**
 * OPA's base64url.decode as the JWT builtins use it: missing padding is restored (RFC 7515
 * appendix C), then Go's padded URL alphabet decodes it, with Go's error messages.
 */
final class Base64Url {
  private Base64Url() {}

  /** A decode failure; the message is OPA's (e.g. {@code illegal base64 data at input byte 13}). */
  static final class DecodeException extends Exception {
    DecodeException(String message) {
      super(message, null, false, false);
    }
  }

  static byte[] decode(String s) throws DecodeException {
    String padded = s;
    if (!s.endsWith("=")) {
      switch (s.length() % 4) {
        case 0 -> { }
        case 2 -> padded = s + "==";
        case 3 -> padded = s + "=";
        default -> throw new DecodeException("illegal base64url string: " + s);
      }
    }
    try {
      return GoBase64.decodeUrl(padded);
    } catch (GoBase64.CorruptInputException e) {
      throw new DecodeException(e.getMessage());
    }
  }
}
