package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.builtins.core.Def.def;
import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_SET;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.NUMBER;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.objectOf;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hashes and HMACs, units, semver, uuid, opa.runtime, trace and print. */
final class Misc {
  private Misc() {}

  static List<Builtin> all() {
    return List.of(
        def("crypto.md5", "Returns a string representing the input string hashed with the MD5 function")
            .arg("x", "input string", STRING)
            .returns("y", "MD5-hash of `x`", STRING)
            .impl((c, a) -> hash("MD5", a)),
        def("crypto.sha1", "Returns a string representing the input string hashed with the SHA1 function")
            .arg("x", "input string", STRING)
            .returns("y", "SHA1-hash of `x`", STRING)
            .impl((c, a) -> hash("SHA-1", a)),
        def("crypto.sha256", "Returns a string representing the input string hashed with the SHA256 function")
            .arg("x", "input string", STRING)
            .returns("y", "SHA256-hash of `x`", STRING)
            .impl((c, a) -> hash("SHA-256", a)),
        def("crypto.hmac.md5", "Returns a string representing the MD5 HMAC of the input message using the input key.")
            .arg("x", "input string", STRING)
            .arg("key", "key to use", STRING)
            .returns("y", "MD5-HMAC of `x`", STRING)
            .impl((c, a) -> hmac("HmacMD5", a)),
        def("crypto.hmac.sha1", "Returns a string representing the SHA1 HMAC of the input message using the input key.")
            .arg("x", "input string", STRING)
            .arg("key", "key to use", STRING)
            .returns("y", "SHA1-HMAC of `x`", STRING)
            .impl((c, a) -> hmac("HmacSHA1", a)),
        def("crypto.hmac.sha256", "Returns a string representing the SHA256 HMAC of the input message using the input key.")
            .arg("x", "input string", STRING)
            .arg("key", "key to use", STRING)
            .returns("y", "SHA256-HMAC of `x`", STRING)
            .impl((c, a) -> hmac("HmacSHA256", a)),
        def("crypto.hmac.sha512", "Returns a string representing the SHA512 HMAC of the input message using the input key.")
            .arg("x", "input string", STRING)
            .arg("key", "key to use", STRING)
            .returns("y", "SHA512-HMAC of `x`", STRING)
            .impl((c, a) -> hmac("HmacSHA512", a)),
        def("crypto.hmac.equal", "Returns a boolean representing the result of comparing two MACs for equality without "
                + "leaking timing information.")
            .arg("mac1", "mac1 to compare", STRING)
            .arg("mac2", "mac2 to compare", STRING)
            .returns("result", "`true` if the MACs are equals, `false` otherwise", BOOLEAN)
            .impl((c, a) -> BooleanValue.of(MessageDigest.isEqual(GoBytes.utf8(Args.str(a, 0)), GoBytes.utf8(Args.str(a, 1))))),
        def("units.parse", "Converts strings like \"10G\", \"5K\", \"4M\", \"1500m\", and the like into a "
                + "number.\nThis number can be a non-integer, such as 1.5, 0.22, etc. Scientific notation is "
                + "supported,\nallowing values such as \"1e-3K\" (1) or \"2.5e6M\" (2.5 million "
                + "M).\n\nSupports standard metric decimal and binary SI units (e.g., K, Ki, M, Mi, G, Gi, "
                + "etc.) where\nm, K, M, G, T, P, and E are treated as decimal units and Ki, Mi, Gi, Ti, Pi, "
                + "and Ei are treated as\nbinary units.\n\nNote that 'm' and 'M' are case-sensitive to allow "
                + "distinguishing between \"milli\" and \"mega\" units\nrespectively. Other units are "
                + "case-insensitive.")
            .arg("x", "the unit to parse", STRING)
            .returns("y", "the parsed number", NUMBER)
            .impl((c, a) -> Units.parse(Args.str(a, 0))),
        def("units.parse_bytes", "Converts strings like \"10GB\", \"5K\", \"4mb\", or \"1e6KB\" into an integer number of "
                + "bytes.\n\nSupports standard byte units (e.g., KB, KiB, etc.) where KB, MB, GB, and TB are "
                + "treated as decimal\nunits, and KiB, MiB, GiB, and TiB are treated as binary units. "
                + "Scientific notation is supported,\nenabling values like \"1.5e3MB\" (1500MB) or \"2e6GiB\" "
                + "(2 million GiB).\n\nThe bytes symbol (b/B) in the unit is optional; omitting it will yield "
                + "the same result (e.g., \"Mi\"\nand \"MiB\" are equivalent).")
            .arg("x", "the byte unit to parse", STRING)
            .returns("y", "the parsed number", NUMBER)
            .impl((c, a) -> Units.parseBytes(Args.str(a, 0))),
        def("semver.is_valid", "Validates that the input is a valid SemVer string.")
            .arg("vsn", "input to validate", ANY)
            .returns("result", "`true` if `vsn` is a valid SemVer; `false` otherwise", BOOLEAN)
            .impl((c, a) -> BooleanValue.of(a[0] instanceof StringValue s && SemVer.parse(s.value()) != null)),
        def("semver.compare", "Compares valid SemVer formatted version strings.")
            .arg("a", "first version string", STRING)
            .arg("b", "second version string", STRING)
            .returns("result", "`-1` if `a < b`; `1` if `a > b`; `0` if `a == b`", NUMBER)
            .impl(Misc::semverCompare),
        def("uuid.rfc4122", "Returns a new UUIDv4.")
            .arg("k", "seed string", STRING)
            .returns("output", "a version 4 UUID; for any given `k`, the output will be consistent throughout a query "
                + "evaluation", STRING)
            .nondeterministic()
            .impl(Misc::uuid),
        def("uuid.parse", "Parses the string value as an UUID and returns an object with the well-defined fields of "
                + "the UUID if valid.")
            .arg("uuid", "UUID string to parse", STRING)
            .returns("result", "Properties of UUID if valid (version, variant, etc). Undefined otherwise.", objectOf(STRING, ANY))
            .impl((c, a) -> Uuids.parse(Args.str(a, 0))),
        def("opa.runtime", "Returns an object that describes the runtime environment where OPA is deployed.")
            .returns("output", "includes a `config` key if OPA was started with a configuration file; an `env` key "
                + "containing the environment variables that the OPA process was started with; includes "
                + "`version` and `commit` keys containing the version and build commit of OPA.", objectOf(STRING, ANY))
            .nondeterministic()
            .impl((c, a) -> c.runtime()),
        def("trace", "Emits `note` as a `Note` event in the query explanation. Query explanations show the exact "
                + "expressions evaluated by OPA during policy execution. For example, `trace(\"Hello "
                + "There!\")` includes `Note \"Hello There!\"` in the query explanation. To include variables "
                + "in the message, use `sprintf`. For example, `person := \"Bob\"; trace(sprintf(\"Hello "
                + "There! %v\", [person]))` will emit `Note \"Hello There! Bob\"` inside of the explanation.")
            .categories("tracing")
            .arg("note", "the note to include", STRING)
            .returns("result", "always `true`", BOOLEAN)
            .impl(Misc::trace),
        def("print")
            .variadic(ANY)
            .impl((c, a) -> BooleanValue.TRUE),
        def("internal.print")
            .arg(arrayOf(ANY_SET))
            .impl((c, a) -> BooleanValue.TRUE));
  }

