package dev.gatehouse.engine.builtins.graphql;

/**
 * Turns gqlparser's error text into the message OPA's GraphQL builtins report: with a location,
 * {@code <message> in GraphQL string at location L:C} (a trailing {@code .\n} dropped); without
 * one, the whole text prefixed with {@code GraphQL parse error: }. The text is taken apart exactly
 * as OPA does (split on the first three colons), so several validation errors read as one message
 * that carries the later ones along with it.
 */
final class OpaErrorText {
  private OpaErrorText() {}

  static String format(String goText) {
    String[] parts = splitN(goText, ':', 4);
    if (parts.length >= 4) {
      Long row = parseUint(parts[1]);
      Long col = parseUint(parts[2]);
      if (row != null && col != null) {
        String msg = trimLeftSpaces(parts[3]);
        if (msg.endsWith(".\n")) {
          msg = msg.substring(0, msg.length() - 2);
        }
        return msg + " in GraphQL string at location " + row + ":" + col;
      }
    }
    return "GraphQL parse error: " + goText;
  }

  private static String[] splitN(String s, char sep, int n) {
    java.util.List<String> out = new java.util.ArrayList<>();
    int start = 0;
    while (out.size() < n - 1) {
      int i = s.indexOf(sep, start);
      if (i < 0) {
        break;
      }
      out.add(s.substring(start, i));
      start = i + 1;
    }
    out.add(s.substring(start));
    return out.toArray(new String[0]);
  }

  /** strconv.ParseUint(s, 10, 64): decimal digits only, no sign or spaces. */
  private static Long parseUint(String s) {
    if (s.isEmpty() || s.length() > 19) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return null;
      }
    }
    return Long.parseLong(s);
  }

  private static String trimLeftSpaces(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return s.substring(i);
  }
}
