package dev.gatehouse.engine.builtins.crypto;

import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses DER certificates into {@link ParsedCertificate} with the checks, field values and error
 * messages of Go's {@code x509.ParseCertificate} (Go 1.26, the toolchain OPA v1.22.2 ships with).
 */
public final class CertificateParser {
  private static final int[] AUTHORITY_INFO_ACCESS = {1, 3, 6, 1, 5, 5, 7, 1, 1};
  private static final int[] OCSP = {1, 3, 6, 1, 5, 5, 7, 48, 1};
  private static final int[] CA_ISSUERS = {1, 3, 6, 1, 5, 5, 7, 48, 2};
  private static final int[][] EXT_KEY_USAGES = {
      {2, 5, 29, 37, 0},
      {1, 3, 6, 1, 5, 5, 7, 3, 1},
      {1, 3, 6, 1, 5, 5, 7, 3, 2},
      {1, 3, 6, 1, 5, 5, 7, 3, 3},
      {1, 3, 6, 1, 5, 5, 7, 3, 4},
      {1, 3, 6, 1, 5, 5, 7, 3, 5},
      {1, 3, 6, 1, 5, 5, 7, 3, 6},
      {1, 3, 6, 1, 5, 5, 7, 3, 7},
      {1, 3, 6, 1, 5, 5, 7, 3, 8},
      {1, 3, 6, 1, 5, 5, 7, 3, 9},
      {1, 3, 6, 1, 4, 1, 311, 10, 3, 3},
      {2, 16, 840, 1, 113730, 4, 1},
      {1, 3, 6, 1, 4, 1, 311, 2, 1, 22},
      {1, 3, 6, 1, 4, 1, 311, 61, 1, 1},
  };

  private CertificateParser() {}

  /** x509.ParseCertificates: concatenated DER certificates. */
  public static List<ParsedCertificate> parseAll(byte[] der) {
    List<ParsedCertificate> out = new ArrayList<>();
    int pos = 0;
    while (pos < der.length) {
      ParsedCertificate c = parse(der, pos, der.length);
      out.add(c);
      pos += c.raw.length;
    }
    return out;
  }

  /** x509.ParseCertificate: exactly one certificate. */
  public static ParsedCertificate parseOne(byte[] der) {
    ParsedCertificate c = parse(der, 0, der.length);
    if (c.raw.length != der.length) {
      throw new CryptoError("x509: trailing data");
    }
    return c;
  }

