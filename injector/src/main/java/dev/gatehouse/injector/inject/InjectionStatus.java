package dev.gatehouse.injector.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.Mappers;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code gatehouse.dev/status} annotation: what a previous injection added, so that the next
 * one (webhook reinvocation, {@code gatehouse inject} run twice) removes exactly that before adding
 * again, instead of duplicating it or touching containers other webhooks added.
 */
public record InjectionStatus(String image, boolean nativeSidecar, List<String> initContainers,
    List<String> containers, List<String> volumes, RenamedPort renamedPort) {

  /**
   * The app's port whose name the sidecar took (so Services targeting that name reach the proxy):
   * in {@code container}, the port and probes now say {@link Injector#UPSTREAM_PORT_NAME} instead
   * of {@code name}. A re-injection renames them back first.
   */
  public record RenamedPort(String container, String name) {}

  public InjectionStatus {
    initContainers = List.copyOf(initContainers);
    containers = List.copyOf(containers);
    volumes = List.copyOf(volumes);
  }

  public InjectionStatus(String image, boolean nativeSidecar, List<String> initContainers, List<String> containers,
      List<String> volumes) {
    this(image, nativeSidecar, initContainers, containers, volumes, null);
  }

  /** Compact JSON with a fixed key order, so equal injections give byte-equal annotations. */
  public String toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("image", image);
    o.put("native", nativeSidecar);
    o.set("initContainers", array(initContainers));
    o.set("containers", array(containers));
    o.set("volumes", array(volumes));
    if (renamedPort != null) {
      o.putObject("renamedPort").put("container", renamedPort.container()).put("name", renamedPort.name());
    }
    return o.toString();
  }

  /** Parses an annotation value; null when it is not a status this code wrote. */
  public static InjectionStatus parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    JsonNode n;
    try {
      n = Mappers.JSON.readTree(text);
    } catch (Exception e) {
      return null;
    }
    if (n == null || !n.isObject()) {
      return null;
    }
    JsonNode rp = n.path("renamedPort");
    RenamedPort renamed = rp.path("container").isTextual() && rp.path("name").isTextual()
        ? new RenamedPort(rp.path("container").asText(), rp.path("name").asText()) : null;
    return new InjectionStatus(n.path("image").asText(""), n.path("native").asBoolean(false),
        strings(n.get("initContainers")), strings(n.get("containers")), strings(n.get("volumes")), renamed);
  }

  private static ArrayNode array(List<String> xs) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    xs.forEach(a::add);
    return a;
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      for (JsonNode e : n) {
        if (e.isTextual()) {
          out.add(e.asText());
        }
      }
    }
    return out;
  }
}
