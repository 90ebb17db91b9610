package dev.gatehouse.engine.builtins.crypto;

/**
 * Textual IP addresses as Go's net.ParseIP reads them (dotted IPv4 without leading zeros, IPv6
 * with "::" and an optional trailing IPv4 part, no zones). Never resolves names.
 */
final class IpLiterals {
  private IpLiterals() {}

  /** 4 bytes for IPv4, 16 for IPv6, or null when s is not an IP literal. */
  static byte[] parse(String s) {
    if (s.indexOf(':') < 0) {
      return ipv4(s);
    }
    return ipv6(s);
  }

  private static byte[] ipv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return null;
      }
      int v = 0;
      for (char c : p.toCharArray()) {
        if (c < '0' || c > '9') {
          return null;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] ipv6(String s) {
    byte[] out = new byte[16];
    int ellipsis = -1;
    int i = 0;
    int pos = 0;
    if (s.startsWith("::")) {
      ellipsis = 0;
      pos = 2;
      if (pos == s.length()) {
        return out;
      }
    }
    while (i < 16) {
      int end = pos;
      while (end < s.length() && Character.digit(s.charAt(end), 16) >= 0) {
        end++;
      }
      if (end == pos || end - pos > 4) {
        return null;
      }
      if (end < s.length() && s.charAt(end) == '.') {
        if (ellipsis < 0 && i != 12 || i + 4 > 16) {
          return null;
        }
        byte[] v4 = ipv4(s.substring(pos));
        if (v4 == null) {
          return null;
        }
        System.arraycopy(v4, 0, out, i, 4);
        i += 4;
        pos = s.length();
        break;
      }
      int v = Integer.parseInt(s.substring(pos, end), 16);
      out[i++] = (byte) (v >> 8);
      out[i++] = (byte) v;
      pos = end;
      if (pos == s.length()) {
        break;
      }
      if (s.charAt(pos) != ':' || pos + 1 == s.length()) {
        return null;
      }
      pos++;
      if (s.charAt(pos) == ':') {
        if (ellipsis >= 0) {
          return null;
        }
        ellipsis = i;
        pos++;
        if (pos == s.length()) {
          break;
        }
      }
    }
    if (pos != s.length()) {
      return null;
    }
    if (i < 16) {
      if (ellipsis < 0) {
        return null;
      }
      int n = 16 - i;
      System.arraycopy(out, ellipsis, out, ellipsis + n, i - ellipsis);
      java.util.Arrays.fill(out, ellipsis, ellipsis + n, (byte) 0);
    } else if (ellipsis >= 0) {
      return null;
    }
    return out;
  }
}
