package dev.gatehouse.controlplane.grant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The control plane's ES256 signing key (EC P-256) and the public keys enforcers trust.
 *
 * <p>Files in the data directory: {@code signing-key.jwk} (the private key, mode 0600, created on
 * first start), {@code retired-keys.jwks} (public halves of keys rotated out, still published so
 * grants they signed keep verifying until they expire) and {@code public-key.pem} (the current
 * public key, for enforcers configured with a PEM). Rotation ({@link #rotate}) retires the current
 * key and generates a new one; it takes effect at the next start.
 */
public final class SigningKeys {
  public static final String KEY_FILE = "signing-key.jwk";
  public static final String RETIRED_FILE = "retired-keys.jwks";
  public static final String PUBLIC_PEM = "public-key.pem";

  private final ECKey key;
  private final List<JWK> retired;
  private final ECDSASigner signer;

  private SigningKeys(ECKey key, List<JWK> retired) throws JOSEException {
    this.key = key;
    this.retired = retired;
    this.signer = new ECDSASigner(key);
  }

  /** Loads the key from {@code dataDir}, generating it on first start. */
  public static SigningKeys loadOrCreate(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(KEY_FILE);
    try {
      ECKey key;
      if (Files.exists(file)) {
        JWK jwk = JWK.parse(Files.readString(file));
        if (!(jwk instanceof ECKey ec) || !ec.isPrivate() || !Curve.P_256.equals(ec.getCurve())) {
          throw new IOException(file + ": not a private EC P-256 JWK");
        }
        key = ec;
      } else {
        key = generate();
        writePrivate(file, key);
      }
      List<JWK> retired = new ArrayList<>();
      Path rf = dataDir.resolve(RETIRED_FILE);
      if (Files.exists(rf)) {
        retired.addAll(JWKSet.parse(Files.readString(rf)).getKeys());
      }
      SigningKeys keys = new SigningKeys(key, retired);
      Files.writeString(dataDir.resolve(PUBLIC_PEM), keys.publicKeyPem());
      return keys;
    } catch (ParseException | JOSEException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Retires the key in {@code dataDir} (its public half stays in the JWKS) and makes a new one. */
  public static String rotate(Path dataDir) throws IOException {
    SigningKeys old = loadOrCreate(dataDir);
    List<JWK> retired = new ArrayList<>(old.retired);
    retired.add(old.key.toPublicJWK());
    Files.writeString(dataDir.resolve(RETIRED_FILE), new JWKSet(retired).toString(true));
    try {
      ECKey fresh = generate();
      writePrivate(dataDir.resolve(KEY_FILE), fresh);
      Files.writeString(dataDir.resolve(PUBLIC_PEM), new SigningKeys(fresh, retired).publicKeyPem());
      return fresh.getKeyID();
    } catch (JOSEException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static ECKey generate() throws JOSEException {
    ECKey k = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
    // The kid is the key's RFC 7638 thumbprint: stable, and unique without coordination.
    return new ECKey.Builder(k).keyIDFromThumbprint().build();
  }

  private static void writePrivate(Path file, ECKey key) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, key.toJSONString());
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public String keyId() {
    return key.getKeyID();
  }

  /** The JWKS served at {@code GET /api/v1/keys}: the current public key first, then retired ones. */
  public String jwksJson() {
    List<JWK> all = new ArrayList<>();
    all.add(key.toPublicJWK());
    all.addAll(retired);
    return new JWKSet(all).toString(true);
  }

  public String publicKeyPem() {
    try {
      return pem("PUBLIC KEY", key.toECPublicKey().getEncoded());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The private key as PKCS#8 PEM, for the engine's bundle signer. */
  public String privateKeyPem() {
    try {
      return pem("PRIVATE KEY", key.toECPrivateKey().getEncoded());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A compact ES256 JWS over {@code payloadJson} with {@code typ}. */
  public String sign(String payloadJson, String typ) {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(new JOSEObjectType(typ)).build();
    JWSObject jws = new JWSObject(header, new Payload(payloadJson));
    try {
      synchronized (signer) {
        jws.sign(signer);
      }
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
    return jws.serialize();
  }

  private static String pem(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }
}
