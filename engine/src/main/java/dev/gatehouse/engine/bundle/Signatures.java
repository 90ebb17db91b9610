package dev.gatehouse.engine.bundle;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code .signatures.json} of a bundle: one compact JWS whose payload lists every file with its
 * digest ({@code {"files":[{"name","hash","algorithm"}],...}}). Nimbus JOSE does the RSA and ECDSA
 * work; HMAC is done with the JDK's {@link Mac} because OPA accepts secrets shorter than the JWA
 * minimum that Nimbus enforces.
 */
final class Signatures {
  private Signatures() {}

  /** A file listed in a signature. */
  record FileInfo(String name, String hash, String algorithm) {}

  /** The content of {@code .signatures.json}. */
  record Config(List<String> signatures, String plugin) {
    static Config parse(byte[] json) {
      Value v;
      try {
        v = Json.parse(new String(json, StandardCharsets.UTF_8));
      } catch (ValueFormatException e) {
        throw new BundleException("bundle load failed on signatures decode: " + e.getMessage());
      }
      if (!(v instanceof ObjectValue o)) {
        throw new BundleException("bundle load failed on signatures decode: json: cannot unmarshal "
            + v.typeName() + " into Go value of type bundle.SignaturesConfig");
      }
      List<String> sigs = new ArrayList<>();
      if (o.get("signatures") instanceof ArrayValue a) {
        for (Value s : a.elements()) {
          if (!(s instanceof StringValue str)) {
            throw new BundleException("bundle load failed on signatures decode: json: cannot unmarshal "
                + s.typeName() + " into Go struct field SignaturesConfig.signatures of type string");
          }
          sigs.add(str.value());
        }
      }
      String plugin = o.get("plugin") instanceof StringValue p ? p.value() : "";
      return new Config(sigs, plugin);
    }

    /** As {@code opa build} writes it: one-space indent, signatures then plugin. */
    String toJson() {
      StringBuilder sb = new StringBuilder("{\n \"signatures\": [");
      for (int i = 0; i < signatures.size(); i++) {
        sb.append(i == 0 ? "\n  " : ",\n  ");
        Json.quote(signatures.get(i), sb);
      }
      sb.append(signatures.isEmpty() ? "]" : "\n ]");
      if (!plugin.isEmpty()) {
        sb.append(",\n \"plugin\": ");
        Json.quote(plugin, sb);
      }
      return sb.append("\n}\n").toString();
    }
  }

