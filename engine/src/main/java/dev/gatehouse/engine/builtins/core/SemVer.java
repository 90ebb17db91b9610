package dev.gatehouse.engine.builtins.core;

import java.math.BigInteger;
import java.util.regex.Pattern;

/** Semantic versions as OPA reads them: an optional leading "v", then MAJOR.MINOR.PATCH[-pre][+meta]. */
record SemVer(long major, long minor, long patch, String pre) implements Comparable<SemVer> {
  // a fixed internal syntax check, not a Rego regex
  private static final Pattern IDENTIFIERS = Pattern.compile("[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*");

  /** The version, or null when the text is not one. */
  static SemVer parse(String text) {
    String v = text.startsWith("v") ? text.substring(1) : text;
    int plus = v.indexOf('+');
    if (plus >= 0) {
      if (!IDENTIFIERS.matcher(v.substring(plus + 1)).matches()) {
        return null;
      }
      v = v.substring(0, plus);
    }
    String pre = "";
    int dash = v.indexOf('-');
    if (dash >= 0) {
      pre = v.substring(dash + 1);
      if (!IDENTIFIERS.matcher(pre).matches()) {
        return null;
      }
      for (String id : pre.split("\\.")) {
        if (id.length() > 1 && id.charAt(0) == '0' && id.chars().allMatch(Character::isDigit)) {
          return null;
        }
      }
      v = v.substring(0, dash);
    }
    String[] parts = v.split("\\.", -1);
    if (parts.length != 3) {
      return null;
    }
    long[] n = new long[3];
    for (int i = 0; i < 3; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.charAt(0) == '+' || p.charAt(0) == '-' || (p.length() > 1 && p.charAt(0) == '0')
          || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      BigInteger b = new BigInteger(p);
      if (b.bitLength() > 63) {
        return null;
      }
      n[i] = b.longValue();
    }
    return new SemVer(n[0], n[1], n[2], pre);
  }

  @Override
  public int compareTo(SemVer o) {
    int c = Long.compare(major, o.major);
    if (c == 0) {
      c = Long.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Long.compare(patch, o.patch);
    }
    if (c != 0) {
      return Integer.signum(c);
    }
    if (pre.equals(o.pre)) {
      return 0;
    }
    if (pre.isEmpty()) {
      return 1;
    }
    if (o.pre.isEmpty()) {
      return -1;
    }
    String[] a = pre.split("\\.", -1);
    String[] b = o.pre.split("\\.", -1);
    for (int i = 0; ; i++) {
      if (i >= a.length || i >= b.length) {
        return Integer.compare(a.length, b.length);
      }
      boolean an = a[i].chars().allMatch(Character::isDigit);
      boolean bn = b[i].chars().allMatch(Character::isDigit);
      if (an && !bn) {
        return -1;
      }
      if (!an && bn) {
        return 1;
      }
      int r = an ? new BigInteger(a[i]).compareTo(new BigInteger(b[i])) : Integer.signum(a[i].compareTo(b[i]));
      if (r != 0) {
        return r;
      }
    }
  }
}
