package dev.gatehouse.sync;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The last good bundle of each persisted bundle, as OPA keeps it:
 * {@code <persistence_directory>/bundles/<name>/bundle.tar.gz} (plus its ETag), written to a
 * temporary file and moved into place so a crash never leaves half a bundle. What is read back is
 * verified again like a download.
 */
public final class Persistence {
  /**
   * A persisted bundle's bytes, the delta bundles applied on top of it since (in order), and the
   * ETag of the last of them (may be null).
   */
  public record Stored(byte[] tarGz, String etag, List<byte[]> deltas) {
    public Stored(byte[] tarGz, String etag) {
      this(tarGz, etag, List.of());
    }

    /** The snapshot, then the deltas. */
    public List<byte[]> all() {
      List<byte[]> out = new ArrayList<>(deltas.size() + 1);
      out.add(tarGz);
      out.addAll(deltas);
      return out;
    }
  }

  private final Path dir;

  public Persistence(Path dir) {
    this.dir = dir;
  }

  private Path bundleDir(String name) {
    return dir.resolve("bundles").resolve(URLEncoder.encode(name, StandardCharsets.UTF_8));
  }

  /** Saves a snapshot bundle; the deltas saved on top of the previous one are deleted. */
  public void save(String name, byte[] tarGz, String etag) throws IOException {
    Path d = bundleDir(name);
    Files.createDirectories(d);
    Path tmp = Files.createTempFile(d, ".bundle", ".tmp");
    try {
      Files.write(tmp, tarGz);
      // The old deltas go first: a crash in between leaves the old snapshot without its deltas
      // (an older state, refused against the revision floor and fetched again), never the new
      // snapshot with old deltas on top (those would not apply to it anyway: wrong base).
      deleteDeltas(d);
      Files.move(tmp, d.resolve("bundle.tar.gz"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      writeEtag(d, etag);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Saves a delta bundle applied on top of the persisted snapshot ({@code deltas/NNNNNN.tar.gz}):
   * a restart replays them in order, each verified again, so a process restarted while the
   * server is down enforces the revocations that came as deltas.
   */
  public void saveDelta(String name, byte[] tarGz, String etag) throws IOException {
    Path d = bundleDir(name).resolve("deltas");
    Files.createDirectories(d);
    int next;
    try (Stream<Path> s = Files.list(d)) {
      next = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{6}\\.tar\\.gz"))
          .mapToInt(n -> Integer.parseInt(n.substring(0, 6))).max().orElse(0) + 1;
    }
    Path tmp = Files.createTempFile(d, ".delta", ".tmp");
    try {
      Files.write(tmp, tarGz);
      Files.move(tmp, d.resolve(String.format("%06d.tar.gz", next)), StandardCopyOption.ATOMIC_MOVE);
      writeEtag(bundleDir(name), etag);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void writeEtag(Path d, String etag) throws IOException {
    Path etagTmp = Files.createTempFile(d, ".etag", ".tmp");
    Files.writeString(etagTmp, etag == null ? "" : etag);
    Files.move(etagTmp, d.resolve("etag"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void deleteDeltas(Path bundleDir) throws IOException {
    Path d = bundleDir.resolve("deltas");
    if (!Files.isDirectory(d)) {
      return;
    }
    try (Stream<Path> s = Files.list(d)) {
      for (Path p : s.toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static List<byte[]> loadDeltas(Path bundleDir) throws IOException {
    Path d = bundleDir.resolve("deltas");
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(d)) {
      files = s.filter(p -> p.getFileName().toString().matches("[0-9]{6}\\.tar\\.gz")).sorted().toList();
    }
    List<byte[]> out = new ArrayList<>(files.size());
    for (Path p : files) {
      out.add(Files.readAllBytes(p));
    }
    return out;
  }

  public Optional<Stored> load(String name) throws IOException {
    Path d = bundleDir(name);
    Path f = d.resolve("bundle.tar.gz");
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    String etag = Files.isRegularFile(d.resolve("etag")) ? Files.readString(d.resolve("etag")).strip() : "";
    return Optional.of(new Stored(Files.readAllBytes(f), etag.isEmpty() ? null : etag, loadDeltas(d)));
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
