package dev.gatehouse.engine.builtins.crypto;

import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Chain verification the way OPA does it with Go's {@code x509.Certificate.Verify}: the first
 * certificate is the only root, the last is the leaf, the ones between are intermediates. Covers
 * validity periods, CA and path-length constraints, signature checks (SHA-1 and MD5 refused),
 * DNS name matching, extended key usage (server auth unless told otherwise) and name constraints.
 * Policy processing is reduced to the case Go can reject without user policies: an explicit
 * policy requirement the chain's policies do not meet.
 */
public final class ChainVerifier {
  private static final int MAX_SIGNATURE_CHECKS = 100;
  private static final int KEY_USAGE_CERT_SIGN = 1 << 5;
  private static final int EKU_ANY = 0;
  private static final int EKU_SERVER_AUTH = 1;

  /** Go's VerifyOptions as OPA fills them; null time means now, empty usages mean server auth. */
  public record Options(String dnsName, Instant currentTime, List<Integer> keyUsages) {
    public static final Options DEFAULT = new Options("", null, List.of());
  }

  private final List<ParsedCertificate> roots;
  private final List<ParsedCertificate> intermediates;
  private final Options options;
  private final Instant now;
  private int signatureChecks;

  private ChainVerifier(List<ParsedCertificate> roots, List<ParsedCertificate> intermediates, Options options) {
    this.roots = roots;
    this.intermediates = intermediates;
    this.options = options;
    this.now = options.currentTime() != null ? options.currentTime() : Instant.now();
  }

  /**
   * The verified chain, leaf first and root last, or null when it does not verify.
   *
   * @throws CryptoError with OPA's operand error when fewer than two certificates are given
   */
  public static List<ParsedCertificate> verify(List<ParsedCertificate> certs, Options options) {
    if (certs.size() < 2) {
      throw new CryptoError("operand 1 must supply at least two certificates to be able to verify");
    }
    ChainVerifier v = new ChainVerifier(List.of(certs.get(0)), certs.subList(1, certs.size() - 1), options);
    return v.verifyLeaf(certs.get(certs.size() - 1));
  }

  private List<ParsedCertificate> verifyLeaf(ParsedCertificate leaf) {
    if (!valid(leaf, Role.LEAF, List.of())) {
      return null;
    }
    if (!options.dnsName().isEmpty() && !Hostnames.matches(leaf, options.dnsName())) {
      return null;
    }
    List<List<ParsedCertificate>> candidates = new ArrayList<>();
    if (roots.stream().anyMatch(r -> Arrays.equals(r.raw, leaf.raw))) {
      candidates.add(List.of(leaf));
    } else {
      buildChains(leaf, new ArrayList<>(List.of(leaf)), candidates);
    }
    List<Integer> usages = options.keyUsages();
    boolean anyUsage = usages.contains(EKU_ANY);
    if (usages.isEmpty()) {
      usages = List.of(EKU_SERVER_AUTH);
    }
    for (List<ParsedCertificate> chain : candidates) {
      if (!Policies.valid(chain)) {
        continue;
      }
      if (!anyUsage && !keyUsageAllowed(chain, usages)) {
        continue;
      }
      if (!ChainConstraints.satisfied(chain)) {
        continue;
      }
      return chain;
    }
    return null;
  }

  private enum Role { LEAF, INTERMEDIATE, ROOT }

  private boolean buildChains(ParsedCertificate cert, List<ParsedCertificate> current, List<List<ParsedCertificate>> out) {
    int before = out.size();
    for (Role role : new Role[] {Role.ROOT, Role.INTERMEDIATE}) {
      for (ParsedCertificate parent : potentialParents(role == Role.ROOT ? roots : intermediates, cert)) {
        if (++signatureChecks > MAX_SIGNATURE_CHECKS) {
          return out.size() > before;
        }
        if (parent.publicKey == null || alreadyInChain(parent, current)) {
          continue;
        }
        if (!signedBy(cert, parent) || !valid(parent, role, current)) {
          continue;
        }
        List<ParsedCertificate> next = new ArrayList<>(current);
        next.add(parent);
        if (role == Role.ROOT) {
          out.add(next);
        } else {
          buildChains(parent, next, out);
        }
      }
    }
    return out.size() > before;
  }