  private static Value hash(String alg, Value[] a) {
    try {
      return StringValue.of(HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(GoBytes.utf8(Args.str(a, 0)))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + alg, e);
    }
  }

  private static Value hmac(String alg, Value[] a) {
    byte[] msg = GoBytes.utf8(Args.str(a, 0));
    byte[] key = GoBytes.utf8(Args.str(a, 1));
    try {
      Mac mac = Mac.getInstance(alg);
      // an empty HMAC key is legal (it is zero-padded); SecretKeySpec refuses it, a one-zero-byte key is equivalent
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, alg));
      return StringValue.of(HexFormat.of().formatHex(mac.doFinal(msg)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + alg, e);
    }
  }

  private static Value semverCompare(BuiltinContext c, Value[] a) {
    String x = Args.str(a, 0);
    String y = Args.str(a, 1);
    SemVer vx = SemVer.parse(x);
    if (vx == null) {
      throw BuiltinException.error("operand 1: string " + GoFmt.goQuote(x) + " is not a valid SemVer");
    }
    SemVer vy = SemVer.parse(y);
    if (vy == null) {
      throw BuiltinException.error("operand 2: string " + GoFmt.goQuote(y) + " is not a valid SemVer");
    }
    return NumberValue.of(vx.compareTo(vy));
  }

  /** uuid.rfc4122: a random version 4 UUID, the same for the same argument within one query. */
  private static Value uuid(BuiltinContext c, Value[] a) {
    Args.str(a, 0);
    return (Value) c.queryCache().computeIfAbsent(new UuidKey(a[0]), k -> StringValue.of(java.util.UUID.randomUUID().toString()));
  }

  private record UuidKey(Value arg) {}

  private static Value trace(BuiltinContext c, Value[] a) {
    Args.str(a, 0);
    return BooleanValue.TRUE;
  }
}
