package dev.gatehouse.engine.builtins.core;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * IP addresses and networks as Go's net package has them: addresses in 16-byte form (IPv4 as
 * ::ffff:a.b.c.d), networks with a 4- or 16-byte mask, strict parsing (no leading zeros in IPv4,
 * no zones), and Go's text forms (IPv4-mapped addresses print as IPv4; IPv6 in RFC 5952 form).
 */
final class GoIp {
  private static final byte[] V4_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

  private GoIp() {}

  /** A network: ip has the mask's length for IPv4 networks (4) and 16 otherwise. */
  record Net(byte[] ip, byte[] mask) {}

  // ---------------------------------------------------------------- parsing

  /** Go's net.ParseIP: the 16-byte address, or null. */
  static byte[] parseIP(String s) {
    byte[] v4 = parseIPv4(s);
    if (v4 != null) {
      return v4to16(v4);
    }
    return parseIPv6(s);
  }

  static byte[] v4to16(byte[] v4) {
    byte[] out = Arrays.copyOf(V4_PREFIX, 16);
    System.arraycopy(v4, 0, out, 12, 4);
    return out;
  }

  /** Dotted decimal, four fields of 0-255 without leading zeros. */
  static byte[] parseIPv4(String s) {
    byte[] out = new byte[4];
    int field = 0;
    int i = 0;
    while (field < 4) {
      int start = i;
      int v = 0;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        v = v * 10 + (s.charAt(i) - '0');
        if (v > 255) {
          return null;
        }
        i++;
      }
      int len = i - start;
      if (len == 0 || (len > 1 && s.charAt(start) == '0')) {
        return null;
      }
      out[field++] = (byte) v;
      if (field < 4) {
        if (i >= s.length() || s.charAt(i) != '.') {
          return null;
        }
        i++;
      }
    }
    return i == s.length() ? out : null;
  }

  /** RFC 4291 text: hex groups, one "::", optionally a trailing dotted IPv4; no zone. */
  static byte[] parseIPv6(String s) {
    byte[] ip = new byte[16];
    int ellipsis = -1;
    int i = 0;
    if (s.length() >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
      ellipsis = 0;
      i = 2;
      if (i == s.length()) {
        return ip;
      }
    }
    int j = 0;
    while (j < 16) {
      int start = i;
      int v = 0;
      while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
        v = v * 16 + Character.digit(s.charAt(i), 16);
        i++;
        if (i - start > 4) {
          return null;
        }
      }
      if (i == start) {
        return null;
      }
      // an embedded IPv4 address ends the text
      if (i < s.length() && s.charAt(i) == '.') {
        if (ellipsis < 0 && j != 12) {
          return null;
        }
        if (j + 4 > 16) {
          return null;
        }
        byte[] v4 = parseIPv4(s.substring(start));
        if (v4 == null) {
          return null;
        }
        System.arraycopy(v4, 0, ip, j, 4);
        j += 4;
        i = s.length();
        break;
      }
      ip[j] = (byte) (v >> 8);
      ip[j + 1] = (byte) v;
      j += 2;
      if (i == s.length()) {
        break;
      }
      if (s.charAt(i) != ':' || i + 1 == s.length()) {
        return null;
      }
      i++;
      if (s.charAt(i) == ':') {
        if (ellipsis >= 0) {
          return null;
        }
        ellipsis = j;
        i++;
        if (i == s.length()) {
          break;
        }
      }
    }
    if (i != s.length()) {
      return null;
    }
    if (j < 16) {
      if (ellipsis < 0) {
        return null;
      }
      int n = 16 - j;
      for (int k = j - 1; k >= ellipsis; k--) {
        ip[k + n] = ip[k];
      }
      for (int k = ellipsis + n - 1; k >= ellipsis; k--) {
        ip[k] = 0;
      }
    } else if (ellipsis >= 0) {
      return null; // "::" must stand for at least one group
    }
    return ip;
  }

  /** Go's net.ParseCIDR: the masked network, or null when s is not a CIDR. */
  static Net parseCIDR(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String addr = s.substring(0, slash);
    String bits = s.substring(slash + 1);
    byte[] v4 = parseIPv4(addr);
    byte[] ip16 = v4 != null ? v4to16(v4) : parseIPv6(addr);
    if (ip16 == null) {
      return null;
    }
    int len = v4 != null ? 4 : 16;
    int n = 0;
    int k = 0;
    while (k < bits.length() && bits.charAt(k) >= '0' && bits.charAt(k) <= '9') {
      n = n * 10 + (bits.charAt(k) - '0');
      if (n > 0xFFFFFF) {
        return null;
      }
      k++;
    }
    if (k == 0 || k != bits.length() || n > 8 * len) {
      return null;
    }
    byte[] mask = cidrMask(n, 8 * len);
    return new Net(applyMask(ip16, mask), mask);
  }

  static byte[] cidrMask(int ones, int bits) {
    byte[] m = new byte[bits / 8];
    for (int i = 0; i < m.length; i++) {
      int take = Math.max(0, Math.min(8, ones - 8 * i));
      m[i] = (byte) (0xFF << (8 - take));
    }
    return m;
  }

  /** Go's classful IP.DefaultMask for an IPv4 address. */
  static byte[] defaultMask(byte[] ip16) {
    int first = ip16[12] & 0xFF;
    return cidrMask(first < 0x80 ? 8 : first < 0xC0 ? 16 : 24, 32);
  }

  /** Go's IP.To4: the 4-byte form, or null. */
  static byte[] to4(byte[] ip) {
    if (ip.length == 4) {
      return ip;
    }
    if (ip.length == 16) {
      for (int i = 0; i < 12; i++) {
        if (ip[i] != V4_PREFIX[i]) {
          return null;
        }
      }
      return Arrays.copyOfRange(ip, 12, 16);
    }
    return null;
  }

  /** Go's IP.Mask. */
  static byte[] applyMask(byte[] ip, byte[] mask) {
    if (mask.length == 16 && ip.length == 4) {
      boolean allOnesPrefix = true;
      for (int i = 0; i < 12; i++) {
        allOnesPrefix &= mask[i] == (byte) 0xFF;
      }
      if (allOnesPrefix) {
        mask = Arrays.copyOfRange(mask, 12, 16);
      }
    }
    if (mask.length == 4 && ip.length == 16 && to4(ip) != null) {
      ip = to4(ip);
    }
    if (ip.length != mask.length) {
      return null;
    }
    byte[] out = new byte[ip.length];
    for (int i = 0; i < ip.length; i++) {
      out[i] = (byte) (ip[i] & mask[i]);
    }
    return out;
  }

  /** Go's networkNumberAndMask: {ip, mask} of equal length, or null. */
  private static byte[][] numberAndMask(Net n) {
    byte[] ip = to4(n.ip());
    if (ip == null) {
      ip = n.ip();
      if (ip.length != 16) {
        return null;
      }
    }
    byte[] m = n.mask();
    if (m.length == 4) {
      if (ip.length != 4) {
        return null;
      }
    } else if (m.length == 16) {
      if (ip.length == 4) {
        m = Arrays.copyOfRange(m, 12, 16);
      }
    } else {
      return null;
    }
    return new byte[][] {ip, m};
  }

  /** Go's IPNet.Contains. */
  static boolean contains(Net n, byte[] ip) {
    byte[][] nm = numberAndMask(n);
    if (nm == null) {
      return false;
    }
    byte[] x = to4(ip);
    if (x != null) {
      ip = x;
    }
    if (ip.length != nm[0].length) {
      return false;
    }
    for (int i = 0; i < ip.length; i++) {
      if ((nm[0][i] & nm[1][i]) != (ip[i] & nm[1][i])) {
        return false;
      }
    }
    return true;
  }

  /** Ones and bits of a canonical mask ({0, 0} when it is not a run of ones then zeros). */
  static int[] maskSize(byte[] mask) {
    int ones = 0;
    boolean zero = false;
    for (byte b : mask) {
      for (int bit = 7; bit >= 0; bit--) {
        boolean set = ((b >> bit) & 1) == 1;
        if (set && zero) {
          return new int[] {0, 0};
        }
        if (set) {
          ones++;
        } else {
          zero = true;
        }
      }
    }
    return new int[] {ones, mask.length * 8};
  }

  // ---------------------------------------------------------------- text

  /** Go's IP.String. */
  static String toString(byte[] ip) {
    byte[] v4 = to4(ip);
    if (v4 != null) {
      return (v4[0] & 0xFF) + "." + (v4[1] & 0xFF) + "." + (v4[2] & 0xFF) + "." + (v4[3] & 0xFF);
    }
    // the longest run of two or more zero groups becomes "::" (the first such run on ties)
    int bestStart = -1;
    int bestLen = 0;
    for (int g = 0; g < 8; ) {
      if (group(ip, g) == 0) {
        int start = g;
        while (g < 8 && group(ip, g) == 0) {
          g++;
        }
        if (g - start > bestLen && g - start >= 2) {
          bestStart = start;
          bestLen = g - start;
        }
      } else {
        g++;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int g = 0; g < 8; g++) {
      if (g == bestStart) {
        sb.append("::");
        g += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(group(ip, g)));
    }
    return sb.toString();
  }

  private static int group(byte[] ip, int g) {
    return (ip[2 * g] & 0xFF) << 8 | (ip[2 * g + 1] & 0xFF);
  }

  /** Go's IPNet.String. */
  static String toString(Net n) {
    byte[][] nm = numberAndMask(n);
    if (nm == null) {
      return "<nil>";
    }
    int[] size = maskSize(nm[1]);
    if (size[1] == 0) {
      StringBuilder hex = new StringBuilder();
      for (byte b : nm[1]) {
        hex.append(String.format("%02x", b & 0xFF));
      }
      return toString(nm[0]) + "/" + hex;
    }
    return toString(nm[0]) + "/" + size[0];
  }

  static BigInteger toBig(byte[] ip) {
    return new BigInteger(1, ip);
  }

  static byte[] fromBig(BigInteger v, int len) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[len];
    int n = Math.min(raw.length, len);
    System.arraycopy(raw, raw.length - n, out, len - n, n);
    return out;
  }
}
