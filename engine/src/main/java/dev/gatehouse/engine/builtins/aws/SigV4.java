package dev.gatehouse.engine.builtins.aws;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 with the Authorization header, computed the way OPA's
 * {@code providers.aws.sign_req} does: the canonical URI is the URL's escaped path as given (empty
 * for a bare host), the query string is taken as written, and header values are not trimmed.
 */
public final class SigV4 {
  private SigV4() {}

  /** Headers never signed, as in OPA (proxies and SDKs change them). */
  private static final Set<String> IGNORED = Set.of("authorization", "user-agent", "x-amzn-trace-id");

  static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  public record Credentials(String accessKey, String secretKey, String region, String sessionToken) {}

  /** The Authorization header value and the headers the signature added (host, x-amz-date, ...). */
  public record Signature(String authorization, Map<String, String> addedHeaders) {}

  /**
   * Signs a request. {@code headers} are the caller's (any case); {@code host} is the URL's host
   * with port, {@code path} its escaped path and {@code query} its raw query.
   */
  public static Signature sign(Map<String, String> headers, String method, String host, String path, String query,
      byte[] body, String service, Credentials creds, Instant time, boolean unsignedPayload) {
    String day = DAY.format(time);
    String stamp = STAMP.format(time);
    String contentHash = unsignedPayload ? UNSIGNED_PAYLOAD : hex(sha256(body));

    Map<String, String> added = new LinkedHashMap<>();
    added.put("host", host);
    added.put("x-amz-date", stamp);
    if (service.equals("s3") || service.equals("glacier")) {
      added.put("x-amz-content-sha256", contentHash);
    }
    if (!creds.sessionToken().isEmpty()) {
      added.put("x-amz-security-token", creds.sessionToken());
    }

    TreeMap<String, String> signed = new TreeMap<>(added);
    headers.forEach((k, v) -> {
      String lower = k.toLowerCase(java.util.Locale.ROOT);
      if (!IGNORED.contains(lower)) {
        signed.put(lower, v);
      }
    });

    StringBuilder canonical = new StringBuilder();
    canonical.append(method).append('\n').append(path).append('\n').append(query).append('\n');
    signed.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
    canonical.append('\n');
    String headerList = String.join(";", signed.keySet());
    canonical.append(headerList).append('\n').append(contentHash);

    String scope = day + "/" + creds.region() + "/" + service + "/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n"
        + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));

    byte[] key = hmac(("AWS4" + creds.secretKey()).getBytes(StandardCharsets.UTF_8), day);
    key = hmac(key, creds.region());
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, toSign));

    String auth = "AWS4-HMAC-SHA256 Credential=" + creds.accessKey() + "/" + scope
        + ",SignedHeaders=" + headerList + ",Signature=" + signature;
    return new Signature(auth, added);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
