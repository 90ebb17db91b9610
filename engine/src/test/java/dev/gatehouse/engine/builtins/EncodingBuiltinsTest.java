package dev.gatehouse.engine.builtins;

import static dev.gatehouse.engine.builtins.RegoEval.eval;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Encodings with Go's byte-level behaviour and errors. Recorded with OPA v1.22.2. */
class EncodingBuiltinsTest {

  @Test
  void decodersReportTheOffendingInputByte() {
    assertThat(eval("base64.decode(\"a===\")"))
        .isEqualTo("ERR eval_builtin_error base64.decode: illegal base64 data at input byte 1");
    assertThat(eval("hex.decode(\"zz\")"))
        .isEqualTo("ERR eval_builtin_error hex.decode: encoding/hex: invalid byte: U+007A 'z'");
    assertThat(eval("urlquery.decode_object(\"a=%zz&b=1\")"))
        .isEqualTo("ERR eval_builtin_error urlquery.decode_object: invalid URL escape \"%zz\"");
  }

  @Test
  void base64IgnoresLineBreaksAndUrlDecodingPadsForYou() {
    assertThat(eval("base64.decode(\"YWJj\\nZA==\")")).isEqualTo("\"abcd\"");
    assertThat(eval("base64url.decode(\"YQ\")")).isEqualTo("\"a\"");
  }

  @Test
  void jsonUnmarshalSpeaksEncodingJsonsErrors() {
    assertThat(eval("json.unmarshal(\"[1,\")")).isEqualTo("ERR eval_builtin_error json.unmarshal: unexpected EOF");
    assertThat(eval("json.unmarshal(\"1 2\")"))
        .isEqualTo("ERR eval_builtin_error json.unmarshal: error: invalid character '2' after top-level value");
    assertThat(eval("json.unmarshal(\"{\\\"a\\\": 1e40000}\")"))
        .isEqualTo("ERR eval_builtin_error json.unmarshal: invalid number: number too big");
  }

  @Test
  void marshalWithOptionsPrefixesEveryLine() {
    assertThat(eval("json.marshal_with_options({\"a\": [1]}, {\"prefix\": \">\"})"))
        .isEqualTo(RegoEval.normalize("\">{\\n>\\t\\\"a\\\": [\\n>\\t\\t1\\n>\\t]\\n>}\""));
  }

  @Test
  void yamlScalarsResolveByYaml12CoreRulesWithDatesKeptAsStrings() {
    assertThat(eval("yaml.unmarshal(\"a: yes\\nb: 0x1F\\nc: 010\\nd: 1_000\\nf: 2001-12-14\\ni: 1e3\")"))
        .isEqualTo("{\"a\":\"yes\",\"b\":31,\"c\":8,\"d\":1000,\"f\":\"2001-12-14\",\"i\":1000}");
    assertThat(eval("yaml.unmarshal(\"base: &b {x: 1, y: 2}\\nd:\\n  <<: *b\\n  y: 3\")"))
        .isEqualTo("{\"base\":{\"x\":1,\"y\":2},\"d\":{\"x\":1,\"y\":3}}");
  }

  @Test
  void yamlMarshalQuotesLikeGoYamlV3() {
    assertThat(eval("yaml.marshal({\"key with: colon\": [\"- x\", \"#y\", \"a #b\", \"x#\"], \"e\": \"\", \"n\": null})"))
        .isEqualTo("\"e: \\\"\\\"\\n'key with: colon':\\n  - '- x'\\n  - '#y'\\n  - 'a #b'\\n  - x#\\n\\\"n\\\": null\\n\"");
    assertThat(eval("yaml.marshal(\"a\\nb\")")).isEqualTo("\"|-\\n  a\\n  b\\n\"");
  }
}
