package dev.gatehouse.engine.builtins.aws;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_OBJECT;
import static dev.gatehouse.engine.types.Types.NUMBER;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.func;
import static dev.gatehouse.engine.types.Types.named;
import static dev.gatehouse.engine.types.Types.objectOf;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.builtins.BuiltinProvider;
import dev.gatehouse.engine.builtins.core.Fn;
import dev.gatehouse.engine.builtins.http.HttpRequests;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** providers.aws.sign_req: SigV4-signs an http.send request object. */
public final class AwsBuiltins implements BuiltinProvider {
  private static final SetValue REQUIRED_CONFIG = SetValue.of(StringValue.of("aws_access_key"),
      StringValue.of("aws_region"), StringValue.of("aws_secret_access_key"), StringValue.of("aws_service"));

  @Override
  public List<Builtin> builtins() {
    return List.of(Fn.of("providers.aws", "providers.aws.sign_req", func(named("signed_request", objectOf(ANY, ANY)),
        named("request", objectOf(STRING, ANY)), named("aws_config", objectOf(STRING, ANY)),
        named("time_ns", NUMBER)), (c, a) -> signRequest(a[0], a[1], a[2])));
  }

  static Value signRequest(Value reqOperand, Value configOperand, Value timeOperand) {
    // OPA reports the first two object checks and the number check as operand 1.
    if (!(reqOperand instanceof ObjectValue req)) {
      throw BuiltinException.operandType(1, reqOperand, "object");
    }
    if (!(configOperand instanceof ObjectValue config)) {
      throw BuiltinException.operandType(1, configOperand, "object");
    }
    validateConfig(config);
    if (!(timeOperand instanceof NumberValue time)) {
      throw BuiltinException.operandType(1, timeOperand, "number");
    }
    long nanos;
    try {
      nanos = Long.parseLong(time.text());
    } catch (NumberFormatException e) {
      throw BuiltinException.typeError("operand 3 could not convert time_ns value into a unix timestamp");
    }
    HttpRequests.validate(req, 1);

    Value headersValue = req.get("headers");
    ObjectValue headers = ObjectValue.EMPTY;
    if (headersValue != null) {
      if (!(headersValue instanceof ObjectValue h)) {
        throw BuiltinException.operandType(0, headersValue, "object");
      }
      headers = h;
    }
    Value url = req.get("url");
    Value method = req.get("method");
    SetValue.Builder invalid = SetValue.builder();
    if (!(url instanceof StringValue)) {
      invalid.add(StringValue.of("url"));
    }
    if (!(method instanceof StringValue)) {
      invalid.add(StringValue.of("method"));
    }
    if (invalid.size() > 0) {
      throw BuiltinException.typeError("operand 1 invalid values for required request parameters(s): " + invalid.build());
    }
    String urlText = ((StringValue) url).value();
    URI uri;
    try {
      uri = new URI(urlText);
    } catch (URISyntaxException e) {
      throw BuiltinException.error("parse \"" + urlText + "\": " + e.getReason());
    }
    byte[] body = body(req.get("body"), req.get("raw_body"));

    boolean unsigned = false;
    Value dps = config.get("disable_payload_signing");
    if (dps != null) {
      if (!(dps instanceof BooleanValue b)) {
        throw BuiltinException.typeError("operand 2 invalid value for 'disable_payload_signing' in AWS config");
      }
      unsigned = b.value();
    }

    Map<String, String> headerMap = new LinkedHashMap<>();
    headers.forEach((k, v) -> headerMap.put(text(k), text(v)));
    SigV4.Credentials creds = new SigV4.Credentials(text(config.get("aws_access_key")),
        text(config.get("aws_secret_access_key")), text(config.get("aws_region")),
        config.get("aws_session_token") == null ? "" : text(config.get("aws_session_token")));
    String service = text(config.get("aws_service"));
    SigV4.Signature sig = SigV4.sign(headerMap, ((StringValue) method).value(), host(uri), rawPath(uri),
        uri.getRawQuery() == null ? "" : uri.getRawQuery(), body, service, creds,
        Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)), unsigned);

    ObjectValue.Builder out = ObjectValue.builder();
    headerMap.forEach((k, v) -> out.put(k, StringValue.of(v)));
    out.put("Authorization", StringValue.of(sig.authorization()));
    sig.addedHeaders().forEach((k, v) -> out.put(k, StringValue.of(v)));
    return req.with(StringValue.of("headers"), out.build());
  }

  private static void validateConfig(ObjectValue config) {
    SetValue missing = REQUIRED_CONFIG.minus(SetValue.of(config.keys()));
    if (!missing.isEmpty()) {
      throw BuiltinException.typeError("operand 2 missing required AWS config parameters(s): " + missing);
    }
    SetValue.Builder invalid = SetValue.builder();
    for (Value k : REQUIRED_CONFIG.sorted()) {
      if (!(config.get(k) instanceof StringValue)) {
        invalid.add(k);
      }
    }
    if (invalid.size() > 0) {
      throw BuiltinException.typeError("operand 2 invalid values for required AWS config parameters(s): " + invalid.build());
    }
  }

  /** raw_body wins over body; body is signed as the JSON http.send would send. */
  private static byte[] body(Value body, Value rawBody) {
    if (rawBody != null) {
      return text(rawBody).getBytes(StandardCharsets.UTF_8);
    }
    if (body != null) {
      return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }
    return new byte[0];
  }

  /** A string's text; OPA treats other values as the empty string here. */
  private static String text(Value v) {
    return v instanceof StringValue s ? s.value() : "";
  }

  private static String host(URI uri) {
    String auth = uri.getRawAuthority();
    if (auth == null) {
      return "";
    }
    int at = auth.lastIndexOf('@');
    return at >= 0 ? auth.substring(at + 1) : auth;
  }

  private static String rawPath(URI uri) {
    String p = uri.getRawPath();
    return p == null ? "" : p;
  }
}
