package dev.gatehouse.sidecar.decisionlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;

/**
 * Events as JSON lines appended to a file — the format {@code gatehouse impact --decisions} and
 * {@code opa}'s tooling read. With gzip, each run appends one gzip member (concatenated members
 * are a valid gzip stream, so {@code zcat} reads the whole file).
 */
public final class FileSink implements DecisionSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OutputStream out;
  private final GZIPOutputStream gzip;

  public FileSink(Path file, boolean gzipped) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
    if (gzipped) {
      gzip = new GZIPOutputStream(raw, 64 * 1024, true);
      out = gzip;
    } else {
      gzip = null;
      out = raw;
    }
  }

  @Override
  public void accept(ObjectNode event) throws IOException {
    out.write(JSON.writeValueAsBytes(event));
    out.write('\n');
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (gzip != null) {
      gzip.finish();
    }
    out.close();
  }

  static byte[] line(ObjectNode event) throws IOException {
    return (JSON.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
