package dev.gatehouse.controlplane;

import java.nio.file.Files;
import java.nio.file.Path;

/** A control plane in its own JVM, for the crash test: args DATA_DIR PORT_FILE; runs until killed. */
public final class ForkedServer {
  private ForkedServer() {}

  public static void main(String[] args) throws Exception {
    ControlPlane cp = ControlPlane.start(Harness.options(Path.of(args[0]), Harness.POLICIES));
    Path tmp = Path.of(args[1] + ".tmp");
    Files.writeString(tmp, Integer.toString(cp.port()));
    Files.move(tmp, Path.of(args[1]));
    Thread.sleep(Long.MAX_VALUE);
  }
}
