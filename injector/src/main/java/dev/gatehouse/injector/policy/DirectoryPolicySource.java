package dev.gatehouse.injector.policy;

import dev.gatehouse.engine.load.Loaded;
import dev.gatehouse.engine.load.Loader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;

/**
 * Policies from a directory, loaded as {@code opa eval -d DIR} does (the engine's {@link Loader}).
 *
 * <p>A Kubernetes ConfigMap volume holds its files in a hidden timestamped directory reached through
 * the {@code ..data} symlink, with one symlink per file beside it. Walking the mount would see every
 * file twice, so when {@code ..data} exists the directory it points at is loaded instead; an update
 * swaps that symlink, which changes the fingerprint.
 */
public final class DirectoryPolicySource implements PolicySource {
  private final Path dir;

  public DirectoryPolicySource(Path dir) {
    this.dir = dir;
  }

  @Override
  public String describe() {
    return "directory " + dir;
  }

  /** The directory actually read: the ConfigMap's current data directory, or the one given. */
  Path effectiveRoot() throws IOException {
    Path data = dir.resolve("..data");
    if (Files.isDirectory(data)) {
      return data.toRealPath();
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": not a directory");
    }
    return dir;
  }

  @Override
  public String fingerprint() throws IOException {
    Path root = effectiveRoot();
    MessageDigest md = Digests.sha256();
    for (Path f : policyFiles(root)) {
      md.update(root.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(Files.readAllBytes(f));
      md.update((byte) 0);
    }
    return Digests.hex(md.digest());
  }

  @Override
  public PolicySet load() throws IOException {
    Path root = effectiveRoot();
    String revision = fingerprint().substring(0, 12);
    Loaded loaded = Loader.load(List.of(root));
    return new PolicySet(loaded.modules(), loaded.data(), revision);
  }

  private static List<Path> policyFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).filter(DirectoryPolicySource::isPolicyFile).sorted().toList();
    }
  }

  private static boolean isPolicyFile(Path f) {
    String n = f.getFileName().toString();
    return n.endsWith(".rego") || n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml");
  }
}
