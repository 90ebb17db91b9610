package dev.gatehouse.injector.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Policies from one OPA bundle file, re-read when its bytes change. */
public final class BundlePolicySource implements PolicySource {
  private final Path file;
  private final BundleReader reader;

  public BundlePolicySource(Path file, BundleReader reader) {
    this.file = file;
    this.reader = reader;
  }

  @Override
  public String describe() {
    return "bundle " + file;
  }

  @Override
  public String fingerprint() throws IOException {
    return Digests.hex(Digests.sha256().digest(Files.readAllBytes(file)));
  }

  @Override
  public PolicySet load() throws IOException {
    return reader.read(file);
  }
}
