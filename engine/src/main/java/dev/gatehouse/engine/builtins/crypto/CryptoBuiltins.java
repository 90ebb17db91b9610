package dev.gatehouse.engine.builtins.crypto;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.objectOf;
import static dev.gatehouse.engine.types.Types.tuple;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.builtins.BuiltinProvider;
import dev.gatehouse.engine.builtins.core.Args;
import dev.gatehouse.engine.builtins.core.Def;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.types.Types;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OPA's X.509 and private-key builtins ({@code crypto.x509.*}, {@code crypto.parse_private_keys}).
 * Results are Go's JSON of the crypto structs, as OPA returns them. The hashes and HMACs live
 * with the core builtins.
 */
public final class CryptoBuiltins implements BuiltinProvider {
  private static final Type CERT = objectOf(STRING, ANY);
  private static final Type CERTS = arrayOf(CERT);
  private static final Value UNVERIFIED = ArrayValue.of(BooleanValue.FALSE, ArrayValue.EMPTY);
  private static final Map<String, Integer> KEY_USAGES = Map.ofEntries(
      Map.entry("KeyUsageAny", 0),
      Map.entry("KeyUsageServerAuth", 1),
      Map.entry("KeyUsageClientAuth", 2),
      Map.entry("KeyUsageCodeSigning", 3),
      Map.entry("KeyUsageEmailProtection", 4),
      Map.entry("KeyUsageIPSECEndSystem", 5),
      Map.entry("KeyUsageIPSECTunnel", 6),
      Map.entry("KeyUsageIPSECUser", 7),
      Map.entry("KeyUsageTimeStamping", 8),
      Map.entry("KeyUsageOCSPSigning", 9),
      Map.entry("KeyUsageMicrosoftServerGatedCrypto", 10),
      Map.entry("KeyUsageNetscapeServerGatedCrypto", 11),
      Map.entry("KeyUsageMicrosoftCommercialCodeSigning", 12),
      Map.entry("KeyUsageMicrosoftKernelCodeSigning", 13));

