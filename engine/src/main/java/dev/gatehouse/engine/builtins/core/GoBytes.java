package dev.gatehouse.engine.builtins.core;

import java.nio.charset.StandardCharsets;

/**
 * Strings as Go sees them: UTF-8 bytes. Decoded bytes that are not valid UTF-8 read back the
 * way Go prints them (one U+FFFD per byte that does not start a valid sequence), not the way
 * Java's decoder would (one per maximal invalid subpart).
 */
final class GoBytes {
  private GoBytes() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return string(b, 0, b.length);
  }

  static String string(byte[] b, int from, int to) {
    StringBuilder sb = null;
    int i = from;
    int plainStart = from;
    while (i < to) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n = validSequence(b, i, to);
      if (n > 0) {
        i += n;
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(to - from);
      }
      sb.append(new String(b, plainStart, i - plainStart, StandardCharsets.UTF_8)).append('\uFFFD');
      i++;
      plainStart = i;
    }
    if (sb == null) {
      return new String(b, from, to - from, StandardCharsets.UTF_8);
    }
    return sb.append(new String(b, plainStart, to - plainStart, StandardCharsets.UTF_8)).toString();
  }

  /** The length of the valid UTF-8 sequence at i (Go's rules: no overlongs, surrogates or > U+10FFFF), or 0. */
  private static int validSequence(byte[] b, int i, int to) {
    int c = b[i] & 0xFF;
    int n;
    int lo = 0x80;
    int hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      if (c == 0xE0) {
        lo = 0xA0;
      } else if (c == 0xED) {
        hi = 0x9F;
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      if (c == 0xF0) {
        lo = 0x90;
      } else if (c == 0xF4) {
        hi = 0x8F;
      }
    } else {
      return 0;
    }
    if (i + n > to) {
      return 0;
    }
    int c1 = b[i + 1] & 0xFF;
    if (c1 < lo || c1 > hi) {
      return 0;
    }
    for (int k = 2; k < n; k++) {
      int ck = b[i + k] & 0xFF;
      if (ck < 0x80 || ck > 0xBF) {
        return 0;
      }
    }
    return n;
  }
}
