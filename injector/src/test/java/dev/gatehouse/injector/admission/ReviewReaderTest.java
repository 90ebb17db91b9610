package dev.gatehouse.injector.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.TestSupport;
import io.fabric8.kubernetes.api.model.PodExecOptions;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReviewReaderTest {
  private static ReviewRequest read(ObjectNode review) {
    return ReviewReader.read(TestSupport.toBytes(review));
  }

  @Test
  void readsAConnectRequestWithItsExecOptions() {
    ReviewRequest r = read(TestSupport.json("reviews/connect-exec.json"));
    assertThat(r.operation()).isEqualTo("CONNECT");
    assertThat(r.resourceWithSub()).isEqualTo("pods/exec");
    assertThat(r.user()).isEqualTo("alice@example.com");
    assertThat(r.typedObject()).isInstanceOf(PodExecOptions.class);
    assertThat(((PodExecOptions) r.typedObject()).getCommand()).containsExactly("/bin/sh");
  }

  @Test
  void aDeleteNeedsOnlyTheOldObject() {
    ReviewRequest r = read(TestSupport.json("reviews/delete-deployment.json"));
    assertThat(r.object()).isNull();
    assertThat(r.oldObject().at("/metadata/name").asText()).isEqualTo("ledger");
  }

  @Test
  void theRequiredObjectsOfEachOperationAreChecked() {
    ObjectNode update = TestSupport.json("reviews/update-deployment.json");
    ((ObjectNode) update.get("request")).remove("oldObject");
    assertThatThrownBy(() -> read(update)).isInstanceOf(BadRequest.class)
        .hasMessage("request.oldObject is required for UPDATE");
    ObjectNode create = TestSupport.json("reviews/create-pod.json");
    ((ObjectNode) create.get("request")).putNull("object");
    assertThatThrownBy(() -> read(create)).hasMessage("request.object is required for CREATE");
  }

  @Test
  void unknownOperationsAndMissingKindsAreRejected() {
    ObjectNode op = TestSupport.json("reviews/create-pod.json");
    ((ObjectNode) op.get("request")).put("operation", "PATCH");
    assertThatThrownBy(() -> read(op)).hasMessageContaining("request.operation must be one of");
    ObjectNode kind = TestSupport.json("reviews/create-pod.json");
    ((ObjectNode) kind.get("request")).remove("kind");
    assertThatThrownBy(() -> read(kind)).hasMessageContaining("request.kind must name");
  }

  @Test
  void connectOptionsWithTheWrongShapeAreRejected() {
    ObjectNode pf = TestSupport.json("reviews/connect-portforward.json");
    ((ObjectNode) pf.at("/request/object")).put("ports", "eighty");
    assertThatThrownBy(() -> read(pf)).hasMessage(
        "request.object is not a valid PodPortForwardOptions: ports: expected a list");
  }

  @Test
  void unknownKindsPassThroughUndecoded() {
    ObjectNode crd = TestSupport.json("reviews/create-pod.json");
    ObjectNode req = (ObjectNode) crd.get("request");
    req.putObject("kind").put("group", "example.com").put("version", "v1").put("kind", "Widget");
    req.putObject("resource").put("group", "example.com").put("version", "v1").put("resource", "widgets");
    req.putObject("object").put("apiVersion", "example.com/v1").put("kind", "Widget").putObject("spec").put("size", 3);
    ReviewRequest r = read(crd);
    assertThat(r.typedObject()).isNull();
    assertThat(r.object().at("/spec/size").asInt()).isEqualTo(3);
  }

  @Test
  void deeplyNestedBodiesAreRejectedBeforeAnyRecursion() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    assertThatThrownBy(() -> ReviewReader.read(deep.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(BadRequest.class).hasMessageContaining("nests deeper than");
  }
}