  private static ParsedCertificate parse(byte[] buf, int from, int to) {
    ParsedCertificate cert = new ParsedCertificate();
    Der.Element outer = new Der.Reader(buf, from, to).read(Der.SEQUENCE);
    if (outer == null) {
      throw new CryptoError("x509: malformed certificate");
    }
    cert.raw = outer.encoded();
    Der.Reader input = outer.reader();
    Der.Element tbsElement = input.read(Der.SEQUENCE);
    if (tbsElement == null) {
      throw new CryptoError("x509: malformed tbs certificate");
    }
    cert.rawTbsCertificate = tbsElement.encoded();
    Der.Reader tbs = tbsElement.reader();

    Der.Optional versionField = tbs.optional(Der.constructed(0));
    long version = 0;
    if (versionField.malformed()) {
      throw new CryptoError("x509: malformed version");
    }
    if (versionField.present()) {
      Der.Reader vr = versionField.element().reader();
      Long v = vr.readInt64(Der.INTEGER);
      if (v == null || !vr.empty()) {
        throw new CryptoError("x509: malformed version");
      }
      version = v;
    }
    if (version < 0) {
      throw new CryptoError("x509: malformed version");
    }
    version++;
    if (version > 3) {
      throw new CryptoError("x509: invalid version");
    }
    cert.version = (int) version;

    BigInteger serial = tbs.readBigInteger();
    if (serial == null) {
      throw new CryptoError("x509: malformed serial number");
    }
    if (serial.signum() < 0) {
      throw new CryptoError("x509: negative serial number");
    }
    cert.serialNumber = serial;

    Der.Element sigAi = tbs.read(Der.SEQUENCE);
    if (sigAi == null) {
      throw new CryptoError("x509: malformed signature algorithm identifier");
    }
    Der.Element outerSigAi = input.read(Der.SEQUENCE);
    if (outerSigAi == null) {
      throw new CryptoError("x509: malformed algorithm identifier");
    }
    if (!Arrays.equals(outerSigAi.content(), sigAi.content())) {
      throw new CryptoError("x509: inner and outer signature algorithm identifiers don't match");
    }
    cert.signatureAlgorithm = SignatureAlgorithm.fromAlgorithmId(PublicKeys.algorithm(sigAi.reader()));

    Der.Element issuer = tbs.read(Der.SEQUENCE);
    if (issuer == null) {
      throw new CryptoError("x509: malformed issuer");
    }
    cert.rawIssuer = issuer.encoded();
    cert.issuer = parseName(issuer);

    Der.Element validity = tbs.read(Der.SEQUENCE);
    if (validity == null) {
      throw new CryptoError("x509: malformed validity");
    }
    Der.Reader vr = validity.reader();
    cert.notBefore = parseTime(vr);
    cert.notAfter = parseTime(vr);

    Der.Element subject = tbs.read(Der.SEQUENCE);
    if (subject == null) {
      throw new CryptoError("x509: malformed issuer");
    }
    cert.rawSubject = subject.encoded();
    cert.subject = parseName(subject);

    Der.Element spki = tbs.read(Der.SEQUENCE);
    if (spki == null) {
      throw new CryptoError("x509: malformed spki");
    }
    cert.rawSubjectPublicKeyInfo = spki.encoded();
    Der.Reader spkiReader = spki.reader();
    Der.Element pkAi = spkiReader.read(Der.SEQUENCE);
    if (pkAi == null) {
      throw new CryptoError("x509: malformed public key algorithm identifier");
    }
    PublicKeys.AlgorithmId pkAlg = PublicKeys.algorithm(pkAi.reader());
    cert.publicKeyAlgorithm = PublicKeys.algorithmNumber(pkAlg.oid());
    Der.BitString spk = spkiReader.readBitString();
    if (spk == null) {
      throw new CryptoError("x509: malformed subjectPublicKey");
    }
    if (cert.publicKeyAlgorithm != 0) {
      cert.publicKey = PublicKeys.parse(pkAlg, spk, false);
    }

    if (cert.version > 1) {
      if (tbs.optional(Der.context(1)).malformed()) {
        throw new CryptoError("x509: malformed issuerUniqueID");
      }
      if (tbs.optional(Der.context(2)).malformed()) {
        throw new CryptoError("x509: malformed subjectUniqueID");
      }
      if (cert.version == 3) {
        Der.Optional exts = tbs.optional(Der.constructed(3));
        if (exts.malformed()) {
          throw new CryptoError("x509: malformed extensions");
        }
        if (exts.present()) {
          Der.Element seq = exts.element().reader().read(Der.SEQUENCE);
          if (seq == null) {
            throw new CryptoError("x509: malformed extensions");
          }
          Set<String> seen = new HashSet<>();
          Der.Reader er = seq.reader();
          cert.extensions = new ArrayList<>();
          while (!er.empty()) {
            Der.Element ext = er.read(Der.SEQUENCE);
            if (ext == null) {
              throw new CryptoError("x509: malformed extension");
            }
            ParsedCertificate.Extension e = parseExtension(ext.reader());
            String id = Der.dotted(e.id());
            if (!seen.add(id)) {
              throw new CryptoError("x509: certificate contains duplicate extension with OID \"" + id + "\"");
            }
            cert.extensions.add(e);
          }
          if (cert.extensions.isEmpty()) {
            cert.extensions = null;
          }
          Extensions.process(cert);
        }
      }
    }

    Der.BitString signature = input.readBitString();
    if (signature == null) {
      throw new CryptoError("x509: malformed signature");
    }
    cert.signature = signature.rightAlign();
    return cert;
  }

