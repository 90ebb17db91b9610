package dev.gatehouse.engine.builtins.crypto;

import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A URI from a certificate's subjectAltName, split the way Go's {@code net/url.Parse} splits it
 * (the fields of url.URL, which is what OPA returns in {@code URIs}), and printed back as
 * url.URL.String() (OPA's {@code URIStrings}). Covers absolute URIs with authority, opaque URIs
 * and percent-escapes; host validation is looser than Go's.
 */
record GoUrl(String scheme, String opaque, boolean hasUser, String user, String host, String path, String rawPath,
    boolean omitHost, boolean forceQuery, String rawQuery, String fragment, String rawFragment) {

  static GoUrl parse(String raw) {
    int hash = raw.indexOf('#');
    String frag = hash < 0 ? "" : raw.substring(hash + 1);
    String u = hash < 0 ? raw : raw.substring(0, hash);
    for (int i = 0; i < u.length(); i++) {
      char c = u.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new CryptoError("parse \"" + u + "\": net/url: invalid control character in URL");
      }
    }
    String scheme = "";
    String rest = u;
    for (int i = 0; i < u.length(); i++) {
      char c = u.charAt(i);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
        continue;
      }
      if (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
        if (i == 0) {
          break;
        }
        continue;
      }
      if (c == ':') {
        if (i == 0) {
          throw new CryptoError("parse \"" + u + "\": missing protocol scheme");
        }
        scheme = u.substring(0, i).toLowerCase(Locale.ROOT);
        rest = u.substring(i + 1);
      }
      break;
    }
    boolean forceQuery = false;
    String rawQuery = "";
    if (rest.endsWith("?") && rest.indexOf('?') == rest.length() - 1) {
      forceQuery = true;
      rest = rest.substring(0, rest.length() - 1);
    } else {
      int q = rest.indexOf('?');
      if (q >= 0) {
        rawQuery = rest.substring(q + 1);
        rest = rest.substring(0, q);
      }
    }
    String fragment = unescape(frag, true);
    String rawFragment = escape(fragment, true).equals(frag) ? "" : frag;
    if (!rest.startsWith("/")) {
      if (!scheme.isEmpty()) {
        return new GoUrl(scheme, rest, false, null, "", "", "", false, forceQuery, rawQuery, fragment, rawFragment);
      }
      String segment = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
      if (segment.contains(":")) {
        throw new CryptoError("parse \"" + u + "\": first path segment in URL cannot contain colon");
      }
    }
    boolean hasUser = false;
    String user = null;
    String host = "";
    boolean omitHost = false;
    if ((!scheme.isEmpty() || !rest.startsWith("///")) && rest.startsWith("//")) {
      String authority = rest.substring(2);
      rest = "";
      int slash = authority.indexOf('/');
      if (slash >= 0) {
        rest = authority.substring(slash);
        authority = authority.substring(0, slash);
      }
      int at = authority.lastIndexOf('@');
      if (at >= 0) {
        hasUser = true;
        user = authority.substring(0, at);
        authority = authority.substring(at + 1);
      }
      host = unescape(authority, false);
    } else if (!scheme.isEmpty() && rest.startsWith("/")) {
      omitHost = true;
    }
    String path = unescape(rest, false);
    String rawPath = escape(path, false).equals(rest) ? "" : rest;
    return new GoUrl(scheme, "", hasUser, user, host, path, rawPath, omitHost, forceQuery, rawQuery, fragment,
        rawFragment);
  }

  /** The url.URL struct as Go marshals it; a set Userinfo has only unexported fields. */
  Value toValue() {
    return GoJson.object()
        .put("Scheme", GoJson.string(scheme))
        .put("Opaque", GoJson.string(opaque))
        .put("User", hasUser ? ObjectValue.EMPTY : NullValue.INSTANCE)
        .put("Host", GoJson.string(host))
        .put("Path", GoJson.string(path))
        .put("RawPath", GoJson.string(rawPath))
        .put("OmitHost", GoJson.bool(omitHost))
        .put("ForceQuery", GoJson.bool(forceQuery))
        .put("RawQuery", GoJson.string(rawQuery))
        .put("Fragment", GoJson.string(fragment))
        .put("RawFragment", GoJson.string(rawFragment))
        .build();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (!scheme.isEmpty()) {
      sb.append(scheme).append(':');
    }
    if (!opaque.isEmpty()) {
      sb.append(opaque);
    } else {
      if (!scheme.isEmpty() || !host.isEmpty() || hasUser) {
        if (!(omitHost && host.isEmpty() && !hasUser)) {
          if (!host.isEmpty() || !path.isEmpty() || hasUser) {
            sb.append("//");
          }
          if (hasUser) {
            sb.append(user).append('@');
          }
          sb.append(host);
        }
      }
      String p = rawPath.isEmpty() ? escape(path, false) : rawPath;
      if (!p.isEmpty() && p.charAt(0) != '/' && !host.isEmpty()) {
        sb.append('/');
      }
      if (sb.length() == 0) {
        String segment = p.contains("/") ? p.substring(0, p.indexOf('/')) : p;
        if (segment.contains(":")) {
          sb.append("./");
        }
      }
      sb.append(p);
    }
    if (forceQuery || !rawQuery.isEmpty()) {
      sb.append('?').append(rawQuery);
    }
    if (!fragment.isEmpty()) {
      sb.append('#').append(rawFragment.isEmpty() ? escape(fragment, true) : rawFragment);
    }
    return sb.toString();
  }

  private static String unescape(String s, boolean fragment) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '%') {
        if (i + 2 >= b.length || Character.digit(b[i + 1], 16) < 0 || Character.digit(b[i + 2], 16) < 0) {
          String bad = new String(b, i, Math.min(3, b.length - i), StandardCharsets.UTF_8);
          throw new CryptoError("parse \"" + s + "\": invalid URL escape \"" + bad + "\"");
        }
        out.write(Character.digit(b[i + 1], 16) << 4 | Character.digit(b[i + 2], 16));
        i += 2;
      } else {
        out.write(b[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Go's escape for paths and fragments: unreserved and sub-delimiters stay, the rest is %XX. */
  private static String escape(String s, boolean fragment) {
    StringBuilder sb = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      boolean keep = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || "-_.~$&+,/:;=@".indexOf(c) >= 0 || (fragment && "?!()*".indexOf(c) >= 0);
      if (keep) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
