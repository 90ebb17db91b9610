package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.BuiltinException;
import java.io.ByteArrayOutputStream;

/**
 * Go's encoding/base64 decoding: standard or URL alphabet, padded or not, CR and LF ignored,
 * errors as {@code illegal base64 data at input byte N} (N a byte offset of the input).
 */
final class GoBase64 {
  private static final byte[] STD = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
  private static final byte[] URL = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

  private GoBase64() {}

  private static byte[] table(String alphabet) {
    byte[] t = new byte[256];
    java.util.Arrays.fill(t, (byte) -1);
    for (int i = 0; i < alphabet.length(); i++) {
      t[alphabet.charAt(i)] = (byte) i;
    }
    return t;
  }

  static byte[] decode(String s, boolean url, boolean padded) {
    byte[] src = GoBytes.utf8(s);
    byte[] map = url ? URL : STD;
    ByteArrayOutputStream out = new ByteArrayOutputStream(src.length * 3 / 4);
    int si = 0;
    while (true) {
      int[] dbuf = new int[4];
      int dlen = 4;
      boolean last = false;
      int j = 0;
      while (j < 4) {
        if (si == src.length) {
          if (j == 0) {
            return out.toByteArray();
          }
          if (j == 1 || padded) {
            throw corrupt(si - j);
          }
          dlen = j;
          last = true;
          break;
        }
        int in = src[si] & 0xFF;
        si++;
        int v = map[in];
        if (v >= 0) {
          dbuf[j++] = v;
          continue;
        }
        if (in == '\n' || in == '\r') {
          continue;
        }
        if (in != '=' || !padded) {
          throw corrupt(si - 1);
        }
        // padding: the end of the data
        if (j == 0 || j == 1) {
          throw corrupt(si - 1);
        }
        if (j == 2) {
          while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
            si++;
          }
          if (si == src.length) {
            throw corrupt(src.length);
          }
          if (src[si] != '=') {
            throw corrupt(si - 1);
          }
          si++;
        }
        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
          si++;
        }
        if (si < src.length) {
          throw corrupt(si);
        }
        dlen = j;
        last = true;
        break;
      }
      int val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3];
      if (dlen >= 2) {
        out.write(val >> 16);
      }
      if (dlen >= 3) {
        out.write(val >> 8);
      }
      if (dlen == 4) {
        out.write(val);
      }
      if (last) {
        return out.toByteArray();
      }
    }
  }

  private static BuiltinException corrupt(int offset) {
    return BuiltinException.error("illegal base64 data at input byte " + offset);
  }
}
