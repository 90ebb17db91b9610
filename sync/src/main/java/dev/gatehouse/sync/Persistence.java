package dev.gatehouse.sync;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The last good bundle of each persisted bundle, as OPA keeps it:
 * {@code <persistence_directory>/bundles/<name>/bundle.tar.gz} (plus its ETag), written to a
 * temporary file and moved into place so a crash never leaves half a bundle. What is read back is
 * verified again like a download.
 */
public final class Persistence {
  /** A persisted bundle's bytes and the ETag it was served with (may be null). */
  public record Stored(byte[] tarGz, String etag) {}

  private final Path dir;

  public Persistence(Path dir) {
    this.dir = dir;
  }

  private Path bundleDir(String name) {
    return dir.resolve("bundles").resolve(URLEncoder.encode(name, StandardCharsets.UTF_8));
  }

  public void save(String name, byte[] tarGz, String etag) throws IOException {
    Path d = bundleDir(name);
    Files.createDirectories(d);
    Path tmp = Files.createTempFile(d, ".bundle", ".tmp");
    try {
      Files.write(tmp, tarGz);
      Files.move(tmp, d.resolve("bundle.tar.gz"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Path etagTmp = Files.createTempFile(d, ".etag", ".tmp");
      Files.writeString(etagTmp, etag == null ? "" : etag);
      Files.move(etagTmp, d.resolve("etag"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public Optional<Stored> load(String name) throws IOException {
    Path d = bundleDir(name);
    Path f = d.resolve("bundle.tar.gz");
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    String etag = Files.isRegularFile(d.resolve("etag")) ? Files.readString(d.resolve("etag")).strip() : "";
    return Optional.of(new Stored(Files.readAllBytes(f), etag.isEmpty() ? null : etag));
  }

  /**
   * The newest revision of a bundle ever accepted ({@code revision-floor}: the revision string), kept
   * apart from the bundle itself because it must outlive a failed or disabled bundle write.
   */
  public Optional<String> loadFloor(String name) throws IOException {
    Path f = bundleDir(name).resolve("revision-floor");
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    String s = Files.readString(f).strip();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  public void saveFloor(String name, String revision) throws IOException {
    Path d = bundleDir(name);
    Files.createDirectories(d);
    Path tmp = Files.createTempFile(d, ".floor", ".tmp");
    try {
      Files.writeString(tmp, revision + "\n");
      Files.move(tmp, d.resolve("revision-floor"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public void deleteFloor(String name) throws IOException {
    Files.deleteIfExists(bundleDir(name).resolve("revision-floor"));
  }
}
