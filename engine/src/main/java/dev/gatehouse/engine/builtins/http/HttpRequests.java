package dev.gatehouse.engine.builtins.http;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.List;

/** The request object shared by http.send and providers.aws.sign_req: which keys it may have. */
public final class HttpRequests {
  private HttpRequests() {}

  static final List<String> ALLOWED_KEYS = List.of("method", "url", "body", "enable_redirect", "force_json_decode",
      "force_yaml_decode", "headers", "raw_body", "tls_use_system_certs", "tls_ca_cert", "tls_ca_cert_file",
      "tls_ca_cert_env_variable", "tls_client_cert", "tls_client_cert_file", "tls_client_cert_env_variable",
      "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable", "tls_insecure_skip_verify",
      "tls_server_name", "timeout", "cache", "force_cache", "force_cache_duration_seconds", "raise_error",
      "caching_mode", "max_retry_attempts", "cache_ignored_headers");

  private static final SetValue ALLOWED = SetValue.of(ALLOWED_KEYS.stream().map(StringValue::of).toList());
  private static final SetValue REQUIRED = SetValue.of(StringValue.of("method"), StringValue.of("url"));

  /**
   * Checks the request's keys with OPA's wording: unknown keys first, then missing method/url.
   * Errors are operand (type) errors at {@code position}.
   */
  public static ObjectValue validate(Value operand, int position) {
    if (!(operand instanceof ObjectValue obj)) {
      throw BuiltinException.operandType(position, operand, "object");
    }
    SetValue keys = SetValue.of(obj.keys());
    SetValue invalid = keys.minus(ALLOWED);
    if (!invalid.isEmpty()) {
      throw BuiltinException.typeError("operand " + position + " invalid request parameters(s): " + invalid);
    }
    SetValue missing = REQUIRED.minus(keys);
    if (!missing.isEmpty()) {
      throw BuiltinException.typeError("operand " + position + " missing required request parameters(s): " + missing);
    }
    return obj;
  }
}