  static ParsedCertificate.Extension parseExtension(Der.Reader r) {
    int[] id = r.readOid();
    if (id == null) {
      throw new CryptoError("x509: malformed extension OID field");
    }
    boolean critical = false;
    if (r.peek(Der.BOOLEAN)) {
      Boolean c = r.readBoolean();
      if (c == null) {
        throw new CryptoError("x509: malformed extension critical field");
      }
      critical = c;
    }
    Der.Element value = r.read(Der.OCTET_STRING);
    if (value == null) {
      throw new CryptoError("x509: malformed extension value field");
    }
    return new ParsedCertificate.Extension(id, critical, value.content());
  }

  /** Go's parseName followed by pkix.Name.FillFromRDNSequence. */
  static DistinguishedName parseName(Der.Element name) {
    List<DistinguishedName.Attribute> atvs = new ArrayList<>();
    Der.Reader rdns = name.reader();
    while (!rdns.empty()) {
      Der.Element set = rdns.read(Der.SET);
      if (set == null) {
        throw new CryptoError("x509: invalid RDNSequence");
      }
      Der.Reader sr = set.reader();
      while (!sr.empty()) {
        Der.Element atv = sr.read(Der.SEQUENCE);
        if (atv == null) {
          throw new CryptoError("x509: invalid RDNSequence: invalid attribute");
        }
        Der.Reader ar = atv.reader();
        int[] type = ar.readOid();
        if (type == null) {
          throw new CryptoError("x509: invalid RDNSequence: invalid attribute type");
        }
        Der.Element value = ar.readAny();
        if (value == null) {
          throw new CryptoError("x509: invalid RDNSequence: invalid attribute value");
        }
        String s;
        try {
          s = asn1String(value.tag(), value.content());
        } catch (CryptoError e) {
          throw new CryptoError("x509: invalid RDNSequence: invalid attribute value: " + e.getMessage());
        }
        atvs.add(new DistinguishedName.Attribute(type, s));
      }
    }
    return DistinguishedName.fromAttributes(atvs);
  }

