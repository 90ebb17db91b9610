package dev.gatehouse.sidecar.decisionlog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Where encoded events go. Called only from the logger's single worker thread, so sinks need no
 * locking and may block (an HTTP upload delays the writer, never a request).
 */
public interface DecisionSink extends AutoCloseable {
  /** Takes one masked, encoded event. */
  void accept(ObjectNode event) throws IOException;

  /** Called every flush interval and at close: write out or upload what is buffered. */
  default void flush() throws IOException {}

  /** Events this sink gave up on (failed uploads beyond its retry buffer). */
  default long dropped() {
    return 0;
  }

  @Override
  default void close() throws IOException {
    flush();
  }
}
