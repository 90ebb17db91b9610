package dev.gatehouse.engine.builtins.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Go's processExtensions: the certificate fields derived from known extensions. */
final class Extensions {
  private Extensions() {}

  static void process(ParsedCertificate out) {
    if (out.extensions == null) {
      return;
    }
    for (ParsedCertificate.Extension e : out.extensions) {
      boolean unhandled = false;
      int[] id = e.id();
      if (id.length == 4 && id[0] == 2 && id[1] == 5 && id[2] == 29) {
        switch (id[3]) {
          case 15 -> out.keyUsage = keyUsage(e.value());
          case 19 -> basicConstraints(out, e.value());
          case 17 -> {
            subjectAltNames(out, e.value());
            if (out.dnsNames == null && out.emailAddresses == null && out.ipAddresses == null && out.uris == null) {
              unhandled = true;
            }
          }
          case 30 -> unhandled = NameConstraints.parse(out, e);
          case 31 -> crlDistributionPoints(out, e.value());
          case 35 -> out.authorityKeyId = authorityKeyId(e);
          case 36 -> policyConstraints(out, e.value());
          case 37 -> extKeyUsage(out, e.value());
          case 14 -> {
            if (e.critical()) {
              throw new CryptoError("x509: subject key identifier incorrectly marked critical");
            }
            Der.Element skid = new Der.Reader(e.value()).read(Der.OCTET_STRING);
            if (skid == null) {
              throw new CryptoError("x509: invalid subject key identifier");
            }
            out.subjectKeyId = skid.content();
          }
          case 32 -> certificatePolicies(out, e.value());
          case 33 -> policyMappings(out, e.value());
          case 54 -> {
            Long v = new Der.Reader(e.value()).readInt64(Der.INTEGER);
            if (v == null) {
              throw new CryptoError("x509: invalid inhibit any policy extension");
            }
            out.inhibitAnyPolicy = v;
            out.inhibitAnyPolicyZero = v == 0;
          }
          default -> unhandled = true;
        }
      } else if (Arrays.equals(id, CertificateParser.authorityInfoAccess())) {
        authorityInfoAccess(out, e);
      } else {
        unhandled = true;
      }
      if (e.critical() && unhandled) {
        if (out.unhandledCriticalExtensions == null) {
          out.unhandledCriticalExtensions = new ArrayList<>();
        }
        out.unhandledCriticalExtensions.add(id);
      }
    }
  }

  private static int keyUsage(byte[] v) {
    Der.BitString bits = new Der.Reader(v).readBitString();
    if (bits == null) {
      throw new CryptoError("x509: invalid key usage");
    }
    int usage = 0;
    for (int i = 0; i < 9; i++) {
      if (bits.at(i) != 0) {
        usage |= 1 << i;
      }
    }
    return usage;
  }

  private static void basicConstraints(ParsedCertificate out, byte[] v) {
    Der.Element seq = new Der.Reader(v).read(Der.SEQUENCE);
    if (seq == null) {
      throw new CryptoError("x509: invalid basic constraints");
    }
    Der.Reader r = seq.reader();
    boolean isCa = false;
    if (r.peek(Der.BOOLEAN)) {
      Boolean b = r.readBoolean();
      if (b == null) {
        throw new CryptoError("x509: invalid basic constraints");
      }
      isCa = b;
    }
    int maxPathLen = -1;
    if (r.peek(Der.INTEGER)) {
      BigInteger mpl = r.readBigInteger();
      if (mpl == null || mpl.signum() < 0 || mpl.bitLength() > 63) {
        throw new CryptoError("x509: invalid basic constraints");
      }
      // Go keeps it as an int; lengths beyond int range do not occur in practice
      maxPathLen = mpl.bitLength() > 31 ? Integer.MAX_VALUE : mpl.intValue();
    }
    out.isCA = isCa;
    out.maxPathLen = maxPathLen;
    out.basicConstraintsValid = true;
    out.maxPathLenZero = maxPathLen == 0;
  }

  /** One GeneralName: its context tag number and contents. */
  record GeneralName(int tag, byte[] data) {}

  static List<GeneralName> generalNames(byte[] v) {
    Der.Element seq = new Der.Reader(v).read(Der.SEQUENCE);
    if (seq == null) {
      throw new CryptoError("x509: invalid subject alternative names");
    }
    List<GeneralName> names = new ArrayList<>();
    Der.Reader r = seq.reader();
    while (!r.empty()) {
      Der.Element n = r.readAny();
      if (n == null) {
        throw new CryptoError("x509: invalid subject alternative name");
      }
      names.add(new GeneralName(n.tag() ^ 0x80, n.content()));
    }
    return names;
  }