  @Override
  public List<Builtin> builtins() {
    List<Builtin> b = new ArrayList<>();
    b.add(Def.def("crypto.x509.parse_certificates", "Returns zero or more certificates from the given encoded string containing\nDER certificate data.\n\nIf the input is empty, the function will return null. The input string should be a list of one or more\nconcatenated PEM blocks. The whole input of concatenated PEM blocks can optionally be Base64 encoded.")
            .arg("certs", "base64 encoded DER or PEM data containing one or more certificates or a PEM string of one or more certificates", Types.STRING)
            .returns("output", "parsed X.509 certificates represented as objects", Types.arrayOf(Types.objectOf(Types.STRING, Types.ANY)))
            .impl(CryptoBuiltins::parseCertificates));
    b.add(Def.def("crypto.x509.parse_and_verify_certificates", "Returns one or more certificates from the given string containing PEM\nor base64 encoded DER certificates after verifying the supplied certificates form a complete\ncertificate chain back to a trusted root.\n\nThe first certificate is treated as the root and the last is treated as the leaf,\nwith all others being treated as intermediates.")
            .arg("certs", "base64 encoded DER or PEM data containing two or more certificates where the first is a root CA, the last is a leaf certificate, and all others are intermediate CAs", Types.STRING)
            .returns("output", "array of `[valid, certs]`: if the input certificate chain could be verified then `valid` is `true` and `certs` is an array of X.509 certificates represented as objects; if the input certificate chain could not be verified then `valid` is `false` and `certs` is `[]`", Types.tuple(Types.BOOLEAN, Types.arrayOf(Types.objectOf(Types.STRING, Types.ANY))))
            .impl((c, a) -> parseAndVerify(Args.str(a, 0), null)));
    b.add(Def.def("crypto.x509.parse_and_verify_certificates_with_options", "Returns one or more certificates from the given string containing PEM\nor base64 encoded DER certificates after verifying the supplied certificates form a complete\ncertificate chain back to a trusted root. A config option passed as the second argument can\nbe used to configure the validation options used.\n\nThe first certificate is treated as the root and the last is treated as the leaf,\nwith all others being treated as intermediates.")
            .arg("certs", "base64 encoded DER or PEM data containing two or more certificates where the first is a root CA, the last is a leaf certificate, and all others are intermediate CAs", Types.STRING)
            .arg("options", "object containing extra configs to verify the validity of certificates. `options` object supports four fields which maps to same fields in [x509.VerifyOptions struct](https://pkg.go.dev/crypto/x509#VerifyOptions). `DNSName`, `CurrentTime`: Nanoseconds since the Unix Epoch as a number, `MaxConstraintComparisons` and `KeyUsages`. `KeyUsages` is list and can have possible values as in: `\"KeyUsageAny\"`, `\"KeyUsageServerAuth\"`, `\"KeyUsageClientAuth\"`, `\"KeyUsageCodeSigning\"`, `\"KeyUsageEmailProtection\"`, `\"KeyUsageIPSECEndSystem\"`, `\"KeyUsageIPSECTunnel\"`, `\"KeyUsageIPSECUser\"`, `\"KeyUsageTimeStamping\"`, `\"KeyUsageOCSPSigning\"`, `\"KeyUsageMicrosoftServerGatedCrypto\"`, `\"KeyUsageNetscapeServerGatedCrypto\"`, `\"KeyUsageMicrosoftCommercialCodeSigning\"`, `\"KeyUsageMicrosoftKernelCodeSigning\"` ", Types.objectOf(Types.STRING, Types.ANY))
            .returns("output", "array of `[valid, certs]`: if the input certificate chain could be verified then `valid` is `true` and `certs` is an array of X.509 certificates represented as objects; if the input certificate chain could not be verified then `valid` is `false` and `certs` is `[]`", Types.tuple(Types.BOOLEAN, Types.arrayOf(Types.objectOf(Types.STRING, Types.ANY))))
            .impl((c, a) -> parseAndVerify(Args.str(a, 0), a)));
    b.add(Def.def("crypto.x509.parse_certificate_request", "Returns a PKCS #10 certificate signing request from the given PEM-encoded PKCS#10 certificate signing request.")
            .arg("csr", "base64 string containing either a PEM encoded or DER CSR or a string containing a PEM CSR", Types.STRING)
            .returns("output", "X.509 CSR represented as an object", Types.objectOf(Types.STRING, Types.ANY))
            .impl(CryptoBuiltins::parseCertificateRequest));
    b.add(Def.def("crypto.x509.parse_keypair", "Returns a valid key pair")
            .arg("cert", "string containing PEM or base64 encoded DER certificates", Types.STRING)
            .arg("pem", "string containing PEM or base64 encoded DER keys", Types.STRING)
            .returns("output", "if key pair is valid, returns the tls.certificate(https://pkg.go.dev/crypto/tls#Certificate) as an object. If the key pair is invalid, nil and an error are returned.", Types.objectOf(Types.STRING, Types.ANY))
            .impl((c, a) -> {
      String cert = Args.str(a, 0);
      // OPA reports a non-string key as operand 1 as well
      if (!(a[1] instanceof StringValue key)) {
        throw BuiltinException.operandType(1, a[1], "string");
      }
      return guarded(() -> KeyPairs.parse(cert, key.value()));
    }));
    b.add(Def.def("crypto.x509.parse_rsa_private_key", "Returns a JWK for signing a JWT from the given PEM-encoded RSA private key.")
            .arg("pem", "base64 string containing a PEM encoded RSA private key", Types.STRING)
            .returns("output", "JWK as an object", Types.objectOf(Types.STRING, Types.ANY))
            .impl(CryptoBuiltins::parseRsaPrivateKey));
    b.add(Def.def("crypto.parse_private_keys", "Returns zero or more private keys from the given encoded string containing DER certificate data.\n\nIf the input is empty, the function will return null. The input string should be a list of one or more concatenated PEM blocks. The whole input of concatenated PEM blocks can optionally be Base64 encoded.")
            .arg("keys", "PEM encoded data containing one or more private keys as concatenated blocks. Optionally Base64 encoded.", Types.STRING)
            .returns("output", "parsed private keys represented as objects", Types.arrayOf(Types.objectOf(Types.STRING, Types.ANY)))
            .impl((c, a) -> {
      String in = Args.str(a, 0);
      if (in.isEmpty()) {
        return NullValue.INSTANCE;
      }
      List<GoPrivateKey> keys = guarded(() -> CryptoInputs.privateKeys(in.getBytes(StandardCharsets.UTF_8)));
      return GoJson.list(keys, GoPrivateKey::toValue);
    }));
    return b;
  }

  private static Value parseCertificates(BuiltinContext c, Value[] a) {
    String in = Args.str(a, 0);
    List<ParsedCertificate> certs = guarded(() -> CryptoInputs.certificates(in));
    return GoJson.list(certs, cert -> cert.toValue(true));
  }

