package dev.gatehouse.engine.builtins.crypto;

/** An RFC 2821 mailbox (local part and domain) as Go's x509 parses it for name constraints. */
record Mailbox(String local, String domain) {
  static Mailbox parse(String in) {
    if (in.isEmpty()) {
      return null;
    }
    StringBuilder local = new StringBuilder();
    int i = 0;
    if (in.charAt(0) == '"') {
      i = 1;
      while (true) {
        if (i >= in.length()) {
          return null;
        }
        char c = in.charAt(i++);
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          if (i >= in.length()) {
            return null;
          }
          char e = in.charAt(i);
          if (e == 11 || e == 12 || (e >= 1 && e <= 9) || (e >= 14 && e <= 127)) {
            local.append(e);
            i++;
          } else {
            return null;
          }
        } else if (c == 11 || c == 12 || c == 32 || c == 33 || c == 127 || (c >= 1 && c <= 8) || (c >= 14 && c <= 31)
            || (c >= 35 && c <= 91) || (c >= 93 && c <= 126)) {
          local.append(c);
        } else {
          return null;
        }
      }
    } else {
      while (i < in.length()) {
        char c = in.charAt(i);
        if (c == '\\') {
          i++;
          if (i >= in.length()) {
            return null;
          }
          local.append(in.charAt(i++));
          continue;
        }
        if (Character.isLetterOrDigit(c) && c < 128 || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0) {
          local.append(c);
          i++;
        } else {
          break;
        }
      }
      String l = local.toString();
      if (l.isEmpty() || l.startsWith(".") || l.endsWith(".") || l.contains("..")) {
        return null;
      }
    }
    if (i >= in.length() || in.charAt(i) != '@') {
      return null;
    }
    String domain = in.substring(i + 1);
    if (domain.isEmpty() || !Extensions.domainNameValid(domain, false)) {
      return null;
    }
    return new Mailbox(local.toString(), domain);
  }
}
