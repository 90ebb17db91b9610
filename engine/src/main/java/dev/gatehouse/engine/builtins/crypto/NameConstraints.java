package dev.gatehouse.engine.builtins.crypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The NameConstraints extension (RFC 5280 4.2.1.10), parsed as Go's x509 parses it. */
final class NameConstraints {
  private NameConstraints() {}

  /** Fills the Permitted and Excluded fields; true when a constraint form Go ignores was present. */
  static boolean parse(ParsedCertificate out, ParsedCertificate.Extension e) {
    Der.Reader outer = new Der.Reader(e.value());
    Der.Element top = outer.read(Der.SEQUENCE);
    if (top == null || !outer.empty()) {
      throw invalid();
    }
    Der.Reader r = top.reader();
    Der.Optional permitted = r.optional(Der.constructed(0));
    Der.Optional excluded = permitted.malformed() ? Der.Optional.MALFORMED : r.optional(Der.constructed(1));
    if (permitted.malformed() || excluded.malformed() || !r.empty()) {
      throw invalid();
    }
    int permittedLen = permitted.present() ? permitted.element().contentLength() : 0;
    int excludedLen = excluded.present() ? excluded.element().contentLength() : 0;
    if (!permitted.present() && !excluded.present() || permittedLen == 0 && excludedLen == 0) {
      throw new CryptoError("x509: empty name constraints extension");
    }
    Subtrees p = subtrees(permitted);
    Subtrees x = subtrees(excluded);
    out.permittedDnsDomains = p.dns;
    out.permittedIpRanges = p.ips;
    out.permittedEmailAddresses = p.emails;
    out.permittedUriDomains = p.uris;
    out.excludedDnsDomains = x.dns;
    out.excludedIpRanges = x.ips;
    out.excludedEmailAddresses = x.emails;
    out.excludedUriDomains = x.uris;
    out.permittedDnsDomainsCritical = e.critical();
    return p.unhandled || x.unhandled;
  }

  private static final class Subtrees {
    List<String> dns;
    List<ParsedCertificate.IpNet> ips;
    List<String> emails;
    List<String> uris;
    boolean unhandled;
  }

  private static Subtrees subtrees(Der.Optional field) {
    Subtrees s = new Subtrees();
    if (!field.present()) {
      return s;
    }
    Der.Reader r = field.element().reader();
    while (!r.empty()) {
      Der.Element seq = r.read(Der.SEQUENCE);
      Der.Element value = seq == null ? null : seq.reader().readAny();
      if (value == null) {
        throw invalid();
      }
      byte[] v = value.content();
      switch (value.tag()) {
        case 0x82 -> {
          String domain = ia5Constraint(v);
          if (!Extensions.domainNameValid(domain, true)) {
            throw new CryptoError("x509: failed to parse dnsName constraint " + Extensions.quote(domain));
          }
          s.dns = Extensions.add(s.dns, domain);
        }
        case 0x87 -> {
          byte[] ip;
          byte[] mask;
          if (v.length == 8) {
            ip = Arrays.copyOfRange(v, 0, 4);
            mask = Arrays.copyOfRange(v, 4, 8);
          } else if (v.length == 32) {
            ip = Arrays.copyOfRange(v, 0, 16);
            mask = Arrays.copyOfRange(v, 16, 32);
          } else {
            throw new CryptoError("x509: IP constraint contained value of length " + v.length);
          }
          if (!validMask(mask)) {
            throw new CryptoError("x509: IP constraint contained invalid mask " + java.util.HexFormat.of().formatHex(mask));
          }
          s.ips = Extensions.add(s.ips, new ParsedCertificate.IpNet(ip, mask));
        }
        case 0x81 -> {
          String constraint = ia5Constraint(v);
          boolean ok = constraint.contains("@") ? Mailbox.parse(constraint) != null
              : Extensions.domainNameValid(constraint, true);
          if (!ok) {
            throw new CryptoError("x509: failed to parse rfc822Name constraint " + Extensions.quote(constraint));
          }
          s.emails = Extensions.add(s.emails, constraint);
        }
        case 0x86 -> {
          String domain = ia5Constraint(v);
          if (IpLiterals.parse(domain) != null) {
            throw new CryptoError("x509: failed to parse URI constraint " + Extensions.quote(domain)
                + ": cannot be IP address");
          }
          if (!Extensions.domainNameValid(domain, true)) {
            throw new CryptoError("x509: failed to parse URI constraint " + Extensions.quote(domain));
          }
          s.uris = Extensions.add(s.uris, domain);
        }
        default -> s.unhandled = true;
      }
    }
    return s;
  }

  private static String ia5Constraint(byte[] v) {
    if (!CertificateParser.ia5(v)) {
      String s = Extensions.bytesString(v);
      throw new CryptoError("x509: invalid constraint value: x509: " + Extensions.quote(s)
          + " cannot be encoded as an IA5String");
    }
    return Extensions.ascii(v);
  }

  private static boolean validMask(byte[] mask) {
    boolean seenZero = false;
    for (byte x : mask) {
      int b = x & 0xff;
      if (seenZero) {
        if (b != 0) {
          return false;
        }
        continue;
      }
      switch (b) {
        case 0x00, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe -> seenZero = true;
        case 0xff -> { }
        default -> {
          return false;
        }
      }
    }
    return true;
  }

  private static CryptoError invalid() {
    return new CryptoError("x509: invalid NameConstraints extension");
  }

  /** Unused-list guard so callers can rely on non-null iteration. */
  static <T> List<T> orEmpty(List<T> l) {
    return l == null ? new ArrayList<>() : l;
  }
}