  /** options is null for the plain variant, else the builtin's arguments. */
  private static Value parseAndVerify(String input, Value[] withOptions) {
    ObjectValue options = withOptions == null ? null : Args.obj(withOptions, 1);
    List<ParsedCertificate> certs;
    try {
      certs = CryptoInputs.certificates(input);
    } catch (CryptoError e) {
      return UNVERIFIED;
    }
    ChainVerifier.Options opts = options == null ? ChainVerifier.Options.DEFAULT : verifyOptions(options);
    List<ParsedCertificate> chain;
    try {
      chain = ChainVerifier.verify(certs, opts);
    } catch (CryptoError e) {
      return UNVERIFIED;
    }
    if (chain == null) {
      return UNVERIFIED;
    }
    // OPA adds URIStrings only in the variant without options
    boolean uriStrings = options == null;
    return ArrayValue.of(BooleanValue.TRUE, GoJson.list(chain, cert -> cert.toValue(uriStrings)));
  }

  /** OPA's extractVerifyOpts, keys in OPA's (sorted) order so the first bad one is reported. */
  private static ChainVerifier.Options verifyOptions(ObjectValue options) {
    String dns = "";
    Instant time = null;
    List<Integer> usages = new ArrayList<>();
    for (Value k : options.keys()) {
      if (!(k instanceof StringValue ks)) {
        continue;
      }
      Value v = options.get(k);
      switch (ks.value()) {
        case "DNSName" -> {
          if (!(v instanceof StringValue s)) {
            throw BuiltinException.error("'DNSName' should be a string");
          }
          dns = trimQuotes(s.value());
        }
        case "CurrentTime" -> {
          if (!(v instanceof NumberValue n)) {
            throw BuiltinException.error("'CurrentTime' should be a number");
          }
          if (!n.isInteger() || n.bigIntegerValue().bitLength() > 63) {
            throw BuiltinException.error("'CurrentTime' should be a valid int64 number");
          }
          long nanos = n.bigIntegerValue().longValue();
          time = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        }
        case "MaxConstraintComparisons" -> {
          // accepted for compatibility; Go 1.26's verifier no longer uses the limit
          if (!(v instanceof NumberValue n)) {
            throw BuiltinException.error("'MaxConstraintComparisons' should be a number");
          }
          if (!n.isInteger() || n.bigIntegerValue().bitLength() > 63) {
            throw BuiltinException.error("'MaxConstraintComparisons' should be a valid number");
          }
        }
        case "KeyUsages" -> {
          Iterable<Value> list;
          if (v instanceof ArrayValue arr) {
            list = arr.elements();
          } else if (v instanceof SetValue set) {
            list = set;
          } else {
            throw BuiltinException.error("'KeyUsages' should be an Array or Set");
          }
          List<String> invalid = new ArrayList<>();
          for (Value e : list) {
            if (e instanceof StringValue s) {
              String name = trimQuotes(s.value());
              Integer usage = KEY_USAGES.get(name);
              if (usage == null) {
                invalid.add(name);
              } else {
                usages.add(usage);
              }
            }
          }
          if (!invalid.isEmpty()) {
            throw BuiltinException.error("invalid entries for 'KeyUsages' found: [" + String.join(" ", invalid) + "]");
          }
        }
        default -> throw BuiltinException.error("invalid key option");
      }
    }
    return new ChainVerifier.Options(dns, time, usages);
  }

  private static String trimQuotes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '"') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '"') {
      end--;
    }
    return s.substring(start, end);
  }

  private static Value parseCertificateRequest(BuiltinContext c, Value[] a) {
    String in = Args.str(a, 0);
    return guarded(() -> {
      byte[] bytes = in.getBytes(StandardCharsets.UTF_8);
      if (!in.startsWith("-----BEGIN CERTIFICATE REQUEST-----")) {
        bytes = CryptoInputs.base64(in);
      }
      Pem.Decoded d = Pem.decode(bytes);
      if (d.block() != null && !d.block().type().equals("CERTIFICATE REQUEST")) {
        throw new CryptoError("invalid PEM-encoded certificate signing request");
      }
      if (d.block() != null) {
        bytes = d.block().bytes();
      }
      return CertificateRequests.parse(bytes);
    });
  }

  private static Value parseRsaPrivateKey(BuiltinContext c, Value[] a) {
    String in = Args.str(a, 0);
    if (in.isEmpty()) {
      throw BuiltinException.error("input PEM data was empty");
    }
    return guarded(() -> {
      byte[] pem = in.getBytes(StandardCharsets.UTF_8);
      if (!in.startsWith("-----BEGIN")) {
        pem = CryptoInputs.base64(in);
      }
      List<GoPrivateKey> keys = CryptoInputs.privateKeys(pem);
      if (keys.isEmpty()) {
        return NullValue.INSTANCE;
      }
      return keys.get(0).toJwk();
    });
  }

  /** Runs a parse, turning Go-style failures into builtin errors with Go's message. */
  private static <T> T guarded(java.util.function.Supplier<T> body) {
    try {
      return body.get();
    } catch (CryptoError e) {
      throw BuiltinException.error(e.getMessage());
    }
  }
}
