package dev.gatehouse.engine.builtins.http;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/** TLS settings of an http.send request: extra CAs, a client certificate, or no verification at all. */
final class HttpTls {
  private HttpTls() {}

  /** What the request asked for; all empty means the JDK's defaults. */
  record Settings(List<X509Certificate> caCerts, boolean useSystemCerts, byte[] clientCertPem, byte[] clientKeyPem,
      boolean insecureSkipVerify) {
    boolean isDefault() {
      return caCerts.isEmpty() && clientCertPem == null && !insecureSkipVerify;
    }
  }

  static SSLContext context(Settings s) throws GeneralSecurityException {
    TrustManager[] trust;
    if (s.insecureSkipVerify()) {
      trust = new TrustManager[] {new TrustEverything()};
    } else if (!s.caCerts().isEmpty()) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      try {
        ks.load(null, null);
      } catch (java.io.IOException e) {
        throw new GeneralSecurityException(e);
      }
      int i = 0;
      for (X509Certificate c : s.caCerts()) {
        ks.setCertificateEntry("ca" + i++, c);
      }
      List<TrustManager> tms = new ArrayList<>();
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      X509TrustManager custom = (X509TrustManager) tmf.getTrustManagers()[0];
      if (s.useSystemCerts()) {
        TrustManagerFactory sys = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        sys.init((KeyStore) null);
        tms.add(new EitherTrust(custom, (X509TrustManager) sys.getTrustManagers()[0]));
      } else {
        tms.add(custom);
      }
      trust = tms.toArray(new TrustManager[0]);
    } else {
      trust = null;
    }
    javax.net.ssl.KeyManager[] keys = null;
    if (s.clientCertPem() != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try {
        ks.load(null, null);
      } catch (java.io.IOException e) {
        throw new GeneralSecurityException(e);
      }
      List<X509Certificate> chain = certificates(s.clientCertPem());
      if (chain.isEmpty()) {
        throw new GeneralSecurityException("tls: failed to find any PEM data in certificate input");
      }
      ks.setKeyEntry("client", privateKey(s.clientKeyPem()), new char[0], chain.toArray(new Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      keys = kmf.getKeyManagers();
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keys, trust, null);
    return ctx;
  }

  static List<X509Certificate> certificates(byte[] pem) throws GeneralSecurityException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Collection<? extends Certificate> certs = cf.generateCertificates(new ByteArrayInputStream(pem));
    List<X509Certificate> out = new ArrayList<>();
    for (Certificate c : certs) {
      out.add((X509Certificate) c);
    }
    return out;
  }

  private static final java.util.regex.Pattern PEM_BLOCK =
      java.util.regex.Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  /** PKCS#8 ({@code PRIVATE KEY}) for RSA, EC or Ed25519, or PKCS#1 ({@code RSA PRIVATE KEY}). */
  static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
    if (pem == null) {
      throw new GeneralSecurityException("tls: missing client key");
    }
    Matcher m = PEM_BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw new GeneralSecurityException("tls: failed to find any PEM data in key input");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(2));
    String type = m.group(1);
    if (type.equals("RSA PRIVATE KEY")) {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1ToPkcs8(der)));
    }
    if (!type.equals("PRIVATE KEY")) {
      throw new GeneralSecurityException("tls: unsupported private key type " + type + " (use PKCS#8)");
    }
    for (String alg : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException("tls: failed to parse private key");
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL). */
  private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    byte[] algId = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
        0x01, 0x05, 0x00};
    byte[] version = {0x02, 0x01, 0x00};
    byte[] octet = der(0x04, pkcs1);
    byte[] body = new byte[version.length + algId.length + octet.length];
    System.arraycopy(version, 0, body, 0, version.length);
    System.arraycopy(algId, 0, body, version.length, algId.length);
    System.arraycopy(octet, 0, body, version.length + algId.length, octet.length);
    return der(0x30, body);
  }

  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    byte[] len;
    if (n < 0x80) {
      len = new byte[] {(byte) n};
    } else if (n < 0x100) {
      len = new byte[] {(byte) 0x81, (byte) n};
    } else if (n < 0x10000) {
      len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    } else {
      len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }
    byte[] out = new byte[1 + len.length + n];
    out[0] = (byte) tag;
    System.arraycopy(len, 0, out, 1, len.length);
    System.arraycopy(content, 0, out, 1 + len.length, n);
    return out;
  }

  /**
   * tls_insecure_skip_verify: accepts any certificate and, being an extended trust manager, also
   * skips the JDK's host name check (which it performs only through such managers).
   */
  static final class TrustEverything extends X509ExtendedTrustManager {
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
    @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
    @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
    @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
  }

  /** The request's CAs or the system's: either may vouch for the server. */
  private record EitherTrust(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
      first.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
      try {
        first.checkServerTrusted(chain, authType);
      } catch (java.security.cert.CertificateException e) {
        second.checkServerTrusted(chain, authType);
      }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
      all.addAll(List.of(second.getAcceptedIssuers()));
      return all.toArray(new X509Certificate[0]);
    }
  }
}
