package dev.gatehouse.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The builtins typical policies call on every decision, each through a one-expression query.
 * {@link CpuBench} {@code builtins} times the same queries in CPU time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BuiltinBenchmarks {
  private static final String SECRET = "a-32-byte-secret-for-hs256-jwts!";

  PreparedQuery sprintf;
  PreparedQuery regexMatch;
  PreparedQuery startswith;
  PreparedQuery objectGet;
  PreparedQuery parseRfc3339;
  Value input;

  /**
   * io.jwt.decode_verify lives in its own state: it needs the JWT builtins, and without them only
   * this benchmark fails, not the others.
   */
  @State(Scope.Benchmark)
  public static class Jwt {
    PreparedQuery decodeVerify;
    Value input;

    @Setup
    public void setup() throws JOSEException {
      Policy policy = Rego.builder().module("empty.rego", "package bench\n").compile();
      decodeVerify = policy.prepare("io.jwt.decode_verify(input.token, {\"secret\": \"" + SECRET + "\", \"iss\": \"gatehouse\"})");
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
          new JWTClaimsSet.Builder().issuer("gatehouse").subject("alice")
              .expirationTime(new Date(System.currentTimeMillis() + 3_600_000L)).build());
      jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
      input = ObjectValue.of("token", StringValue.of(jwt.serialize()));
      if (decodeVerify.eval(input).isEmpty()) {
        throw new IllegalStateException("benchmark query is undefined: " + decodeVerify.text());
      }
    }
  }

  @Setup
  public void setup() {
    Policy policy = Rego.builder().module("empty.rego", "package bench\n").compile();
    sprintf = policy.prepare("sprintf(\"container %q in %s uses %d ports\", [input.name, input.ns, input.ports])");
    regexMatch = policy.prepare("regex.match(`^registry\\.example\\.com/[a-z0-9-]+/[a-z0-9-]+:[0-9.]+$`, input.image)");
    startswith = policy.prepare("startswith(input.image, \"registry.example.com/\")");
    objectGet = policy.prepare("object.get(input.labels, \"team\", \"none\")");
    parseRfc3339 = policy.prepare("time.parse_rfc3339_ns(input.now)");

    input = ObjectValue.of(
        "name", StringValue.of("api"),
        "ns", StringValue.of("payments"),
        "ports", dev.gatehouse.engine.value.NumberValue.of(3),
        "image", StringValue.of("registry.example.com/payments/api:2.3.1"),
        "labels", ObjectValue.of("team", StringValue.of("payments"), "app", StringValue.of("api")),
        "now", StringValue.of("2026-11-22T12:00:00.123456789+01:00"));
    for (PreparedQuery q : List.of(sprintf, regexMatch, startswith, objectGet, parseRfc3339)) {
      if (q.eval(input).isEmpty()) {
        throw new IllegalStateException("benchmark query is undefined: " + q.text());
      }
    }
  }

  @Benchmark public List<QueryResult> sprintf() { return sprintf.eval(input); }

  @Benchmark public List<QueryResult> regexMatch() { return regexMatch.eval(input); }

  @Benchmark public List<QueryResult> startswith() { return startswith.eval(input); }

  @Benchmark public List<QueryResult> objectGet() { return objectGet.eval(input); }

  @Benchmark public List<QueryResult> timeParseRfc3339() { return parseRfc3339.eval(input); }

  @Benchmark public List<QueryResult> jwtDecodeVerify(Jwt jwt) { return jwt.decodeVerify.eval(jwt.input); }
}
