package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.ByteArrayOutputStream;

/**
 * uri.parse and uri.is_valid: URLs read by Go's net/url rules (scheme, authority with userinfo
 * and host validation, IP literals, strict ports, percent-decoding of path and fragment, and the
 * raw path kept only when the default escaping would not reproduce it), with its error texts.
 */
final class Uris {
  private Uris() {}

  private enum Mode { PATH, PATH_SEGMENT, HOST, ZONE, USER_PASSWORD, QUERY_COMPONENT, FRAGMENT }

  /** The parts OPA reports. */
  private record Url(String scheme, String host, String path, String rawPath, String rawQuery, String fragment,
      String opaque) {}

  private static final class UrlError extends RuntimeException {
    UrlError(String message) {
      super(message, null, false, false);
    }
  }

  static Value parse(BuiltinContext c, Value[] a) {
    Url u;
    try {
      u = parse(Args.str(a, 0));
    } catch (UrlError e) {
      throw BuiltinException.error(e.getMessage());
    }
    ObjectValue.Builder out = ObjectValue.builder();
    if (!u.scheme().isEmpty()) {
      out.put("scheme", StringValue.of(u.scheme()));
    }
    String[] hp = splitHostPort(u.host());
    if (!hp[0].isEmpty()) {
      out.put("hostname", StringValue.of(hp[0]));
    }
    if (!hp[1].isEmpty()) {
      out.put("port", StringValue.of(hp[1]));
    }
    if (!u.path().isEmpty()) {
      out.put("path", StringValue.of(u.path()));
      out.put("raw_path", StringValue.of(u.rawPath().isEmpty() ? u.path() : u.rawPath()));
    }
    if (!u.rawQuery().isEmpty()) {
      out.put("raw_query", StringValue.of(u.rawQuery()));
    }
    if (!u.fragment().isEmpty()) {
      out.put("fragment", StringValue.of(u.fragment()));
    }
    return out.build();
  }

  static Value isValid(BuiltinContext c, Value[] a) {
    if (!(a[0] instanceof StringValue s) || s.value().isEmpty()) {
      return BooleanValue.FALSE;
    }
    try {
      parse(s.value());
      return BooleanValue.TRUE;
    } catch (UrlError e) {
      return BooleanValue.FALSE;
    }
  }

  /** Go's url.Parse. */
  private static Url parse(String raw) {
    int hash = raw.indexOf('#');
    String u = hash < 0 ? raw : raw.substring(0, hash);
    String frag = hash < 0 ? "" : raw.substring(hash + 1);
    Url url;
    try {
      url = parseNoFragment(u);
    } catch (UrlError e) {
      throw new UrlError("parse " + GoFmt.goQuote(u) + ": " + e.getMessage());
    }
    if (frag.isEmpty()) {
      return url;
    }
    String fragment;
    try {
      fragment = unescape(frag, Mode.FRAGMENT);
    } catch (UrlError e) {
      throw new UrlError("parse " + GoFmt.goQuote(raw) + ": " + e.getMessage());
    }
    return new Url(url.scheme(), url.host(), url.path(), url.rawPath(), url.rawQuery(), fragment, url.opaque());
  }

