package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;

/** uuid.parse: the UUID's fields; undefined for text that is not a UUID. */
final class Uuids {
  /** 100-nanosecond intervals between 1582-10-15 and 1970-01-01. */
  private static final long GREGORIAN_OFFSET = 122_192_928_000_000_000L;

  private Uuids() {}

  static Value parse(String s) {
    byte[] u = bytes(s);
    if (u == null) {
      return null;
    }
    int version = (u[6] & 0xFF) >> 4;
    ObjectValue.Builder out = ObjectValue.builder();
    out.put("version", NumberValue.of(version));
    out.put("variant", StringValue.of(variant(u[8] & 0xFF)));
    if (version == 1 || version == 2) {
      long time = (be(u, 0, 4)) | (be(u, 4, 2) << 32) | ((be(u, 6, 2) & 0xFFF) << 48);
      long t = time - GREGORIAN_OFFSET;
      long nsec = (t % 10_000_000L) * 100;
      long sec = t / 10_000_000L;
      out.put("time", NumberValue.of(sec * 1_000_000_000L + nsec));
      StringBuilder node = new StringBuilder();
      for (int i = 10; i < 16; i++) {
        if (i > 10) {
          node.append('-');
        }
        node.append(String.format("%02x", u[i] & 0xFF));
      }
      out.put("nodeid", StringValue.of(node.toString()));
      out.put("macvariables", StringValue.of(macVariables(u[10] & 0xFF)));
      out.put("clocksequence", NumberValue.of(be(u, 8, 2) & 0x3FFF));
      if (version == 2) {
        out.put("id", NumberValue.of(be(u, 0, 4)));
        int domain = u[9] & 0xFF;
        out.put("domain", StringValue.of(switch (domain) {
          case 0 -> "Person";
          case 1 -> "Group";
          case 2 -> "Org";
          default -> "Domain" + domain;
        }));
      }
    }
    return out.build();
  }

  /** The 16 bytes, from the forms google/uuid accepts: plain, urn:uuid:, braces (any wrapper), 32 hex digits. */
  private static byte[] bytes(String s) {
    byte[] u = new byte[16];
    switch (s.length()) {
      case 36:
        break;
      case 45:
        if (!s.substring(0, 9).equalsIgnoreCase("urn:uuid:")) {
          return null;
        }
        s = s.substring(9);
        break;
      case 38:
        s = s.substring(1, 37);
        break;
      case 32:
        for (int i = 0; i < 16; i++) {
          int b = hexByte(s, i * 2);
          if (b < 0) {
            return null;
          }
          u[i] = (byte) b;
        }
        return u;
      default:
        return null;
    }
    if (s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
      return null;
    }
    int[] at = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
    for (int i = 0; i < 16; i++) {
      int b = hexByte(s, at[i]);
      if (b < 0) {
        return null;
      }
      u[i] = (byte) b;
    }
    return u;
  }

  private static int hexByte(String s, int i) {
    if (i + 1 >= s.length()) {
      return -1;
    }
    int hi = hex(s.charAt(i));
    int lo = hex(s.charAt(i + 1));
    return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static long be(byte[] b, int from, int n) {
    long v = 0;
    for (int i = from; i < from + n; i++) {
      v = v << 8 | (b[i] & 0xFF);
    }
    return v;
  }

  private static String variant(int b) {
    if ((b & 0xC0) == 0x80) {
      return "RFC4122";
    }
    if ((b & 0xE0) == 0xC0) {
      return "Microsoft";
    }
    if ((b & 0xE0) == 0xE0) {
      return "Future";
    }
    return "Reserved";
  }

  private static String macVariables(int b) {
    if ((b & 0b11) == 0b11) {
      return "local:multicast";
    }
    if ((b & 0b01) == 0b01) {
      return "global:multicast";
    }
    if ((b & 0b10) == 0b10) {
      return "local:unicast";
    }
    return "global:unicast";
  }
}
