package dev.gatehouse.sync.source;

import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.BundleBuilder;
import dev.gatehouse.sync.BundleSync;
import dev.gatehouse.sync.PolicyRoots;
import dev.gatehouse.sync.config.BundleConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A local policy directory (for {@code gatehouse up} and development), loaded as {@code opa build}
 * without {@code -b} loads it and re-read whenever its content changes (checked every
 * {@code polling.min_delay_seconds}, at least every 200 ms). The revision is a content hash and
 * the roots are computed from the packages and data it holds, so a grants bundle can sit beside it.
 * A Kubernetes ConfigMap mount is read through its {@code ..data} link, so each file counts once.
 */
public final class DirectorySource implements BundleSource {
  private final BundleConfig config;
  private final UnaryOperator<Bundle> verify;
  private final BundleSync.FailureSink failures;
  private final BiConsumer<String, String> downloadMetric;
  private volatile boolean stopped;

  public DirectorySource(BundleConfig config, UnaryOperator<Bundle> verify, BundleSync.FailureSink failures,
      BiConsumer<String, String> downloadMetric) {
    this.config = config;
    this.verify = verify;
    this.failures = failures;
    this.downloadMetric = downloadMetric;
  }

  @Override
  public void stop() {
    stopped = true;
  }

  @Override
  public void run(BundleSync.Sink sink) {
    String last = null;
    long interval = Math.max(200, config.polling().minDelaySeconds() * 1000);
    while (!stopped && !Thread.currentThread().isInterrupted()) {
      String fp = null;
      try {
        fp = fingerprint(root());
      } catch (IOException | RuntimeException e) {
        downloadMetric.accept(config.name(), "error");
        failures.fail(config.name(), "read", config.directory() + ": " + e.getMessage());
      }
      if (fp != null && !fp.equals(last)) {
        try {
          Bundle b = load(fp);
          downloadMetric.accept(config.name(), "ok");
          sink.offer(config.name(), verify.apply(b));
        } catch (RuntimeException | IOException e) {
          downloadMetric.accept(config.name(), "invalid");
          failures.fail(config.name(), "read", e.getMessage());
        }
        // Remember even a broken revision: it is reported once, and retried when the files change.
        last = fp;
      }
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Reads the directory once into a bundle (also used by tests and one-shot callers). */
  public Bundle load(String fingerprint) throws IOException {
    Path root = root();
    Bundle b = BundleBuilder.build(List.of(root),
        new BundleBuilder.Options(false, fingerprint.substring(0, 12), RegoVersion.V1, null, null), w -> { });
    return b.withManifest(b.manifest().withRoots(PolicyRoots.compute(b))).withName(config.name());
  }

  Path root() throws IOException {
    Path dir = config.directory();
    Path data = dir.resolve("..data");
    if (Files.isDirectory(data)) {
      return data.toRealPath();
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException("not a directory");
    }
    return dir;
  }

  public static String fingerprint(Path root) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(Files::isRegularFile).filter(DirectorySource::isPolicyFile).sorted().toList();
    }
    for (Path f : files) {
      md.update(root.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(Files.readAllBytes(f));
      md.update((byte) 0);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static boolean isPolicyFile(Path f) {
    String n = f.getFileName().toString();
    return n.endsWith(".rego") || n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml");
  }
}
