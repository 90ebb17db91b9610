package dev.gatehouse.injector.policy;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads an OPA bundle file (tar.gz with {@code .manifest}, modules and data) into a {@link PolicySet}.
 * The composition root ({@code cli/}) supplies the implementation backed by the engine's bundle
 * reader, so this module does not care how bundles are parsed.
 */
@FunctionalInterface
public interface BundleReader {
  PolicySet read(Path bundle) throws IOException;

}