  /** Issuers by name, best key-identifier match first, as Go's CertPool orders them. */
  private static List<ParsedCertificate> potentialParents(List<ParsedCertificate> pool, ParsedCertificate cert) {
    List<ParsedCertificate> matching = new ArrayList<>();
    List<ParsedCertificate> oneKeyId = new ArrayList<>();
    List<ParsedCertificate> mismatch = new ArrayList<>();
    for (ParsedCertificate c : pool) {
      if (!Arrays.equals(c.rawSubject, cert.rawIssuer)) {
        continue;
      }
      byte[] skid = c.subjectKeyId == null ? new byte[0] : c.subjectKeyId;
      byte[] akid = cert.authorityKeyId == null ? new byte[0] : cert.authorityKeyId;
      if (Arrays.equals(skid, akid)) {
        matching.add(c);
      } else if (skid.length == 0 && akid.length > 0 || skid.length > 0 && akid.length == 0) {
        oneKeyId.add(c);
      } else {
        mismatch.add(c);
      }
    }
    matching.addAll(oneKeyId);
    matching.addAll(mismatch);
    return matching;
  }

  private static boolean alreadyInChain(ParsedCertificate candidate, List<ParsedCertificate> chain) {
    ParsedCertificate.Extension candidateSan = candidate.extension(new int[] {2, 5, 29, 17});
    for (ParsedCertificate c : chain) {
      if (!Arrays.equals(candidate.rawSubject, c.rawSubject)
          || !Arrays.equals(candidate.rawSubjectPublicKeyInfo, c.rawSubjectPublicKeyInfo)) {
        continue;
      }
      ParsedCertificate.Extension san = c.extension(new int[] {2, 5, 29, 17});
      if (candidateSan == null && san == null) {
        return true;
      }
      if (candidateSan == null || san == null) {
        return false;
      }
      if (Arrays.equals(candidateSan.value(), san.value())) {
        return true;
      }
    }
    return false;
  }

  private boolean valid(ParsedCertificate c, Role role, List<ParsedCertificate> current) {
    if (c.unhandledCriticalExtensions != null) {
      return false;
    }
    if (!current.isEmpty() && !Arrays.equals(current.get(current.size() - 1).rawIssuer, c.rawSubject)) {
      return false;
    }
    if (now.isBefore(c.notBefore.toInstant()) || now.isAfter(c.notAfter.toInstant())) {
      return false;
    }
    if (role == Role.INTERMEDIATE && (!c.basicConstraintsValid || !c.isCA)) {
      return false;
    }
    return !(c.basicConstraintsValid && c.maxPathLen >= 0 && current.size() - 1 > c.maxPathLen);
  }

  /** Go's CheckSignatureFrom. */
  static boolean signedBy(ParsedCertificate child, ParsedCertificate parent) {
    if (parent.version == 3 && !parent.basicConstraintsValid || parent.basicConstraintsValid && !parent.isCA) {
      return false;
    }
    if (parent.keyUsage != 0 && (parent.keyUsage & KEY_USAGE_CERT_SIGN) == 0) {
      return false;
    }
    if (parent.publicKeyAlgorithm == 0) {
      return false;
    }
    SignatureAlgorithm alg = child.signatureAlgorithm;
    if (alg.insecureForCertificates() || alg.jdkName() == null) {
      return false;
    }
    PublicKey key;
    try {
      key = parent.publicKey.toJava();
    } catch (CryptoError e) {
      return false;
    }
    if (key == null) {
      return false;
    }
    return switch (alg.kind()) {
      case RSA -> parent.publicKey instanceof GoPublicKey.Rsa
          && Signatures.verifyPkcs1(key, alg.jdkName(), child.rawTbsCertificate, child.signature);
      case RSA_PSS -> parent.publicKey instanceof GoPublicKey.Rsa && Signatures.verifyPss(key, alg.jdkName(),
          child.rawTbsCertificate, child.signature, Signatures.digest(alg.jdkName(), new byte[0]).length);
      case ECDSA -> parent.publicKey instanceof GoPublicKey.Ecdsa
          && Signatures.verifyEcdsaDer(key, alg.jdkName(), child.rawTbsCertificate, child.signature);
      case ED25519 -> parent.publicKey instanceof GoPublicKey.Ed25519
          && Signatures.verifyEd25519(key, child.rawTbsCertificate, child.signature);
      default -> false;
    };
  }