  /** Go's parseASN1String for the string types allowed in names. */
  static String asn1String(int tag, byte[] v) {
    switch (tag) {
      case Der.T61_STRING -> {
        StringBuilder sb = new StringBuilder(v.length);
        for (byte b : v) {
          sb.append((char) (b & 0xff));
        }
        return sb.toString();
      }
      case Der.PRINTABLE_STRING -> {
        for (byte b : v) {
          if (!printable(b & 0xff)) {
            throw new CryptoError("invalid PrintableString");
          }
        }
        return new String(v, StandardCharsets.ISO_8859_1);
      }
      case Der.UTF8_STRING -> {
        try {
          return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(v)).toString();
        } catch (CharacterCodingException e) {
          throw new CryptoError("invalid UTF-8 string");
        }
      }
      case Der.BMP_STRING -> {
        if (v.length % 2 != 0) {
          throw new CryptoError("invalid BMPString");
        }
        int len = v.length;
        if (len >= 2 && v[len - 1] == 0 && v[len - 2] == 0) {
          len -= 2;
        }
        StringBuilder sb = new StringBuilder(len / 2);
        for (int i = 0; i < len; i += 2) {
          int point = (v[i] & 0xff) << 8 | (v[i + 1] & 0xff);
          if (point == 0xfffe || point == 0xffff || (point >= 0xfdd0 && point <= 0xfdef)
              || (point >= 0xd800 && point <= 0xdfff)) {
            throw new CryptoError("invalid BMPString");
          }
          sb.append((char) point);
        }
        return sb.toString();
      }
      case Der.IA5_STRING -> {
        if (!ia5(v)) {
          throw new CryptoError("invalid IA5String");
        }
        return new String(v, StandardCharsets.US_ASCII);
      }
      case Der.NUMERIC_STRING -> {
        for (byte b : v) {
          if (!(b >= '0' && b <= '9' || b == ' ')) {
            throw new CryptoError("invalid NumericString");
          }
        }
        return new String(v, StandardCharsets.US_ASCII);
      }
      default -> throw new CryptoError("unsupported string type: " + tag);
    }
  }

  static boolean ia5(byte[] v) {
    for (byte b : v) {
      if ((b & 0x80) != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean printable(int b) {
    return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= '\'' && b <= ')'
        || b >= '+' && b <= '/' || b == ' ' || b == ':' || b == '=' || b == '?' || b == '*' || b == '&';
  }

  /** UTCTime or GeneralizedTime, accepted only in the canonical forms Go's round-trip check allows. */
  static OffsetDateTime parseTime(Der.Reader r) {
    if (r.peek(Der.UTC_TIME)) {
      Der.Element e = r.read(Der.UTC_TIME);
      OffsetDateTime t = e == null ? null : utcTime(new String(e.content(), StandardCharsets.ISO_8859_1));
      if (t == null) {
        throw new CryptoError("x509: malformed UTCTime");
      }
      return t;
    }
    if (r.peek(Der.GENERALIZED_TIME)) {
      Der.Element e = r.read(Der.GENERALIZED_TIME);
      OffsetDateTime t = e == null ? null : generalizedTime(new String(e.content(), StandardCharsets.ISO_8859_1));
      if (t == null) {
        throw new CryptoError("x509: malformed GeneralizedTime");
      }
      return t;
    }
    throw new CryptoError("x509: unsupported time format");
  }

  private static OffsetDateTime utcTime(String s) {
    // YYMMDDHHMM[SS](Z|+hhmm|-hhmm); seconds are optional in Go's fallback layout
    int digits = 0;
    while (digits < s.length() && Character.isDigit(s.charAt(digits))) {
      digits++;
    }
    if (digits != 12 && digits != 10) {
      return null;
    }
    ZoneOffset zone = zone(s.substring(digits));
    if (zone == null) {
      return null;
    }
    int yy = Integer.parseInt(s.substring(0, 2));
    int year = yy < 50 ? 2000 + yy : 1900 + yy;
    return at(year, s, 2, digits == 12, zone);
  }

  private static OffsetDateTime generalizedTime(String s) {
    if (s.length() < 15) {
      return null;
    }
    for (int i = 0; i < 14; i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return null;
      }
    }
    ZoneOffset zone = zone(s.substring(14));
    if (zone == null) {
      return null;
    }
    return at(Integer.parseInt(s.substring(0, 4)), s, 4, true, zone);
  }

  private static OffsetDateTime at(int year, String s, int i, boolean seconds, ZoneOffset zone) {
    try {
      LocalDateTime t = LocalDateTime.of(year, Integer.parseInt(s.substring(i, i + 2)),
          Integer.parseInt(s.substring(i + 2, i + 4)), Integer.parseInt(s.substring(i + 4, i + 6)),
          Integer.parseInt(s.substring(i + 6, i + 8)), seconds ? Integer.parseInt(s.substring(i + 8, i + 10)) : 0);
      return OffsetDateTime.of(t, zone);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** Z, or a non-zero ±hhmm offset ("+0000" does not survive Go's format round trip). */
  private static ZoneOffset zone(String z) {
    if (z.equals("Z")) {
      return ZoneOffset.UTC;
    }
    if (z.length() != 5 || (z.charAt(0) != '+' && z.charAt(0) != '-')) {
      return null;
    }
    for (int i = 1; i < 5; i++) {
      if (!Character.isDigit(z.charAt(i))) {
        return null;
      }
    }
    int h = Integer.parseInt(z.substring(1, 3));
    int m = Integer.parseInt(z.substring(3, 5));
    if (h > 23 || m > 59 || (h == 0 && m == 0)) {
      return null;
    }
    int secs = (h * 3600 + m * 60) * (z.charAt(0) == '-' ? -1 : 1);
    return ZoneOffset.ofTotalSeconds(secs);
  }

  /** The ExtKeyUsage number for an OID, or -1. */
  static int extKeyUsage(int[] oid) {
    for (int i = 0; i < EXT_KEY_USAGES.length; i++) {
      if (Arrays.equals(EXT_KEY_USAGES[i], oid)) {
        return i;
      }
    }
    return -1;
  }

  static int[] authorityInfoAccess() {
    return AUTHORITY_INFO_ACCESS;
  }

  static int[] ocsp() {
    return OCSP;
  }

  static int[] caIssuers() {
    return CA_ISSUERS;
  }
}
