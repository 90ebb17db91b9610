package dev.gatehouse.engine.builtins.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Base64 with the decoding rules and error offsets of Go's {@code encoding/base64} (padded,
 * non-strict): CR and LF are skipped, padding must be complete, and the first bad byte is
 * reported as {@code illegal base64 data at input byte N}. OPA's error messages carry those
 * offsets, so the JDK decoder (whose errors differ) is only used for encoding.
 */
public final class GoBase64 {
  private static final int[] STD = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
  private static final int[] URL = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

  private GoBase64() {}

  /** A decoding failure at a byte offset of the input, worded as Go's CorruptInputError. */
  public static final class CorruptInputException extends Exception {
    private final long offset;

    CorruptInputException(long offset) {
      super("illegal base64 data at input byte " + offset, null, false, false);
      this.offset = offset;
    }

    public long offset() {
      return offset;
    }
  }

  /** Go's {@code base64.StdEncoding.DecodeString}. */
  public static byte[] decodeStd(String s) throws CorruptInputException {
    return decode(s.getBytes(StandardCharsets.UTF_8), STD);
  }

  public static byte[] decodeStd(byte[] s) throws CorruptInputException {
    return decode(s, STD);
  }

  /** Go's {@code base64.URLEncoding.DecodeString} (padding required). */
  public static byte[] decodeUrl(String s) throws CorruptInputException {
    return decode(s.getBytes(StandardCharsets.UTF_8), URL);
  }

  public static String encodeStd(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  public static String encodeRawUrl(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Decodes quantum by quantum, with Go's rules for newlines, padding and trailing garbage. */
  private static byte[] decode(byte[] src, int[] map) throws CorruptInputException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(src.length * 3 / 4);
    int si = 0;
    int[] quantum = new int[4];
    while (true) {
      int len = 4;
      boolean done = false;
      int j = 0;
      while (j < 4) {
        if (si == src.length) {
          if (j == 0) {
            return out.toByteArray();
          }
          // a partial quantum without padding: the padded alphabet requires '='
          throw new CorruptInputException(si - j);
        }
        int in = src[si] & 0xff;
        si++;
        int v = map[in];
        if (v >= 0) {
          quantum[j++] = v;
          continue;
        }
        if (in == '\n' || in == '\r') {
          continue;
        }
        if (in != '=') {
          throw new CorruptInputException(si - 1);
        }
        // padding: valid only after two or three symbols
        if (j < 2) {
          throw new CorruptInputException(si - 1);
        }
        if (j == 2) {
          while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
            si++;
          }
          if (si == src.length) {
            throw new CorruptInputException(src.length);
          }
          if (src[si] != '=') {
            throw new CorruptInputException(si - 1);
          }
          si++;
        }
        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
          si++;
        }
        if (si < src.length) {
          throw new CorruptInputException(si);
        }
        len = j;
        done = true;
        break;
      }
      int val = quantum[0] << 18 | quantum[1] << 12 | (len > 2 ? quantum[2] << 6 : 0) | (len > 3 ? quantum[3] : 0);
      out.write(val >> 16);
      if (len > 2) {
        out.write(val >> 8);
      }
      if (len > 3) {
        out.write(val);
      }
      if (done) {
        return out.toByteArray();
      }
    }
  }

  private static int[] table(String alphabet) {
    int[] t = new int[256];
    java.util.Arrays.fill(t, -1);
    for (int i = 0; i < alphabet.length(); i++) {
      t[alphabet.charAt(i)] = i;
    }
    return t;
  }
}
