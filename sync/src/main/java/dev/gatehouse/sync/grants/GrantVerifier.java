package dev.gatehouse.sync.grants;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.sync.config.KeyConfig;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies every grant of {@code data.gatehouse.grants} by its own compact JWS (the control plane
 * signs each grant, header {@code typ: gatehouse-grant+jws}) and replaces the entry with the
 * verified payload: the policies then read only what the control plane signed, never the unsigned
 * outer fields. An entry whose JWS is missing, malformed, signed by an unknown key or with a bad
 * signature is dropped and reported; the others load.
 */
public final class GrantVerifier {
  public static final String TYP = "gatehouse-grant+jws";
  private static final StringValue GATEHOUSE = StringValue.of("gatehouse");
  private static final StringValue GRANTS = StringValue.of("grants");

  /** A dropped grant: its id as the outer document claims (may be null) and why. */
  public record Rejected(String id, String reason) {}

  /**
   * The data with verified grants, what was dropped, and the verified payloads by compact JWS
   * (by the JWS's SHA-256; pass it to the next {@link #verify(ObjectValue, Map)} so unchanged grants are
   * not verified again).
   */
  public record Result(ObjectValue data, int verified, List<Rejected> rejected, Map<String, Value> verifiedByJws,
      ObjectValue aligned) {}

  /** One entry checked: the verified payload, or why it was rejected. */
  public record Checked(Value payload, Rejected rejected) {}

  /**
   * Stands for a dropped entry in {@link Result#aligned()}: the grants list as the server sent it,
   * position for position, so that a delta bundle's array indexes (made against the server's list)
   * still point at the right grant on this side. {@link #policyView} leaves these out.
   */
  public static final Value DROPPED = dev.gatehouse.engine.value.NullValue.INSTANCE;

  private record VerifyingKey(JWSAlgorithm algorithm, JWSVerifier verifier) {}

  private final Map<String, VerifyingKey> keys = new LinkedHashMap<>();
  private final String requiredKeyId;

  /**
   * {@code keys} by key id; {@code requiredKeyId} non-null restricts verification to that key (a
   * bundle's {@code signing.keyid}), otherwise the JWS {@code kid} picks the key.
   */
  public GrantVerifier(Map<String, KeyConfig> keys, String requiredKeyId) {
    this.requiredKeyId = requiredKeyId;
    keys.forEach((id, k) -> {
      if (k.algorithm().startsWith("HS")) {
        return; // grants are signed with the control plane's asymmetric key only
      }
      PublicKey pk = PublicKeys.parse(k.key());
      JWSVerifier v;
      try {
        if (pk instanceof ECPublicKey ec) {
          v = new ECDSAVerifier(ec);
        } else if (pk instanceof RSAPublicKey rsa) {
          v = new RSASSAVerifier(rsa);
        } else {
          return;
        }
      } catch (JOSEException e) {
        throw new IllegalArgumentException("key " + id + ": " + e.getMessage(), e);
      }
      this.keys.put(id, new VerifyingKey(JWSAlgorithm.parse(k.algorithm()), v));
    });
  }

  /** True when the data holds a grants document this verifier must process. */
  public static boolean hasGrants(ObjectValue data) {
    return data.get(GATEHOUSE) instanceof ObjectValue g && g.containsKey(GRANTS);
  }

  /** Verifies the grants in {@code data} (unchanged when it has none). */
  public Result verify(ObjectValue data) {
    return verify(data, Map.of());
  }

  /**
   * As {@link #verify(ObjectValue)}, reusing {@code known}: payloads this verifier's keys already
   * verified, by their exact compact JWS. A grants bundle changes a few grants at a time, so
   * re-verifying thousands of unchanged signatures on every revocation would only add latency.
   */
  public Result verify(ObjectValue data, Map<String, Value> known) {
    if (!(data.get(GATEHOUSE) instanceof ObjectValue gatehouse) || !gatehouse.containsKey(GRANTS)) {
      return new Result(data, 0, List.of(), Map.of(), data);
    }
    Value grants = gatehouse.get(GRANTS);
    List<Value> entries = new ArrayList<>();
    if (grants instanceof ArrayValue arr) {
      entries.addAll(arr.elements());
    } else if (grants instanceof ObjectValue obj) {
      obj.forEach((k, v) -> entries.add(v));
    } else {
      ObjectValue empty = data.with(GATEHOUSE, gatehouse.with(GRANTS, ArrayValue.EMPTY));
      return new Result(empty, 0,
          List.of(new Rejected(null, "data.gatehouse.grants is a " + grants.typeName() + ", not an array")), Map.of(), empty);
    }
    // Signatures not seen before are checked in parallel (thousands of them when a process starts);
    // results are then collected in bundle order.
    record Checked(String digest, Value payload, Rejected rejected) {}
    List<Checked> checked = entries.parallelStream().map(entry -> {
      String outerId = entry instanceof ObjectValue o && o.get("id") instanceof StringValue s ? s.value() : null;
      String jws = entry instanceof ObjectValue o && o.get("jws") instanceof StringValue j ? digest(j.value()) : null;
      Value cached = jws == null ? null : known.get(jws);
      if (cached != null) {
        return new Checked(jws, cached, null);
      }
      try {
        return new Checked(jws, verifyOne(entry), null);
      } catch (GrantException e) {
        return new Checked(jws, null, new Rejected(outerId, e.getMessage()));
      }
    }).toList();
    List<Value> verified = new ArrayList<>(entries.size());
    Value[] aligned = new Value[checked.size()];
    List<Rejected> rejected = new ArrayList<>();
    Map<String, Value> byJws = new java.util.HashMap<>(entries.size() * 2);
    for (int i = 0; i < aligned.length; i++) {
      Checked c = checked.get(i);
      if (c.rejected() != null) {
        rejected.add(c.rejected());
        aligned[i] = DROPPED;
      } else {
        verified.add(c.payload());
        aligned[i] = c.payload();
        byJws.put(c.digest(), c.payload());
      }
    }
    ObjectValue out = data.with(GATEHOUSE, gatehouse.with(GRANTS, ArrayValue.of(verified)));
    // An object of grants has no indexes to keep; the aligned form is only kept for arrays.
    ObjectValue alignedData = grants instanceof ArrayValue && !rejected.isEmpty()
        ? data.with(GATEHOUSE, gatehouse.with(GRANTS, ArrayValue.wrap(aligned))) : out;
    return new Result(out, verified.size(), rejected, byJws, alignedData);
  }

