package dev.gatehouse.injector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.injector.config.ConfigLoader;
import dev.gatehouse.injector.config.WebhookConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;

/** Fixture loading shared by the tests. */
public final class TestSupport {
  /** The instant the fixture grant (09:00–11:00) is active at. */
  public static final Instant FIXTURE_NOW = Instant.parse("2026-03-01T10:00:00Z");

  private TestSupport() {}

  public static byte[] bytes(String resource) {
    try (InputStream in = TestSupport.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String resource) {
    return new String(bytes(resource), StandardCharsets.UTF_8);
  }

  public static ObjectNode json(String resource) {
    try {
      return (ObjectNode) Mappers.JSON.readTree(bytes(resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] toBytes(JsonNode n) {
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static Path resourceDir(String resource) {
    URL url = TestSupport.class.getResource("/" + resource);
    if (url == null) {
      throw new IllegalArgumentException("no test resource " + resource);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies a resource directory into {@code target} (tests that rewrite policies work on a copy). */
  public static Path copyDir(String resource, Path target) {
    Path src = resourceDir(resource);
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path dest = target.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  public static Clock fixedClock() {
    return Clock.fixed(FIXTURE_NOW, ZoneOffset.UTC);
  }

  public static WebhookConfig config(String yaml) {
    return ConfigLoader.parse(yaml, "test-config.yaml");
  }

  /** A clock tests can move. */
  public static final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(Instant now) {
      this.now = now;
    }

    public void set(Instant i) {
      now = i;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