  private static Url parseNoFragment(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char ch = raw.charAt(i);
      if (ch < ' ' || ch == 0x7F) {
        throw new UrlError("net/url: invalid control character in URL");
      }
    }
    if (raw.equals("*")) {
      return new Url("", "", "*", "", "", "", "");
    }
    String scheme = "";
    String rest = raw;
    // scheme: letters, then letters / digits / + - . up to ':'
    for (int i = 0; i < raw.length(); i++) {
      char ch = raw.charAt(i);
      if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
        continue;
      }
      if ((ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == '.') {
        if (i == 0) {
          break;
        }
        continue;
      }
      if (ch == ':') {
        if (i == 0) {
          throw new UrlError("missing protocol scheme");
        }
        scheme = raw.substring(0, i).toLowerCase(java.util.Locale.ROOT);
        rest = raw.substring(i + 1);
      }
      break;
    }
    String rawQuery = "";
    if (rest.endsWith("?") && rest.indexOf('?') == rest.length() - 1) {
      rest = rest.substring(0, rest.length() - 1);
    } else {
      int q = rest.indexOf('?');
      if (q >= 0) {
        rawQuery = rest.substring(q + 1);
        rest = rest.substring(0, q);
      }
    }
    if (!rest.startsWith("/")) {
      if (!scheme.isEmpty()) {
        return new Url(scheme, "", "", "", rawQuery, "", rest);
      }
      int slash = rest.indexOf('/');
      String segment = slash < 0 ? rest : rest.substring(0, slash);
      if (segment.contains(":")) {
        throw new UrlError("first path segment in URL cannot contain colon");
      }
    }
    String host = "";
    if ((!scheme.isEmpty() || !rest.startsWith("///")) && rest.startsWith("//")) {
      String authority = rest.substring(2);
      rest = "";
      int slash = authority.indexOf('/');
      if (slash >= 0) {
        rest = authority.substring(slash);
        authority = authority.substring(0, slash);
      }
      host = parseAuthority(scheme, authority);
    }
    String path = unescape(rest, Mode.PATH);
    String rawPath = escape(path, Mode.PATH).equals(rest) ? "" : rest;
    return new Url(scheme, host, path, rawPath, rawQuery, "", "");
  }

  private static String parseAuthority(String scheme, String authority) {
    int at = authority.lastIndexOf('@');
    String host = parseHost(scheme, at < 0 ? authority : authority.substring(at + 1));
    if (at < 0) {
      return host;
    }
    String userinfo = authority.substring(0, at);
    if (!validUserinfo(userinfo)) {
      throw new UrlError("net/url: invalid userinfo");
    }
    int colon = userinfo.indexOf(':');
    if (colon < 0) {
      unescape(userinfo, Mode.USER_PASSWORD);
    } else {
      unescape(userinfo.substring(0, colon), Mode.USER_PASSWORD);
      unescape(userinfo.substring(colon + 1), Mode.USER_PASSWORD);
    }
    return host;
  }

  private static boolean validUserinfo(String s) {
    for (int i = 0; i < s.length(); i++) {
      char r = s.charAt(i);
      if ((r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')) {
        continue;
      }
      if ("-._:~!$&'()*+,;=%@".indexOf(r) < 0) {
        return false;
      }
    }
    return true;
  }

  private static String parseHost(String scheme, String host) {
    int open = host.lastIndexOf('[');
    if (open > 0) {
      throw new UrlError("invalid IP-literal");
    }
    if (open == 0) {
      int close = host.lastIndexOf(']');
      if (close < 0) {
        throw new UrlError("missing ']' in host");
      }
      String colonPort = host.substring(close + 1);
      if (!validOptionalPort(colonPort)) {
        throw new UrlError("invalid port " + GoFmt.goQuote(colonPort) + " after host");
      }
      String port = unescape(colonPort, Mode.HOST);
      String hostname = host.substring(1, close);
      String unescaped;
      int zone = hostname.indexOf("%25");
      if (zone >= 0) {
        unescaped = unescape(hostname.substring(0, zone), Mode.HOST) + unescape(hostname.substring(zone), Mode.ZONE);
      } else {
        unescaped = unescape(hostname, Mode.HOST);
      }
      int pct = unescaped.indexOf('%');
      String addr = pct < 0 ? unescaped : unescaped.substring(0, pct);
      if (GoIp.parseIPv6(addr) == null) {
        if (GoIp.parseIPv4(addr) != null) {
          throw new UrlError("invalid IP-literal");
        }
        throw new UrlError("invalid host: ParseAddr(" + GoFmt.goQuote(unescaped) + "): unable to parse IP");
      }
      return "[" + unescaped + "]" + port;
    }
    int first = host.indexOf(':');
    if (first >= 0) {
      int i = first;
      int last = host.lastIndexOf(':');
      if (last != first && !(scheme.equals("http") || scheme.equals("https"))) {
        // colons in the host are tolerated (lists of hosts) except for http and https
        i = last;
      }
      String colonPort = host.substring(i);
      if (!validOptionalPort(colonPort)) {
        throw new UrlError("invalid port " + GoFmt.goQuote(colonPort) + " after host");
      }
    }
    return unescape(host, Mode.HOST);
  }

  private static boolean validOptionalPort(String port) {
    if (port.isEmpty()) {
      return true;
    }
    if (port.charAt(0) != ':') {
      return false;
    }
    for (int i = 1; i < port.length(); i++) {
      char b = port.charAt(i);
      if (b < '0' || b > '9') {
        return false;
      }
    }
    return true;
  }

  /** {hostname, port} as url.URL's Hostname and Port. */
  private static String[] splitHostPort(String hostPort) {
    String host = hostPort;
    String port = "";
    int colon = host.lastIndexOf(':');
    if (colon >= 0 && validOptionalPort(host.substring(colon))) {
      port = host.substring(colon + 1);
      host = host.substring(0, colon);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new String[] {host, port};
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int unhex(char c) {
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
  }

  /** Go's unescape for a URL part. */
  private static String unescape(String s, Mode mode) {
    int n = 0;
    for (int i = 0; i < s.length(); ) {
      char ch = s.charAt(i);
      if (ch == '%') {
        n++;
        if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
          String bad = s.substring(i, Math.min(s.length(), i + 3));
          throw new UrlError("invalid URL escape " + GoFmt.goQuote(bad));
        }
        if (mode == Mode.HOST && unhex(s.charAt(i + 1)) < 8 && !s.startsWith("%25", i)) {
          throw new UrlError("invalid URL escape " + GoFmt.goQuote(s.substring(i, i + 3)));
        }
        if (mode == Mode.ZONE) {
          int v = unhex(s.charAt(i + 1)) << 4 | unhex(s.charAt(i + 2));
          if (!s.startsWith("%25", i) && v != ' ' && shouldEscape(v, Mode.HOST)) {
            throw new UrlError("invalid URL escape " + GoFmt.goQuote(s.substring(i, i + 3)));
          }
        }
        i += 3;
      } else {
        if ((mode == Mode.HOST || mode == Mode.ZONE) && ch < 0x80 && shouldEscape(ch, mode)) {
          throw new UrlError("invalid character " + GoFmt.goQuote(String.valueOf(ch)) + " in host name");
        }
        i++;
      }
    }
    if (n == 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '%') {
        out.write(unhex(s.charAt(i + 1)) << 4 | unhex(s.charAt(i + 2)));
        i += 2;
      } else if (ch < 0x80) {
        out.write(ch);
      } else {
        int cp = s.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp) - 1;
      }
    }
    return GoBytes.string(out.toByteArray());
  }

  /** Go's escape: bytes the mode does not allow become %XX. */
  private static String escape(String s, Mode mode) {
    StringBuilder sb = new StringBuilder(s.length());
    for (byte b : GoBytes.utf8(s)) {
      int c = b & 0xFF;
      if (shouldEscape(c, mode)) {
        sb.append('%').append("0123456789ABCDEF".charAt(c >> 4)).append("0123456789ABCDEF".charAt(c & 15));
      } else {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  /** Go's shouldEscape (RFC 3986 with net/url's choices per URL part). */
  private static boolean shouldEscape(int c, Mode mode) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return false;
    }
    if ((mode == Mode.HOST || mode == Mode.ZONE) && "!$&'()*+,;=:[]<>\"".indexOf(c) >= 0) {
      return false;
    }
    if (c == '-' || c == '_' || c == '.' || c == '~') {
      return false;
    }
    if ("$&+,/:;=?@".indexOf(c) >= 0 && c < 0x80) {
      switch (mode) {
        case PATH:
          return c == '?';
        case PATH_SEGMENT:
          return c == '/' || c == ';' || c == ',' || c == '?';
        case USER_PASSWORD:
          return c == '@' || c == '/' || c == '?' || c == ':';
        case QUERY_COMPONENT:
          return true;
        case FRAGMENT:
          return false;
        default:
          break;
      }
    }
    if (mode == Mode.FRAGMENT && (c == '!' || c == '(' || c == ')' || c == '*')) {
      return false;
    }
    return true;
  }
}
