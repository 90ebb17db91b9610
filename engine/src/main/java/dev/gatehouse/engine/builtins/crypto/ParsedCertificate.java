package dev.gatehouse.engine.builtins.crypto;

import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * An X.509 certificate with exactly the fields of Go's {@code x509.Certificate}, filled the way
 * Go's parser fills them (nil slices stay null), so that {@link #toValue} gives what OPA returns.
 * Instances are written once by {@link CertificateParser} and read-only afterwards.
 */
public final class ParsedCertificate {
  /** A pkix.Extension. */
  record Extension(int[] id, boolean critical, byte[] value) {}

  /** A net.IPNet from a name constraint. */
  record IpNet(byte[] ip, byte[] mask) {}

  /** An x509.PolicyMapping; OIDs kept as their DER contents. */
  record PolicyMapping(byte[] issuerDomainPolicy, byte[] subjectDomainPolicy) {}

  byte[] raw;
  byte[] rawTbsCertificate;
  byte[] rawSubjectPublicKeyInfo;
  byte[] rawSubject;
  byte[] rawIssuer;
  byte[] signature;
  SignatureAlgorithm signatureAlgorithm = SignatureAlgorithm.UNKNOWN;
  int publicKeyAlgorithm;
  GoPublicKey publicKey;
  int version;
  BigInteger serialNumber;
  DistinguishedName issuer;
  DistinguishedName subject;
  OffsetDateTime notBefore;
  OffsetDateTime notAfter;
  int keyUsage;
  List<Extension> extensions;
  List<int[]> unhandledCriticalExtensions;
  List<Integer> extKeyUsage;
  List<int[]> unknownExtKeyUsage;
  boolean basicConstraintsValid;
  boolean isCA;
  int maxPathLen;
  boolean maxPathLenZero;
  byte[] subjectKeyId;
  byte[] authorityKeyId;
  List<String> ocspServer;
  List<String> issuingCertificateUrl;
  List<String> dnsNames;
  List<String> emailAddresses;
  List<byte[]> ipAddresses;
  List<GoUrl> uris;
  boolean permittedDnsDomainsCritical;
  List<String> permittedDnsDomains;
  List<String> excludedDnsDomains;
  List<IpNet> permittedIpRanges;
  List<IpNet> excludedIpRanges;
  List<String> permittedEmailAddresses;
  List<String> excludedEmailAddresses;
  List<String> permittedUriDomains;
  List<String> excludedUriDomains;
  List<String> crlDistributionPoints;
  List<int[]> policyIdentifiers;
  List<byte[]> policies;
  long inhibitAnyPolicy;
  boolean inhibitAnyPolicyZero;
  long inhibitPolicyMapping;
  boolean inhibitPolicyMappingZero;
  long requireExplicitPolicy;
  boolean requireExplicitPolicyZero;
  List<PolicyMapping> policyMappings;

  ParsedCertificate() {}

  public GoPublicKey publicKey() {
    return publicKey;
  }

  public byte[] raw() {
    return raw.clone();
  }

  boolean hasSubjectAltName() {
    return extension(new int[] {2, 5, 29, 17}) != null;
  }

  Extension extension(int[] oid) {
    if (extensions != null) {
      for (Extension e : extensions) {
        if (java.util.Arrays.equals(e.id(), oid)) {
          return e;
        }
      }
    }
    return null;
  }

