package dev.gatehouse.engine.builtins.crypto;

/** net.IP.String(): dotted quads for IPv4 (also IPv4-mapped IPv6), RFC 5952 text for IPv6. */
final class IpAddresses {
  private IpAddresses() {}

  static String format(byte[] ip) {
    if (ip.length == 4) {
      return dotted(ip, 0);
    }
    if (ip.length != 16) {
      StringBuilder sb = new StringBuilder("?");
      for (byte b : ip) {
        sb.append(String.format("%02x", b & 0xff));
      }
      return sb.toString();
    }
    boolean mapped = true;
    for (int i = 0; i < 10; i++) {
      mapped &= ip[i] == 0;
    }
    if (mapped && (ip[10] & 0xff) == 0xff && (ip[11] & 0xff) == 0xff) {
      return dotted(ip, 12);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && group(ip, j) == 0) {
        j++;
      }
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(group(ip, i)));
    }
    return sb.toString();
  }

  private static int group(byte[] ip, int i) {
    return (ip[2 * i] & 0xff) << 8 | (ip[2 * i + 1] & 0xff);
  }

  private static String dotted(byte[] ip, int from) {
    return (ip[from] & 0xff) + "." + (ip[from + 1] & 0xff) + "." + (ip[from + 2] & 0xff) + "." + (ip[from + 3] & 0xff);
  }
}
