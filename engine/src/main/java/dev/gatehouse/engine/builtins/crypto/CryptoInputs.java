package dev.gatehouse.engine.builtins.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How OPA's crypto builtins read their string inputs: PEM text, or base64 of PEM or DER, and the
 * PEM block types they accept.
 */
public final class CryptoInputs {
  private CryptoInputs() {}

  /** OPA's getX509CertsFromString. */
  public static List<ParsedCertificate> certificates(String input) {
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    if (input.startsWith("-----BEGIN")) {
      return certificatesFromPem(bytes);
    }
    byte[] decoded = base64(input);
    if (Pem.hasPrefix(decoded, "-----BEGIN")) {
      return certificatesFromPem(decoded);
    }
    return CertificateParser.parseAll(decoded);
  }

  private static List<ParsedCertificate> certificatesFromPem(byte[] pem) {
    ByteArrayOutputStream der = new ByteArrayOutputStream();
    byte[] rest = pem;
    while (rest.length > 0) {
      Pem.Decoded d = Pem.decode(rest);
      if (d.block() == null) {
        break;
      }
      if (!d.block().type().equals("CERTIFICATE")) {
        throw new CryptoError("PEM block type is '" + d.block().type() + "', expected CERTIFICATE");
      }
      rest = d.rest();
      der.writeBytes(d.block().bytes());
    }
    return CertificateParser.parseAll(der.toByteArray());
  }

  /** OPA's getPrivateKeysFromPEMData: the RSA, PKCS #8 and EC private key blocks, in order. */
  public static List<GoPrivateKey> privateKeys(byte[] pemData) {
    byte[] bs;
    try {
      bs = GoBase64.decodeStd(pemData);
    } catch (GoBase64.CorruptInputException e) {
      bs = pemData;
    }
    List<GoPrivateKey> keys = new ArrayList<>();
    while (bs.length > 0) {
      int inputLen = bs.length;
      Pem.Decoded d = Pem.decode(bs);
      bs = d.rest();
      if (inputLen == bs.length || d.block() == null) {
        break;
      }
      Pem.Block b = d.block();
      switch (b.type()) {
        case "RSA PRIVATE KEY" -> keys.add(PrivateKeyParser.pkcs1(b.bytes()));
        case "PRIVATE KEY" -> keys.add(PrivateKeyParser.pkcs8(b.bytes()));
        case "EC PRIVATE KEY" -> keys.add(PrivateKeyParser.sec1(b.bytes()));
        default -> { }
      }
    }
    return keys;
  }

  /** Go's StdEncoding.DecodeString, failing with Go's message. */
  public static byte[] base64(String s) {
    try {
      return GoBase64.decodeStd(s);
    } catch (GoBase64.CorruptInputException e) {
      throw new CryptoError(e.getMessage());
    }
  }
}