  static String sign(List<FileInfo> files, SigningConfig sc) {
    StringBuilder header = new StringBuilder("{\"alg\":");
    Json.quote(sc.algorithm(), header);
    if (!sc.keyId().isEmpty()) {
      header.append(",\"kid\":");
      Json.quote(sc.keyId(), header);
    }
    header.append(",\"typ\":\"JWT\"}");

    // Claims in name order, as the JWT library OPA uses serialises them; "files" keeps its order.
    Map<String, String> claims = new TreeMap<>();
    StringBuilder fs = new StringBuilder("[");
    for (int i = 0; i < files.size(); i++) {
      FileInfo f = files.get(i);
      fs.append(i == 0 ? "" : ",").append("{\"name\":");
      Json.quote(f.name(), fs);
      fs.append(",\"hash\":");
      Json.quote(f.hash(), fs);
      fs.append(",\"algorithm\":");
      Json.quote(f.algorithm(), fs);
      fs.append('}');
    }
    claims.put("files", fs.append(']').toString());
    if (sc.claims() != null) {
      for (Value k : sc.claims().keys()) {
        String name = ((StringValue) k).value();
        if (!name.equals("files")) {
          claims.put(name, Json.write(sc.claims().get(k)));
        }
      }
    } else if (!sc.keyId().isEmpty()) {
      claims.put("keyid", Json.quote(sc.keyId()));
    }
    StringBuilder payload = new StringBuilder("{");
    claims.forEach((k, v) -> {
      if (payload.length() > 1) {
        payload.append(',');
      }
      Json.quote(k, payload);
      payload.append(':').append(v);
    });
    payload.append('}');

    String input = b64(header.toString()) + "." + b64(payload.toString());
    byte[] signingInput = input.getBytes(StandardCharsets.US_ASCII);
    String alg = sc.algorithm();
    try {
      String sig;
      if (alg.startsWith("HS")) {
        sig = Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(alg, PemKeys.utf8(sc.key()), signingInput));
      } else {
        JWSHeader h = JWSHeader.parse(Base64URL.encode(header.toString()));
        if (alg.startsWith("RS") || alg.startsWith("PS")) {
          sig = new RSASSASigner(PemKeys.privateKey(sc.key(), "RSA")).sign(h, signingInput).toString();
        } else if (alg.startsWith("ES")) {
          sig = new ECDSASigner((ECPrivateKey) PemKeys.privateKey(sc.key(), "EC")).sign(h, signingInput).toString();
        } else {
          throw new BundleException("unknown signature algorithm: " + alg);
        }
      }
      return input + "." + sig;
    } catch (JOSEException | ParseException | ClassCastException e) {
      throw new BundleException("failed to sign bundle: " + e.getMessage(), e);
    }
  }

  /** Verifies the one JWS and returns the files it lists, by name. */
  static Map<String, FileInfo> verify(Config sc, VerificationConfig vc) {
    if (sc.signatures().isEmpty()) {
      throw new BundleException(".signatures.json: missing JWT (expected exactly one)");
    }
    if (sc.signatures().size() > 1) {
      throw new BundleException(".signatures.json: multiple JWTs not supported (expected exactly one)");
    }
    String token = sc.signatures().get(0);
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new BundleException("failed to split compact JWT: invalid number of segments");
    }
    ObjectValue header = decodeJson(parts[0], "header");
    ObjectValue payload = decodeJson(parts[1], "payload");

    String keyId = vc.keyId();
    if (keyId == null || keyId.isEmpty()) {
      keyId = header.get("kid") instanceof StringValue s ? s.value() : "";
    }
    if (keyId.isEmpty()) {
      keyId = payload.get("keyid") instanceof StringValue s ? s.value() : "";
    }
    if (keyId.isEmpty()) {
      throw new BundleException("verification key ID is empty");
    }
    VerificationConfig.Key key = vc.key(keyId);
    String alg = key.algorithm();
    byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    boolean ok;
    try {
      if (alg.startsWith("HS")) {
        byte[] want = hmac(alg, PemKeys.utf8(key.key()), signingInput);
        ok = MessageDigest.isEqual(want, Base64.getUrlDecoder().decode(parts[2]));
      } else {
        // the key's configured algorithm decides, not the token's own header (no alg confusion)
        JWSHeader h = new JWSHeader.Builder(JWSAlgorithm.parse(alg)).build();
        Base64URL sig = new Base64URL(parts[2]);
        if (alg.startsWith("RS") || alg.startsWith("PS")) {
          ok = new RSASSAVerifier((RSAPublicKey) PemKeys.publicKey(key.key(), "RSA")).verify(h, signingInput, sig);
        } else if (alg.startsWith("ES")) {
          ok = new ECDSAVerifier((ECPublicKey) PemKeys.publicKey(key.key(), "EC")).verify(h, signingInput, sig);
        } else {
          throw new BundleException("unknown signature algorithm: " + alg);
        }
      }
    } catch (JOSEException | ClassCastException | IllegalArgumentException e) {
      throw new BundleException("failed to verify JWT signature: " + e.getMessage(), e);
    }
    if (!ok) {
      throw new BundleException("failed to verify JWT signature: could not verify message using any of the signatures or keys");
    }
    String scope = vc.scope() == null || vc.scope().isEmpty() ? key.scope() : vc.scope();
    String got = payload.get("scope") instanceof StringValue s ? s.value() : "";
    if (!got.equals(scope == null ? "" : scope)) {
      throw new BundleException("scope mismatch");
    }
    Map<String, FileInfo> files = new LinkedHashMap<>();
    if (payload.get("files") instanceof ArrayValue a) {
      for (Value f : a.elements()) {
        if (f instanceof ObjectValue fo) {
          FileInfo fi = new FileInfo(str(fo, "name"), str(fo, "hash"), str(fo, "algorithm"));
          files.put(fi.name(), fi);
        }
      }
    }
    return files;
  }

  /** Checks one file's digest against the signature; removes it from {@code files} when it matches. */
  static void verifyFile(String path, byte[] content, Map<String, FileInfo> files) {
    FileInfo f = files.get(path);
    if (f == null) {
      throw new BundleException("file " + path + " not included in bundle signature");
    }
    if (f.algorithm().isEmpty()) {
      throw new BundleException("no hashing algorithm provided for file " + path);
    }
    // Fast path: a JSON file already in canonical form (as opa and Gatehouse write data.json, plus
    // a final newline) hashes to the signed digest as it is. Equal digests mean equal bytes, so
    // this is as strict; only other layouts pay for re-serializing canonically (the bulk of
    // verifying a big bundle). Not for MD5 and SHA-1, whose digests are no proof of equal bytes.
    if (path.endsWith(".json") && !f.algorithm().equals("MD5") && !f.algorithm().equals("SHA-1")) {
      int end = content.length;
      while (end > 0 && (content[end - 1] == '\n' || content[end - 1] == '\r' || content[end - 1] == ' '
          || content[end - 1] == '\t')) {
        end--;
      }
      MessageDigest md = FileHasher.digest(f.algorithm());
      md.update(content, 0, end);
      if (java.util.HexFormat.of().formatHex(md.digest()).equalsIgnoreCase(f.hash())) {
        files.remove(path);
        return;
      }
    }
    String got = FileHasher.hash(path, content, f.algorithm());
    if (!got.equalsIgnoreCase(f.hash())) {
      throw new BundleException(path + ": digest mismatch (want: " + f.hash() + ", got: " + got + ")");
    }
    files.remove(path);
  }

  private static byte[] hmac(String alg, byte[] secret, byte[] input) {
    String jdk = switch (alg) {
      case "HS256" -> "HmacSHA256";
      case "HS384" -> "HmacSHA384";
      case "HS512" -> "HmacSHA512";
      default -> throw new BundleException("unknown signature algorithm: " + alg);
    };
    try {
      Mac mac = Mac.getInstance(jdk);
      mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, jdk));
      return mac.doFinal(input);
    } catch (java.security.GeneralSecurityException e) {
      throw new BundleException("failed to compute HMAC: " + e.getMessage(), e);
    }
  }

  private static ObjectValue decodeJson(String part, String what) {
    try {
      Value v = Json.parse(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
      if (v instanceof ObjectValue o) {
        return o;
      }
    } catch (IllegalArgumentException | ValueFormatException e) {
      throw new BundleException("failed to base64 decode JWT " + what + ": " + e.getMessage());
    }
    throw new BundleException("failed to decode JWT " + what + ": not a JSON object");
  }

  private static String str(ObjectValue o, String k) {
    return o.get(k) instanceof StringValue s ? s.value() : "";
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