  /** Go's checkChainForKeyUsage: every certificate with EKUs must allow one of the usages. */
  private static boolean keyUsageAllowed(List<ParsedCertificate> chain, List<Integer> requested) {
    List<Integer> remaining = new ArrayList<>(requested);
    for (int i = chain.size() - 1; i >= 0; i--) {
      ParsedCertificate c = chain.get(i);
      if (c.extKeyUsage == null && c.unknownExtKeyUsage == null) {
        continue;
      }
      if (c.extKeyUsage != null && c.extKeyUsage.contains(EKU_ANY)) {
        continue;
      }
      remaining.removeIf(u -> c.extKeyUsage == null || !c.extKeyUsage.contains(u));
      if (remaining.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Go's VerifyHostname against DNS and IP SANs (the common name is ignored). */
  static final class Hostnames {
    private Hostnames() {}

    static boolean matches(ParsedCertificate c, String h) {
      String candidateIp = h.length() >= 3 && h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
      byte[] ip = IpLiterals.parse(candidateIp);
      if (ip != null) {
        if (c.ipAddresses != null) {
          for (byte[] a : c.ipAddresses) {
            if (Arrays.equals(to16(a), to16(ip))) {
              return true;
            }
          }
        }
        return false;
      }
      String name = lowerAscii(h);
      boolean validInput = validHostname(name, false);
      String[] hostParts = splitHostname(name);
      if (c.dnsNames == null) {
        return false;
      }
      for (String match : c.dnsNames) {
        if (validInput && validHostname(match, true)) {
          if (matchHostnames(match, hostParts)) {
            return true;
          }
        } else if (matchExactly(match, name)) {
          return true;
        }
      }
      return false;
    }

    private static byte[] to16(byte[] ip) {
      if (ip.length == 16) {
        return ip;
      }
      byte[] out = new byte[16];
      out[10] = (byte) 0xff;
      out[11] = (byte) 0xff;
      System.arraycopy(ip, 0, out, 12, 4);
      return out;
    }

    private static String[] splitHostname(String host) {
      if (host.endsWith(".")) {
        host = host.substring(0, host.length() - 1);
      }
      return host.split("\\.", -1);
    }

    private static boolean validHostname(String host, boolean pattern) {
      if (!pattern && host.endsWith(".")) {
        host = host.substring(0, host.length() - 1);
      }
      if (host.isEmpty() || host.equals("*")) {
        return false;
      }
      String[] parts = host.split("\\.", -1);
      for (int i = 0; i < parts.length; i++) {
        String part = parts[i];
        if (part.isEmpty()) {
          return false;
        }
        if (pattern && i == 0 && part.equals("*")) {
          continue;
        }
        for (int j = 0; j < part.length(); j++) {
          char ch = part.charAt(j);
          boolean ok = ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'Z'
              || ch == '-' && j != 0 || ch == '_';
          if (!ok) {
            return false;
          }
        }
      }
      return true;
    }

    private static boolean matchExactly(String a, String b) {
      if (a.isEmpty() || a.equals(".") || b.isEmpty() || b.equals(".")) {
        return false;
      }
      return lowerAscii(a).equals(lowerAscii(b));
    }

    private static boolean matchHostnames(String pattern, String[] hostParts) {
      pattern = lowerAscii(pattern);
      if (pattern.isEmpty() || hostParts.length == 0) {
        return false;
      }
      String[] patternParts = pattern.split("\\.", -1);
      if (patternParts.length != hostParts.length) {
        return false;
      }
      for (int i = 0; i < patternParts.length; i++) {
        if (i == 0 && patternParts[i].equals("*")) {
          continue;
        }
        if (!patternParts[i].equals(hostParts[i])) {
          return false;
        }
      }
      return true;
    }
  }

  static String lowerAscii(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return sb.toString();
  }

  /** Name constraints from CA certificates applied to the names of the certificates below them. */
  static final class ChainConstraints {
    private ChainConstraints() {}

    static boolean satisfied(List<ParsedCertificate> chain) {
      for (int i = 0; i < chain.size(); i++) {
        ParsedCertificate c = chain.get(i);
        if (!c.hasSubjectAltName()) {
          continue;
        }
        for (int j = i + 1; j < chain.size(); j++) {
          ParsedCertificate ca = chain.get(j);
          if (hasNameConstraints(ca) && !permits(ca, c)) {
            return false;
          }
        }
      }
      return true;
    }

    private static boolean hasNameConstraints(ParsedCertificate c) {
      return c.permittedDnsDomains != null || c.excludedDnsDomains != null || c.permittedIpRanges != null
          || c.excludedIpRanges != null || c.permittedEmailAddresses != null || c.excludedEmailAddresses != null
          || c.permittedUriDomains != null || c.excludedUriDomains != null;
    }

    private static boolean permits(ParsedCertificate ca, ParsedCertificate c) {
      if (c.ipAddresses != null) {
        for (byte[] ip : c.ipAddresses) {
          if (!allowed(ca.permittedIpRanges, ca.excludedIpRanges, n -> contains(n, ip))) {
            return false;
          }
        }
      }
      if (c.dnsNames != null) {
        for (String d : c.dnsNames) {
          if (!Extensions.domainNameValid(d, false) || !dnsAllowed(ca.permittedDnsDomains, ca.excludedDnsDomains, d)) {
            return false;
          }
        }
      }
      if (c.uris != null) {
        for (GoUrl u : c.uris) {
          String host = u.host().toLowerCase(Locale.ROOT);
          if (host.isEmpty()) {
            return false;
          }
          if (host.contains(":") && !host.endsWith("]")) {
            host = host.substring(0, host.lastIndexOf(':'));
          }
          if (IpLiterals.parse(host) != null || host.startsWith("[") && host.endsWith("]")) {
            return false;
          }
          if (!dnsAllowed(ca.permittedUriDomains, ca.excludedUriDomains, host)) {
            return false;
          }
        }
      }
      if (c.emailAddresses != null) {
        for (String e : c.emailAddresses) {
          Mailbox m = Mailbox.parse(e);
          if (m == null) {
            return false;
          }
          Mailbox lowered = new Mailbox(m.local(), m.domain().toLowerCase(Locale.ROOT));
          if (!emailAllowed(ca.permittedEmailAddresses, true, lowered)
              || emailAllowed(ca.excludedEmailAddresses, false, lowered) && ca.excludedEmailAddresses != null) {
            return false;
          }
        }
      }
      return true;
    }

    private static <T> boolean allowed(List<T> permitted, List<T> excluded, java.util.function.Predicate<T> match) {
      if (permitted != null && !permitted.isEmpty() && permitted.stream().noneMatch(match)) {
        return false;
      }
      return excluded == null || excluded.stream().noneMatch(match);
    }

    private static boolean contains(ParsedCertificate.IpNet n, byte[] ip) {
      if (n.ip().length != ip.length) {
        return false;
      }
      for (int i = 0; i < ip.length; i++) {
        if ((ip[i] & n.mask()[i]) != (n.ip()[i] & n.mask()[i])) {
          return false;
        }
      }
      return true;
    }

    private static boolean dnsAllowed(List<String> permitted, List<String> excluded, String name) {
      if (permitted != null && !permitted.isEmpty() && !dnsQuery(permitted, true, name)) {
        return false;
      }
      return excluded == null || excluded.isEmpty() || !dnsQuery(excluded, false, name);
    }

    /** Whether any constraint covers the name; excluded sets also catch wildcards of their children. */
    private static boolean dnsQuery(List<String> constraints, boolean permitted, String name) {
      for (String c : constraints) {
        if (c.isEmpty() || dnsHasSuffix(c, name)) {
          return true;
        }
      }
      if (!permitted && name.startsWith("*")) {
        String trimmed = trimFirstLabel(lowerAscii(name));
        for (String c : constraints) {
          String t = trimFirstLabel(lowerAscii(c));
          if (!t.isEmpty() && t.equals(trimmed)) {
            return true;
          }
        }
      }
      return false;
    }

    private static boolean emailAllowed(List<String> constraints, boolean permitted, Mailbox m) {
      if (constraints == null || constraints.isEmpty()) {
        return permitted;
      }
      List<String> domains = new ArrayList<>();
      for (String c : constraints) {
        if (c.indexOf('@') < 0) {
          domains.add(c);
          continue;
        }
        Mailbox full = Mailbox.parse(c);
        if (full != null && full.local().equals(m.local()) && full.domain().toLowerCase(Locale.ROOT).equals(m.domain())) {
          return true;
        }
      }
      return !domains.isEmpty() && dnsQuery(domains, permitted, m.domain());
    }

    private static String trimFirstLabel(String s) {
      int dot = s.indexOf('.');
      return dot < 0 ? "" : s.substring(dot);
    }

    /** Go's dnsHasSuffix: b ends with a (case-insensitively) on a label boundary. */
    private static boolean dnsHasSuffix(String a, String b) {
      if (a.length() > b.length()) {
        return false;
      }
      if (!lowerAscii(b).endsWith(lowerAscii(a))) {
        return false;
      }
      return a.charAt(0) == '.' || b.length() == a.length() || b.charAt(b.length() - a.length() - 1) == '.';
    }
  }

  /**
   * Certificate policies without user-supplied policy sets: a chain only fails when some
   * certificate requires an explicit policy and, from then on, a certificate lacks policies.
   */
  static final class Policies {
    private Policies() {}

    static boolean valid(List<ParsedCertificate> chain) {
      if (chain.size() == 1) {
        return true;
      }
      int n = chain.size() - 1;
      int explicitPolicy = n + 1;
      boolean policiesPresent = true;
      // walk from the certificate below the root down to the leaf
      for (int i = chain.size() - 2; i >= 0; i--) {
        ParsedCertificate c = chain.get(i);
        boolean selfIssued = Arrays.equals(c.rawIssuer, c.rawSubject);
        if (c.policies == null) {
          policiesPresent = false;
        }
        if (!selfIssued && explicitPolicy > 0) {
          explicitPolicy--;
        }
        if (i > 0 && (c.requireExplicitPolicy > 0 || c.requireExplicitPolicyZero)) {
          explicitPolicy = (int) Math.min(explicitPolicy, c.requireExplicitPolicy);
        }
        if (i == 0 && (c.requireExplicitPolicyZero)) {
          explicitPolicy = 0;
        }
      }
      return explicitPolicy > 0 || policiesPresent;
    }
  }
}
