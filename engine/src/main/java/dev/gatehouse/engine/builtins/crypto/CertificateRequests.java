package dev.gatehouse.engine.builtins.crypto;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PKCS #10 certificate requests, parsed as Go's x509.ParseCertificateRequest and rendered as
 * Go's JSON of x509.CertificateRequest.
 */
public final class CertificateRequests {
  private static final int[] EXTENSION_REQUEST = {1, 2, 840, 113549, 1, 9, 14};

  private CertificateRequests() {}

  public static Value parse(byte[] der) {
    Der.Reader top = new Der.Reader(der);
    Der.Element csr = top.read(Der.SEQUENCE);
    if (csr == null) {
      throw new CryptoError(Asn1Errors.structure(der, "certificateRequest"));
    }
    if (!top.empty()) {
      throw new CryptoError("asn1: syntax error: trailing data");
    }
    Der.Reader r = csr.reader();
    Der.Element tbs = r.read(Der.SEQUENCE);
    Der.Element sigAlg = tbs == null ? null : r.read(Der.SEQUENCE);
    Der.BitString sig = sigAlg == null ? null : r.readBitString();
    if (sig == null) {
      throw new CryptoError(Asn1Errors.firstBadField(csr, new int[] {Der.SEQUENCE, Der.SEQUENCE, Der.BIT_STRING},
          new String[] {"tbsCertificateRequest", "AlgorithmIdentifier", "BitString"}));
    }
    Der.Reader t = tbs.reader();
    Long version = t.readInt64(Der.INTEGER);
    Der.Element subject = version == null ? null : t.read(Der.SEQUENCE);
    Der.Element spki = subject == null ? null : t.read(Der.SEQUENCE);
    Der.Element attrs = spki == null ? null : t.read(Der.constructed(0));
    if (attrs == null) {
      throw new CryptoError(Asn1Errors.firstBadField(tbs, new int[] {Der.INTEGER, Der.SEQUENCE, Der.SEQUENCE,
          Der.constructed(0)}, new String[] {"int", "RawValue", "publicKeyInfo", ""}));
    }
    Der.Reader spkiReader = spki.reader();
    Der.Element pkAi = spkiReader.read(Der.SEQUENCE);
    Der.BitString pkBits = pkAi == null ? null : spkiReader.readBitString();
    if (pkBits == null) {
      throw new CryptoError(Asn1Errors.firstBadField(spki, new int[] {Der.SEQUENCE, Der.BIT_STRING},
          new String[] {"AlgorithmIdentifier", "BitString"}));
    }
    PublicKeys.AlgorithmId pkAlg = PublicKeys.algorithm(pkAi.reader());
    int publicKeyAlgorithm = PublicKeys.algorithmNumber(pkAlg.oid());
    GoPublicKey publicKey = publicKeyAlgorithm == 0 ? null : PublicKeys.parse(pkAlg, pkBits, false);

    DistinguishedName name = CertificateParser.parseName(subject);

    List<Der.Element> rawAttributes = new ArrayList<>();
    Der.Reader ar = attrs.reader();
    while (!ar.empty()) {
      Der.Element a = ar.readAny();
      if (a == null) {
        throw new CryptoError("asn1: syntax error: data truncated");
      }
      rawAttributes.add(a);
    }

    List<ParsedCertificate.Extension> extensions = extensions(rawAttributes);
    ParsedCertificate sans = new ParsedCertificate();
    if (extensions != null) {
      for (ParsedCertificate.Extension e : extensions) {
        if (Arrays.equals(e.id(), new int[] {2, 5, 29, 17})) {
          sans.dnsNames = null;
          sans.emailAddresses = null;
          sans.ipAddresses = null;
          sans.uris = null;
          Extensions.subjectAltNames(sans, e.value());
        }
      }
    }

    return GoJson.object()
        .put("Raw", GoJson.bytes(csr.encoded()))
        .put("RawTBSCertificateRequest", GoJson.bytes(tbs.encoded()))
        .put("RawSubjectPublicKeyInfo", GoJson.bytes(spki.encoded()))
        .put("RawSubject", GoJson.bytes(subject.encoded()))
        .put("Version", GoJson.integer(version))
        .put("Signature", GoJson.bytes(sig.rightAlign()))
        .put("SignatureAlgorithm", GoJson.integer(
            SignatureAlgorithm.fromAlgorithmId(PublicKeys.algorithm(sigAlg.reader())).number()))
        .put("PublicKeyAlgorithm", GoJson.integer(publicKeyAlgorithm))
        .put("PublicKey", publicKey == null ? NullValue.INSTANCE : publicKey.toValue())
        .put("Subject", name.toValue())
        .put("Attributes", attributes(rawAttributes))
        .put("Extensions", GoJson.list(extensions, e -> GoJson.object().put("Id", GoJson.oid(e.id()))
            .put("Critical", GoJson.bool(e.critical())).put("Value", GoJson.bytes(e.value())).build()))
        .put("ExtraExtensions", NullValue.INSTANCE)
        .put("DNSNames", GoJson.strings(sans.dnsNames))
        .put("EmailAddresses", GoJson.strings(sans.emailAddresses))
        .put("IPAddresses", GoJson.list(sans.ipAddresses, ip -> StringValue.of(IpAddresses.format(ip))))
        .put("URIs", GoJson.list(sans.uris, GoUrl::toValue))
        .build();
  }