  static void subjectAltNames(ParsedCertificate out, byte[] v) {
    for (GeneralName n : generalNames(v)) {
      switch (n.tag()) {
        case 1 -> {
          if (!CertificateParser.ia5(n.data())) {
            throw new CryptoError("x509: SAN rfc822Name is malformed");
          }
          out.emailAddresses = add(out.emailAddresses, ascii(n.data()));
        }
        case 2 -> {
          if (!CertificateParser.ia5(n.data())) {
            throw new CryptoError("x509: SAN dNSName is malformed");
          }
          out.dnsNames = add(out.dnsNames, ascii(n.data()));
        }
        case 6 -> {
          if (!CertificateParser.ia5(n.data())) {
            throw new CryptoError("x509: SAN uniformResourceIdentifier is malformed");
          }
          String s = ascii(n.data());
          GoUrl uri;
          try {
            uri = GoUrl.parse(s);
          } catch (CryptoError e) {
            throw new CryptoError("x509: cannot parse URI " + quote(s) + ": " + e.getMessage());
          }
          if (!uri.host().isEmpty() && !domainNameValid(uri.host(), false)) {
            throw new CryptoError("x509: cannot parse URI " + quote(s) + ": invalid domain");
          }
          out.uris = add(out.uris, uri);
        }
        case 7 -> {
          if (n.data().length != 4 && n.data().length != 16) {
            throw new CryptoError("x509: cannot parse IP address of length " + n.data().length);
          }
          out.ipAddresses = add(out.ipAddresses, n.data());
        }
        default -> { }
      }
    }
  }

  private static void crlDistributionPoints(ParsedCertificate out, byte[] v) {
    Der.Element seq = new Der.Reader(v).read(Der.SEQUENCE);
    if (seq == null) {
      throw new CryptoError("x509: invalid CRL distribution points");
    }
    Der.Reader r = seq.reader();
    while (!r.empty()) {
      Der.Element dp = r.read(Der.SEQUENCE);
      if (dp == null) {
        throw new CryptoError("x509: invalid CRL distribution point");
      }
      Der.Optional name = dp.reader().optional(Der.constructed(0));
      if (name.malformed()) {
        throw new CryptoError("x509: invalid CRL distribution point");
      }
      if (!name.present()) {
        continue;
      }
      Der.Element full = name.element().reader().read(Der.constructed(0));
      if (full == null) {
        throw new CryptoError("x509: invalid CRL distribution point");
      }
      Der.Reader fr = full.reader();
      while (!fr.empty()) {
        if (!fr.peek(Der.context(6))) {
          break;
        }
        Der.Element uri = fr.read(Der.context(6));
        if (uri == null) {
          throw new CryptoError("x509: invalid CRL distribution point");
        }
        out.crlDistributionPoints = add(out.crlDistributionPoints, bytesString(uri.content()));
      }
    }
  }

  private static byte[] authorityKeyId(ParsedCertificate.Extension e) {
    if (e.critical()) {
      throw new CryptoError("x509: authority key identifier incorrectly marked critical");
    }
    Der.Element seq = new Der.Reader(e.value()).read(Der.SEQUENCE);
    if (seq == null) {
      throw new CryptoError("x509: invalid authority key identifier");
    }
    Der.Reader r = seq.reader();
    if (r.peek(Der.context(0))) {
      Der.Element id = r.read(Der.context(0));
      if (id == null) {
        throw new CryptoError("x509: invalid authority key identifier");
      }
      return id.content();
    }
    return null;
  }

  private static void policyConstraints(ParsedCertificate out, byte[] v) {
    Der.Element seq = new Der.Reader(v).read(Der.SEQUENCE);
    if (seq == null) {
      throw new CryptoError("x509: invalid policy constraints extension");
    }
    Der.Reader r = seq.reader();
    if (r.peek(Der.context(0))) {
      Long n = r.readInt64(Der.context(0));
      if (n == null) {
        throw new CryptoError("x509: invalid policy constraints extension");
      }
      out.requireExplicitPolicy = n;
      out.requireExplicitPolicyZero = n == 0;
    }
    if (r.peek(Der.context(1))) {
      Long n = r.readInt64(Der.context(1));
      if (n == null) {
        throw new CryptoError("x509: invalid policy constraints extension");
      }
      out.inhibitPolicyMapping = n;
      out.inhibitPolicyMappingZero = n == 0;
    }
  }

  private static void extKeyUsage(ParsedCertificate out, byte[] v) {
    Der.Element seq = new Der.Reader(v).read(Der.SEQUENCE);
    if (seq == null) {
      throw new CryptoError("x509: invalid extended key usages");
    }
    List<Integer> known = null;
    List<int[]> unknown = null;
    Der.Reader r = seq.reader();
    while (!r.empty()) {
      int[] oid = r.readOid();
      if (oid == null) {
        throw new CryptoError("x509: invalid extended key usages");
      }
      int usage = CertificateParser.extKeyUsage(oid);
      if (usage >= 0) {
        known = add(known, usage);
      } else {
        unknown = add(unknown, oid);
      }
    }
    out.extKeyUsage = known;
    out.unknownExtKeyUsage = unknown;
  }

