package dev.gatehouse.impact.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.engine.value.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class MasksTest {
  @Test
  void defaultsHideCredentialsAndSecretPayloadsAndSayWhere() {
    var input = Json.parse("""
        {"request": {"uid": "u1", "kind": {"kind": "Secret"}, "headers": {"Authorization": "Bearer abc", "Cookie": "s=1", "accept": "*/*"},
         "object": {"kind": "Secret", "metadata": {"name": "db"}, "data": {"password": "c2VjcmV0"}, "stringData": {"token": "t"}},
         "oldObject": {"kind": "Secret", "data": {"password": "b2xk"}}}}""");
    Masks.Masked m = Masks.of(Masks.DEFAULTS).apply("input", input);
    assertThat(Json.write(m.value())).isEqualTo("{\"request\":{\"headers\":{\"accept\":\"*/*\"},\"kind\":{\"kind\":\"Secret\"},"
        + "\"object\":{\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\"}},\"oldObject\":{\"kind\":\"Secret\"},\"uid\":\"u1\"}}");
    assertThat(m.erased()).containsExactly("/input/request/headers/Authorization", "/input/request/headers/Cookie",
        "/input/request/object/data", "/input/request/object/stringData", "/input/request/oldObject/data");
  }

  @Test
  void wildcardsEscapesAndResultsAndWholeDocuments() {
    var input = Json.parse("{\"users\": [{\"name\": \"a\", \"ssn\": \"1\"}, {\"name\": \"b\", \"ssn\": \"2\"}], \"a/b\": 1}");
    Masks.Masked m = Masks.of(List.of("/input/users/*/ssn", "/input/a~1b")).apply("input", input);
    assertThat(Json.write(m.value())).isEqualTo("{\"users\":[{\"name\":\"a\"},{\"name\":\"b\"}]}");
    assertThat(m.erased()).containsExactly("/input/users/0/ssn", "/input/users/1/ssn", "/input/a~1b");

    Masks.Masked r = Masks.of(List.of("/result/grant_id")).apply("result", Json.parse("{\"allow\":true,\"grant_id\":\"g\"}"));
    assertThat(Json.write(r.value())).isEqualTo("{\"allow\":true}");
    assertThat(Masks.of(List.of("/result/grant_id")).apply("input", input).erased()).isEmpty();

    Masks.Masked whole = Masks.of(List.of("/input")).apply("input", input);
    assertThat(whole.value()).isNull();
    assertThat(whole.erased()).containsExactly("/input");
  }

  @Test
  void pointersMustBeUnderInputOrResult() {
    assertThatThrownBy(() -> Masks.of(List.of("input/password")))
        .hasMessage("mask rule \"input/password\" must be a JSON pointer such as /input/password");
    assertThatThrownBy(() -> Masks.of(List.of("/labels/id")))
        .hasMessage("mask rule \"/labels/id\" must start with /input or /result");
  }
}
