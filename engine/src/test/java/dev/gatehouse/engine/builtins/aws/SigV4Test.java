package dev.gatehouse.engine.builtins.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.builtins.Eval;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigV4Test {

  /**
   * AWS's published SigV4 test suite, case "get-vanilla": GET / on example.amazonaws.com at
   * 20150830T123600Z with the suite's example credentials. (AWS joins the header parts with ", ";
   * OPA, and so this signer, with ",", which does not change the signature.)
   */
  @Test
  void signsAwsGetVanillaTestVector() {
    SigV4.Signature s = SigV4.sign(Map.of(), "GET", "example.amazonaws.com", "/", "", new byte[0], "service",
        new SigV4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", ""),
        Instant.parse("2015-08-30T12:36:00Z"), false);
    assertThat(s.authorization()).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
        + "aws4_request,SignedHeaders=host;x-amz-date,"
        + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    assertThat(s.addedHeaders()).containsExactly(Map.entry("host", "example.amazonaws.com"),
        Map.entry("x-amz-date", "20150830T123600Z"));
  }

  /** Recorded with {@code opa eval} (OPA v1.22.2): s3 adds the payload hash, headers are signed lower-cased. */
  @Test
  void signRequestMatchesOpaForS3WithAHeaderAndABody() {
    String out = Eval.json("providers.aws.sign_req({\"method\": \"get\", \"url\": \"https://example.com\","
        + " \"headers\": {\"foo\": \"bar\"}, \"body\": {\"example\": {1, 2, 3, 4}}},"
        + " {\"aws_access_key\": \"MYAWSACCESSKEYGOESHERE\", \"aws_secret_access_key\": \"MYAWSSECRETACCESSKEYGOESHERE\","
        + " \"aws_service\": \"s3\", \"aws_region\": \"us-east-1\"}, 1451311705000000000)");
    assertThat(out).isEqualTo(OPA_S3_BODY);
  }

  private static final String OPA_S3_BODY = "{\"body\":{\"example\":[1,2,3,4]},\"headers\":{\"Authorization\":\"AWS4-HMAC-SHA256 Credential="
      + "MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,SignedHeaders=foo;host;x-amz-content-sha256;"
      + "x-amz-date,Signature=f6703a8727ec0a32f81b225a002f622e511e8a7d2ca8914894fcbb7a71d8d9d8\",\"foo\":\"bar\",\"host\":\"example.com\",\"x-amz-content-sha256\":"
      + "\"bacff6243c850423883052ac3c336fd645994442933408dfd3f9e858e69bda07\",\"x-amz-date\":\"20151228T140825Z\"},"
      + "\"method\":\"get\",\"url\":\"https://example.com\"}";

  @Test
  void missingConfigKeysAreListedAsOpaDoes() {
    assertThatThrownBy(() -> Eval.strict("providers.aws.sign_req({\"method\": \"get\", \"url\": \"http://x\"}, {}, 0)"))
        .hasMessageContaining("providers.aws.sign_req: operand 2 missing required AWS config parameters(s): "
            + "{\"aws_access_key\", \"aws_region\", \"aws_secret_access_key\", \"aws_service\"}");
  }

  @Test
  void aTimestampThatIsNotAnIntegerIsRejected() {
    assertThatThrownBy(() -> Eval.strict("providers.aws.sign_req({\"method\": \"get\", \"url\": \"http://x\"},"
        + " {\"aws_access_key\": \"a\", \"aws_secret_access_key\": \"b\", \"aws_service\": \"s3\", \"aws_region\": \"r\"}, 1.5)"))
        .hasMessageContaining("operand 3 could not convert time_ns value into a unix timestamp");
  }
}
