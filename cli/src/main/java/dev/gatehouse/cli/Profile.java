package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The JIT client profile: {@code {"server": URL, "token": T}} in
 * {@code $XDG_CONFIG_HOME/gatehouse/profile.json} (else {@code ~/.config/gatehouse/profile.json});
 * {@code GATEHOUSE_PROFILE} (or the {@code gatehouse.profile} system property) names another file.
 * Written by {@code gatehouse up} and {@code gatehouse login}; flags and environment variables win.
 */
record Profile(String server, String token) {
  static final String DEFAULT_SERVER = "http://127.0.0.1:8181";
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path path() {
    String override = System.getProperty("gatehouse.profile", System.getenv("GATEHOUSE_PROFILE"));
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("gatehouse").resolve("profile.json");
  }

  static Profile read() {
    Path p = path();
    if (!Files.exists(p)) {
      return new Profile(null, null);
    }
    try {
      JsonNode n = JSON.readTree(Files.readString(p));
      return new Profile(n.path("server").isTextual() ? n.get("server").asText() : null,
          n.path("token").isTextual() ? n.get("token").asText() : null);
    } catch (IOException e) {
      return new Profile(null, null);
    }
  }

  static Path write(String server, String token) throws IOException {
    Path p = path();
    Files.createDirectories(p.toAbsolutePath().getParent());
    ObjectNode o = JSON.createObjectNode().put("server", server).put("token", token);
    Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
    Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not POSIX
    }
    Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return p;
  }
}
