package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_OBJECT;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.NUMBER;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.func;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hashes and HMACs, units, semver, uuid, randomness, runtime and tracing. */
final class Misc {
  private static final java.util.regex.Pattern SEMVER = java.util.regex.Pattern.compile(
      "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)"
          + "(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

  private Misc() {}

  static List<Builtin> all() {
    List<Builtin> b = new ArrayList<>();
    for (String[] h : new String[][] {{"crypto.md5", "MD5"}, {"crypto.sha1", "SHA-1"}, {"crypto.sha256", "SHA-256"}}) {
      b.add(Fn.of("crypto", h[0], func(STRING, STRING), (c, a) -> StringValue.of(HexFormat.of().formatHex(digest(h[1], Args.str(a, 0))))));
    }
    for (String[] h : new String[][] {{"crypto.hmac.md5", "HmacMD5"}, {"crypto.hmac.sha1", "HmacSHA1"},
        {"crypto.hmac.sha256", "HmacSHA256"}, {"crypto.hmac.sha512", "HmacSHA512"}}) {
      b.add(Fn.of("crypto", h[0], func(STRING, STRING, STRING), (c, a) -> StringValue.of(HexFormat.of().formatHex(hmac(h[1], Args.str(a, 0), Args.str(a, 1))))));
    }
    b.add(Fn.of("crypto", "crypto.hmac.equal", func(BOOLEAN, STRING, STRING), (c, a) -> BooleanValue.of(MessageDigest.isEqual(
        Args.str(a, 0).getBytes(StandardCharsets.UTF_8), Args.str(a, 1).getBytes(StandardCharsets.UTF_8)))));
    b.add(Fn.of("units", "units.parse_bytes", func(NUMBER, STRING), (c, a) -> units(Args.str(a, 0), true)));
    b.add(Fn.of("units", "units.parse", func(NUMBER, STRING), (c, a) -> units(Args.str(a, 0), false)));
    b.add(Fn.of("semver", "semver.is_valid", func(BOOLEAN, ANY),
        (c, a) -> BooleanValue.of(a[0] instanceof StringValue s && SEMVER.matcher(s.value()).matches())));
    b.add(Fn.of("semver", "semver.compare", func(NUMBER, STRING, STRING), (c, a) -> {
      String x = Args.str(a, 0);
      String y = Args.str(a, 1);
      Matcher mx = SEMVER.matcher(x);
      Matcher my = SEMVER.matcher(y);
      if (!mx.matches()) {
        throw BuiltinException.error("operand 1: string \"" + x + "\" is not a valid SemVer");
      }
      if (!my.matches()) {
        throw BuiltinException.error("operand 2: string \"" + y + "\" is not a valid SemVer");
      }
      return NumberValue.of(semverCompare(mx, my));
    }));
    b.add(Fn.of("uuid", "uuid.rfc4122", func(STRING, STRING), (c, a) -> {
      String key = Args.str(a, 0);
      return (Value) c.queryCache().computeIfAbsent("uuid:" + key, k -> StringValue.of(java.util.UUID.randomUUID().toString()));
    }).nondet());
    b.add(Fn.of("numbers", "rand.intn", func(NUMBER, STRING, NUMBER), (c, a) -> {
      String key = Args.str(a, 0);
      int n = Args.integer(a, 1);
      if (n == 0) {
        return NumberValue.ZERO;
      }
      int bound = Math.abs(n);
      return (Value) c.queryCache().computeIfAbsent("rand:" + key + ":" + n,
          k -> NumberValue.of(java.util.concurrent.ThreadLocalRandom.current().nextInt(bound)));
    }).nondet());
    b.add(Fn.of("opa", "opa.runtime", func(ANY_OBJECT), (c, a) -> c.runtime()).nondet());
    b.add(Fn.of("tracing", "trace", func(BOOLEAN, STRING), (c, a) -> {
      Args.str(a, 0);
      return BooleanValue.TRUE;
    }));
    return b;
  }

  private static byte[] digest(String alg, String s) {
    try {
      return MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(String alg, String msg, String key) {
    try {
      Mac mac = Mac.getInstance(alg);
      byte[] k = key.getBytes(StandardCharsets.UTF_8);
      mac.init(new SecretKeySpec(k.length == 0 ? new byte[1] : k, alg));
      if (k.length == 0) {
        mac = Mac.getInstance(alg);
        mac.init(new SecretKeySpec(new byte[] {0}, alg));
      }
      return mac.doFinal(msg.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int semverCompare(Matcher x, Matcher y) {
    for (int g = 1; g <= 3; g++) {
      int c = new java.math.BigInteger(x.group(g)).compareTo(new java.math.BigInteger(y.group(g)));
      if (c != 0) {
        return Integer.signum(c);
      }
    }
    String px = x.group(4);
    String py = y.group(4);
    if (px == null && py == null) {
      return 0;
    }
    if (px == null) {
      return 1;
    }
    if (py == null) {
      return -1;
    }
    String[] a = px.split("\\.");
    String[] b = py.split("\\.");
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      boolean na = a[i].matches("\\d+");
      boolean nb = b[i].matches("\\d+");
      int c;
      if (na && nb) {
        c = new java.math.BigInteger(a[i]).compareTo(new java.math.BigInteger(b[i]));
      } else if (na) {
        c = -1;
      } else if (nb) {
        c = 1;
      } else {
        c = a[i].compareTo(b[i]);
      }
      if (c != 0) {
        return Integer.signum(c);
      }
    }
    return Integer.signum(a.length - b.length);
  }

  /** units.parse / units.parse_bytes: SI (k, M, G…) and IEC (Ki, Mi…) suffixes; "m" is milli for units.parse. */
  private static Value units(String raw, boolean bytes) {
    String s = raw.replace("\"", "").strip();
    if (s.isEmpty()) {
      throw BuiltinException.error("no amount provided");
    }
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '-' || s.charAt(i) == '+'
        || ((s.charAt(i) == 'e' || s.charAt(i) == 'E') && !bytes && i + 1 < s.length() && (Character.isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '-')))) {
      i++;
    }
    String num = s.substring(0, i);
    String unit = s.substring(i).strip();
    if (num.isEmpty()) {
      throw BuiltinException.error("no amount provided");
    }
    BigDecimal amount;
    try {
      amount = new BigDecimal(num);
    } catch (NumberFormatException e) {
      throw BuiltinException.error("could not parse amount to a number");
    }
    String u = bytes ? unit.toLowerCase(Locale.ROOT) : unit;
    if (bytes && u.endsWith("b")) {
      u = u.substring(0, u.length() - 1);
    }
    BigDecimal mult = switch (bytes ? u : u) {
      case "" -> BigDecimal.ONE;
      case "m" -> bytes ? null : new BigDecimal("0.001");
      case "k", "K" -> BigDecimal.valueOf(1000);
      case "ki", "Ki" -> BigDecimal.valueOf(1024);
      case "M" -> BigDecimal.valueOf(1_000_000);
      case "mi", "Mi" -> BigDecimal.valueOf(1L << 20);
      case "g", "G" -> BigDecimal.valueOf(1_000_000_000L);
      case "gi", "Gi" -> BigDecimal.valueOf(1L << 30);
      case "t", "T" -> BigDecimal.valueOf(1_000_000_000_000L);
      case "ti", "Ti" -> BigDecimal.valueOf(1L << 40);
      case "p", "P" -> BigDecimal.valueOf(1_000_000_000_000_000L);
      case "pi", "Pi" -> BigDecimal.valueOf(1L << 50);
      case "e", "E" -> BigDecimal.TEN.pow(18);
      case "ei", "Ei" -> BigDecimal.valueOf(2).pow(60);
      default -> null;
    };
    if (bytes && mult == null && u.equals("m")) {
      mult = BigDecimal.valueOf(1_000_000);
    }
    if (mult == null) {
      throw BuiltinException.error("unknown unit");
    }
    BigDecimal r = amount.multiply(mult);
    if (bytes) {
      return NumberValue.of(r.setScale(0, java.math.RoundingMode.DOWN).toBigInteger());
    }
    return NumberValue.of(r);
  }
}