  private static void certificatePolicies(ParsedCertificate out, byte[] v) {
    Der.Element seq = new Der.Reader(v).read(Der.SEQUENCE);
    if (seq == null) {
      throw new CryptoError("x509: invalid certificate policies");
    }
    List<byte[]> oids = null;
    Set<String> seen = new HashSet<>();
    Der.Reader r = seq.reader();
    while (!r.empty()) {
      Der.Element cp = r.read(Der.SEQUENCE);
      Der.Element oid = cp == null ? null : cp.reader().read(Der.OBJECT_IDENTIFIER);
      if (oid == null) {
        throw new CryptoError("x509: invalid certificate policies");
      }
      byte[] der = oid.content();
      if (!seen.add(Arrays.toString(der)) || Der.oidDotted(der) == null) {
        throw new CryptoError("x509: invalid certificate policies");
      }
      oids = add(oids, der);
    }
    out.policies = oids;
    out.policyIdentifiers = new ArrayList<>();
    if (oids != null) {
      for (byte[] der : oids) {
        int[] small = Der.oidComponents(der);
        if (small != null) {
          out.policyIdentifiers.add(small);
        }
      }
    }
  }

  private static void policyMappings(ParsedCertificate out, byte[] v) {
    Der.Element seq = new Der.Reader(v).read(Der.SEQUENCE);
    if (seq == null) {
      throw new CryptoError("x509: invalid policy mappings extension");
    }
    Der.Reader r = seq.reader();
    while (!r.empty()) {
      Der.Element m = r.read(Der.SEQUENCE);
      Der.Reader mr = m == null ? null : m.reader();
      Der.Element issuer = mr == null ? null : mr.read(Der.OBJECT_IDENTIFIER);
      Der.Element subject = issuer == null ? null : mr.read(Der.OBJECT_IDENTIFIER);
      if (subject == null) {
        throw new CryptoError("x509: invalid policy mappings extension");
      }
      out.policyMappings = add(out.policyMappings,
          new ParsedCertificate.PolicyMapping(issuer.content(), subject.content()));
    }
  }

  private static void authorityInfoAccess(ParsedCertificate out, ParsedCertificate.Extension e) {
    if (e.critical()) {
      throw new CryptoError("x509: authority info access incorrectly marked critical");
    }
    Der.Element seq = new Der.Reader(e.value()).read(Der.SEQUENCE);
    if (seq == null) {
      throw new CryptoError("x509: invalid authority info access");
    }
    Der.Reader r = seq.reader();
    while (!r.empty()) {
      Der.Element aia = r.read(Der.SEQUENCE);
      if (aia == null) {
        throw new CryptoError("x509: invalid authority info access");
      }
      Der.Reader ar = aia.reader();
      int[] method = ar.readOid();
      if (method == null) {
        throw new CryptoError("x509: invalid authority info access");
      }
      if (!ar.peek(Der.context(6))) {
        continue;
      }
      Der.Element uri = ar.read(Der.context(6));
      if (uri == null) {
        throw new CryptoError("x509: invalid authority info access");
      }
      if (Arrays.equals(method, CertificateParser.ocsp())) {
        out.ocspServer = add(out.ocspServer, bytesString(uri.content()));
      } else if (Arrays.equals(method, CertificateParser.caIssuers())) {
        out.issuingCertificateUrl = add(out.issuingCertificateUrl, bytesString(uri.content()));
      }
    }
  }

  /** Go's domainNameValid (the lenient form Go 1.26 ships). */
  static boolean domainNameValid(String s, boolean constraint) {
    if (s.isEmpty()) {
      return true;
    }
    if (s.charAt(s.length() - 1) == '.') {
      return false;
    }
    if (constraint && s.charAt(0) == '.') {
      s = s.substring(1);
    }
    int lastDot = -1;
    for (int i = 0; i <= s.length(); i++) {
      if (i < s.length() && (s.charAt(i) < 33 || s.charAt(i) > 126)) {
        return false;
      }
      if (i == s.length() || s.charAt(i) == '.') {
        int labelLen = lastDot >= 0 ? i - (lastDot + 1) : i;
        if (labelLen == 0) {
          return false;
        }
        lastDot = i;
      }
    }
    return true;
  }

  static String ascii(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  /** A Go string made from arbitrary bytes; invalid UTF-8 shows as U+FFFD in Rego. */
  static String bytesString(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Go's %q for ASCII strings. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  static <T> List<T> add(List<T> list, T v) {
    List<T> out = list == null ? new ArrayList<>() : list;
    out.add(v);
    return out;
  }
}