  /** Verifies one ENTRY (a delta bundle's upserted grant). */
  public Checked verifyEntry(Value entry) {
    try {
      return new Checked(verifyOne(entry), null);
    } catch (GrantException e) {
      String outerId = entry instanceof ObjectValue o && o.get("id") instanceof StringValue s ? s.value() : null;
      return new Checked(null, new Rejected(outerId, e.getMessage()));
    }
  }

  /** The data the policies read from an aligned document: the verified grants, dropped ones left out. */
  public static ObjectValue policyView(ObjectValue aligned) {
    if (!(aligned.get(GATEHOUSE) instanceof ObjectValue gatehouse) || !(gatehouse.get(GRANTS) instanceof ArrayValue arr)) {
      return aligned;
    }
    List<Value> kept = new ArrayList<>(arr.size());
    boolean any = false;
    for (int i = 0; i < arr.size(); i++) {
      Value v = arr.get(i);
      if (v == DROPPED || v instanceof dev.gatehouse.engine.value.NullValue) {
        any = true;
      } else {
        kept.add(v);
      }
    }
    return any ? aligned.with(GATEHOUSE, gatehouse.with(GRANTS, ArrayValue.of(kept))) : aligned;
  }

  /** Cache key of a compact JWS: its SHA-256 (a JWS is ~700 bytes; 10,000 of them add up). */
  private static String digest(String jws) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(jws.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return java.util.Base64.getEncoder().encodeToString(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Value verifyOne(Value entry) {
    if (!(entry instanceof ObjectValue o) || !(o.get("jws") instanceof StringValue jwsText)) {
      throw new GrantException("no jws field");
    }
    JWSObject jws;
    try {
      jws = JWSObject.parse(jwsText.value());
    } catch (ParseException e) {
      throw new GrantException("malformed JWS: " + e.getMessage());
    }
    String kid = jws.getHeader().getKeyID();
    if (requiredKeyId != null && kid != null && !kid.equals(requiredKeyId)) {
      throw new GrantException("signed with key " + kid + ", want " + requiredKeyId);
    }
    String keyId = requiredKeyId != null ? requiredKeyId : kid;
    if (keyId == null && keys.size() == 1) {
      keyId = keys.keySet().iterator().next();
    }
    VerifyingKey key = keyId == null ? null : keys.get(keyId);
    if (key == null) {
      throw new GrantException("no verification key " + (keyId == null ? "(JWS has no kid)" : keyId));
    }
    if (!key.algorithm().equals(jws.getHeader().getAlgorithm())) {
      throw new GrantException("JWS algorithm " + jws.getHeader().getAlgorithm() + " does not match key " + keyId
          + " (" + key.algorithm() + ")");
    }
    if (jws.getHeader().getType() == null || !TYP.equals(jws.getHeader().getType().getType())) {
      throw new GrantException("JWS typ is not " + TYP);
    }
    boolean ok;
    try {
      ok = jws.verify(key.verifier());
    } catch (JOSEException e) {
      throw new GrantException("verification failed: " + e.getMessage());
    }
    if (!ok) {
      throw new GrantException("bad signature");
    }
    Value payload;
    try {
      payload = Json.parse(jws.getPayload().toString());
    } catch (RuntimeException e) {
      throw new GrantException("payload is not JSON: " + e.getMessage());
    }
    if (!(payload instanceof ObjectValue p) || !(p.get("id") instanceof StringValue)) {
      throw new GrantException("payload is not a grant document (object with an id)");
    }
    return payload;
  }

  private static final class GrantException extends RuntimeException {
    GrantException(String message) {
      super(message, null, false, false);
    }
  }
}