  /** Go's JSON of x509.Certificate; with OPA's extra {@code URIStrings} field when asked. */
  public ObjectValue toValue(boolean withUriStrings) {
    ObjectValue.Builder b = GoJson.object()
        .put("Raw", GoJson.bytes(raw))
        .put("RawTBSCertificate", GoJson.bytes(rawTbsCertificate))
        .put("RawSubjectPublicKeyInfo", GoJson.bytes(rawSubjectPublicKeyInfo))
        .put("RawSubject", GoJson.bytes(rawSubject))
        .put("RawIssuer", GoJson.bytes(rawIssuer))
        .put("Signature", GoJson.bytes(signature))
        .put("SignatureAlgorithm", GoJson.integer(signatureAlgorithm.number()))
        .put("PublicKeyAlgorithm", GoJson.integer(publicKeyAlgorithm))
        .put("PublicKey", publicKey == null ? NullValue.INSTANCE : publicKey.toValue())
        .put("Version", GoJson.integer(version))
        .put("SerialNumber", GoJson.big(serialNumber))
        .put("Issuer", issuer.toValue())
        .put("Subject", subject.toValue())
        .put("NotBefore", GoJson.time(notBefore))
        .put("NotAfter", GoJson.time(notAfter))
        .put("KeyUsage", GoJson.integer(keyUsage))
        .put("Extensions", GoJson.list(extensions, e -> GoJson.object().put("Id", GoJson.oid(e.id()))
            .put("Critical", GoJson.bool(e.critical())).put("Value", GoJson.bytes(e.value())).build()))
        .put("ExtraExtensions", NullValue.INSTANCE)
        .put("UnhandledCriticalExtensions", GoJson.oids(unhandledCriticalExtensions))
        .put("ExtKeyUsage", GoJson.list(extKeyUsage, u -> GoJson.integer(u)))
        .put("UnknownExtKeyUsage", GoJson.oids(unknownExtKeyUsage))
        .put("BasicConstraintsValid", GoJson.bool(basicConstraintsValid))
        .put("IsCA", GoJson.bool(isCA))
        .put("MaxPathLen", GoJson.integer(maxPathLen))
        .put("MaxPathLenZero", GoJson.bool(maxPathLenZero))
        .put("SubjectKeyId", GoJson.bytes(subjectKeyId))
        .put("AuthorityKeyId", GoJson.bytes(authorityKeyId))
        .put("OCSPServer", GoJson.strings(ocspServer))
        .put("IssuingCertificateURL", GoJson.strings(issuingCertificateUrl))
        .put("DNSNames", GoJson.strings(dnsNames))
        .put("EmailAddresses", GoJson.strings(emailAddresses))
        .put("IPAddresses", GoJson.list(ipAddresses, ip -> StringValue.of(IpAddresses.format(ip))))
        .put("URIs", GoJson.list(uris, GoUrl::toValue))
        .put("PermittedDNSDomainsCritical", GoJson.bool(permittedDnsDomainsCritical))
        .put("PermittedDNSDomains", GoJson.strings(permittedDnsDomains))
        .put("ExcludedDNSDomains", GoJson.strings(excludedDnsDomains))
        .put("PermittedIPRanges", GoJson.list(permittedIpRanges, ParsedCertificate::ipNet))
        .put("ExcludedIPRanges", GoJson.list(excludedIpRanges, ParsedCertificate::ipNet))
        .put("PermittedEmailAddresses", GoJson.strings(permittedEmailAddresses))
        .put("ExcludedEmailAddresses", GoJson.strings(excludedEmailAddresses))
        .put("PermittedURIDomains", GoJson.strings(permittedUriDomains))
        .put("ExcludedURIDomains", GoJson.strings(excludedUriDomains))
        .put("CRLDistributionPoints", GoJson.strings(crlDistributionPoints))
        .put("PolicyIdentifiers", GoJson.oids(policyIdentifiers))
        .put("Policies", GoJson.list(policies, p -> StringValue.of(Der.oidDotted(p))))
        .put("InhibitAnyPolicy", GoJson.integer(inhibitAnyPolicy))
        .put("InhibitAnyPolicyZero", GoJson.bool(inhibitAnyPolicyZero))
        .put("InhibitPolicyMapping", GoJson.integer(inhibitPolicyMapping))
        .put("InhibitPolicyMappingZero", GoJson.bool(inhibitPolicyMappingZero))
        .put("RequireExplicitPolicy", GoJson.integer(requireExplicitPolicy))
        .put("RequireExplicitPolicyZero", GoJson.bool(requireExplicitPolicyZero))
        .put("PolicyMappings", GoJson.list(policyMappings, m -> GoJson.object()
            .put("IssuerDomainPolicy", StringValue.of(Der.oidDotted(m.issuerDomainPolicy())))
            .put("SubjectDomainPolicy", StringValue.of(Der.oidDotted(m.subjectDomainPolicy()))).build()));
    if (withUriStrings) {
      b.put("URIStrings", GoJson.list(uris, u -> StringValue.of(u.toString())));
    }
    return b.build();
  }

  private static Value ipNet(IpNet n) {
    return GoJson.object().put("IP", StringValue.of(IpAddresses.format(n.ip()))).put("Mask", GoJson.bytes(n.mask())).build();
  }
}