  /** Go's parseCSRExtensions: the extensionRequest attributes' extensions. */
  private static List<ParsedCertificate.Extension> extensions(List<Der.Element> rawAttributes) {
    List<ParsedCertificate.Extension> out = null;
    Set<String> seen = new HashSet<>();
    for (Der.Element raw : rawAttributes) {
      if (raw.tag() != Der.SEQUENCE) {
        continue;
      }
      Der.Reader r = raw.reader();
      int[] id = r.readOid();
      Der.Element values = id == null ? null : r.read(Der.SET);
      if (values == null || !r.empty() || values.contentLength() == 0 || !Arrays.equals(id, EXTENSION_REQUEST)) {
        continue;
      }
      Der.Element first = values.reader().readAny();
      if (first == null) {
        continue;
      }
      if (first.tag() != Der.SEQUENCE) {
        throw new CryptoError("asn1: structure error: tags don't match (16 vs {class:" + (first.tag() >> 6)
            + " tag:" + (first.tag() & 0x1f) + "}) in []pkix.Extension");
      }
      Der.Reader er = first.reader();
      List<ParsedCertificate.Extension> exts = new ArrayList<>();
      while (!er.empty()) {
        Der.Element ext = er.read(Der.SEQUENCE);
        if (ext == null) {
          throw new CryptoError("asn1: structure error: tags don't match in pkix.Extension");
        }
        ParsedCertificate.Extension e;
        try {
          e = CertificateParser.parseExtension(ext.reader());
        } catch (CryptoError ex) {
          throw new CryptoError("asn1: structure error: " + ex.getMessage().replace("x509: ", ""));
        }
        exts.add(e);
      }
      for (ParsedCertificate.Extension e : exts) {
        if (!seen.add(Der.dotted(e.id()))) {
          throw new CryptoError("x509: certificate request contains duplicate requested extensions");
        }
      }
      if (out == null) {
        out = new ArrayList<>();
      }
      out.addAll(exts);
    }
    return out;
  }

  /** Go's parseRawAttributes: attributes that fit AttributeTypeAndValueSET, others skipped. */
  private static Value attributes(List<Der.Element> rawAttributes) {
    List<Value> out = null;
    for (Der.Element raw : rawAttributes) {
      Value v = attributeSet(raw);
      if (v != null) {
        if (out == null) {
          out = new ArrayList<>();
        }
        out.add(v);
      }
    }
    return out == null ? NullValue.INSTANCE : ArrayValue.of(out);
  }

  private static Value attributeSet(Der.Element raw) {
    if (raw.tag() != Der.SEQUENCE) {
      return null;
    }
    Der.Reader r = raw.reader();
    int[] type = r.readOid();
    Der.Element set = type == null ? null : r.read(Der.SET);
    if (set == null) {
      return null;
    }
    List<Value> outer = new ArrayList<>();
    Der.Reader sr = set.reader();
    while (!sr.empty()) {
      Der.Element seq = sr.read(Der.SEQUENCE);
      if (seq == null) {
        return null;
      }
      List<Value> inner = new ArrayList<>();
      Der.Reader ir = seq.reader();
      while (!ir.empty()) {
        Der.Element atv = ir.read(Der.SEQUENCE);
        if (atv == null) {
          return null;
        }
        Der.Reader vr = atv.reader();
        int[] t = vr.readOid();
        if (t == null) {
          return null;
        }
        Value value = NullValue.INSTANCE;
        if (!vr.empty()) {
          Der.Element e = vr.readAny();
          if (e == null) {
            return null;
          }
          value = anyValue(e);
          if (value == null) {
            return null;
          }
        }
        inner.add(GoJson.object().put("Type", GoJson.oid(t)).put("Value", value).build());
      }
      outer.add(ArrayValue.of(inner));
    }
    return GoJson.object().put("Type", GoJson.oid(type)).put("Value", ArrayValue.of(outer)).build();
  }

  /** What encoding/asn1 puts in an interface{} field: Go values for known universal types, else nil. */
  private static Value anyValue(Der.Element e) {
    byte[] c = e.content();
    try {
      return switch (e.tag()) {
        case Der.OCTET_STRING -> GoJson.bytes(c);
        case Der.INTEGER -> {
          if (!Der.validInteger(e) || c.length > 8) {
            yield null;
          }
          yield NumberValue.of(new BigInteger(c));
        }
        case Der.OBJECT_IDENTIFIER -> {
          int[] oid = Der.oidComponents(c);
          yield oid == null ? null : GoJson.oid(oid);
        }
        case Der.PRINTABLE_STRING, Der.NUMERIC_STRING, Der.IA5_STRING, Der.T61_STRING, Der.UTF8_STRING,
            Der.BMP_STRING -> StringValue.of(CertificateParser.asn1String(e.tag(), c));
        case Der.BIT_STRING -> {
          Der.BitString b = new Der.Reader(e.encoded()).readBitString();
          yield b == null ? null : GoJson.object().put("Bytes", GoJson.bytes(b.bytes()))
              .put("BitLength", GoJson.integer(b.bitLength())).build();
        }
        case Der.UTC_TIME, Der.GENERALIZED_TIME -> GoJson.time(CertificateParser.parseTime(new Der.Reader(e.encoded())));
        default -> NullValue.INSTANCE;
      };
    } catch (CryptoError ex) {
      return null;
    }
  }
}
