package dev.gatehouse.engine.builtins.crypto;

import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * crypto.x509.parse_keypair: OPA's input handling (PEM, or base64 of PEM or DER) followed by
 * Go's tls.X509KeyPair, rendered as Go's JSON of tls.Certificate.
 */
public final class KeyPairs {
  private KeyPairs() {}

  public static Value parse(String certInput, String keyInput) {
    byte[] cert = certInput.getBytes(StandardCharsets.UTF_8);
    byte[] key = keyInput.getBytes(StandardCharsets.UTF_8);
    if (!Pem.hasPrefix(cert, "-----BEGIN ")) {
      cert = CryptoInputs.base64(certInput);
    }
    if (!Pem.hasPrefix(key, "-----BEGIN ")) {
      key = CryptoInputs.base64(keyInput);
    }
    // DER input stands for one block of the expected type
    List<byte[]> certDers = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    if (!Pem.hasPrefix(cert, "-----BEGIN ")) {
      certDers.add(cert);
    } else {
      byte[] rest = cert;
      while (true) {
        Pem.Decoded d = Pem.decode(rest);
        if (d.block() == null) {
          break;
        }
        rest = d.rest();
        if (d.block().type().equals("CERTIFICATE")) {
          certDers.add(d.block().bytes());
        } else {
          skipped.add(d.block().type());
        }
      }
    }
    if (certDers.isEmpty()) {
      if (skipped.isEmpty()) {
        throw new CryptoError("tls: failed to find any PEM data in certificate input");
      }
      if (skipped.size() == 1 && skipped.get(0).endsWith("PRIVATE KEY")) {
        throw new CryptoError("tls: failed to find certificate PEM data in certificate input, but did find a private key;"
            + " PEM inputs may have been switched");
      }
      throw new CryptoError("tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM"
          + " blocks of the following types: [" + String.join(" ", skipped) + "]");
    }

    byte[] keyDer = null;
    if (!Pem.hasPrefix(key, "-----BEGIN")) {
      keyDer = key;
    } else {
      skipped.clear();
      byte[] rest = key;
      while (keyDer == null) {
        Pem.Decoded d = Pem.decode(rest);
        if (d.block() == null) {
          if (skipped.isEmpty()) {
            throw new CryptoError("tls: failed to find any PEM data in key input");
          }
          if (skipped.size() == 1 && skipped.get(0).equals("CERTIFICATE")) {
            throw new CryptoError("tls: found a certificate rather than a key in the PEM for the private key");
          }
          throw new CryptoError("tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after"
              + " skipping PEM blocks of the following types: [" + String.join(" ", skipped) + "]");
        }
        rest = d.rest();
        String type = d.block().type();
        if (type.equals("PRIVATE KEY") || type.endsWith(" PRIVATE KEY")) {
          keyDer = d.block().bytes();
        } else {
          skipped.add(type);
        }
      }
    }

    ParsedCertificate leaf = CertificateParser.parseOne(certDers.get(0));
    GoPrivateKey privateKey = tlsPrivateKey(keyDer);
    GoPublicKey pub = leaf.publicKey;
    boolean sameType = pub instanceof GoPublicKey.Rsa && privateKey instanceof GoPrivateKey.Rsa
        || pub instanceof GoPublicKey.Ecdsa && privateKey instanceof GoPrivateKey.Ecdsa
        || pub instanceof GoPublicKey.Ed25519 && privateKey instanceof GoPrivateKey.Ed25519;
    if (!(pub instanceof GoPublicKey.Rsa || pub instanceof GoPublicKey.Ecdsa || pub instanceof GoPublicKey.Ed25519)) {
      throw new CryptoError("tls: unknown public key algorithm");
    }
    if (!sameType) {
      throw new CryptoError("tls: private key type does not match public key type");
    }
    if (!privateKey.publicKey().equals(pub)) {
      throw new CryptoError("tls: private key does not match public key");
    }
    return GoJson.object()
        .put("Certificate", GoJson.list(certDers, b -> StringValue.of(GoBase64.encodeStd(b))))
        .put("PrivateKey", privateKey.toValue())
        .put("SupportedSignatureAlgorithms", NullValue.INSTANCE)
        .put("OCSPStaple", NullValue.INSTANCE)
        .put("SignedCertificateTimestamps", NullValue.INSTANCE)
        .put("Leaf", leaf.toValue(false))
        .build();
  }

  /** crypto/tls parsePrivateKey: PKCS #1, then PKCS #8, then SEC 1. */
  private static GoPrivateKey tlsPrivateKey(byte[] der) {
    try {
      return PrivateKeyParser.pkcs1(der);
    } catch (CryptoError e) {
      // try the next format
    }
    try {
      GoPrivateKey k = PrivateKeyParser.pkcs8(der);
      if (k instanceof GoPrivateKey.X25519) {
        throw new CryptoError("tls: found unknown private key type in PKCS#8 wrapping");
      }
      return k;
    } catch (CryptoError e) {
      if (e.getMessage().startsWith("tls:")) {
        throw e;
      }
    }
    try {
      return PrivateKeyParser.sec1(der);
    } catch (CryptoError e) {
      throw new CryptoError("tls: failed to parse private key");
    }
  }
}
