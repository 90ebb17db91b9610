import dev.gatehouse.engine.format.RegoFormatter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Formats every .rego file under IN_DIR into OUT_DIR (same relative paths) in one JVM, for
 * scripts/fmt-compare; a file that fails gets OUT_DIR/<path>.err with the error instead.
 * Usage: java -cp <engine classes> scripts/FmtBatch.java v1|v0 IN_DIR OUT_DIR
 */
public class FmtBatch {
  public static void main(String[] args) throws Exception {
    RegoFormatter.Target target = args[0].equals("v0") ? RegoFormatter.Target.V0 : RegoFormatter.Target.V1;
    Path in = Path.of(args[1]);
    Path out = Path.of(args[2]);
    List<Path> files;
    try (Stream<Path> s = Files.walk(in)) {
      files = s.filter(p -> p.toString().endsWith(".rego")).sorted().toList();
    }
    for (Path f : files) {
      Path rel = in.relativize(f);
      Path dest = out.resolve(rel);
      Files.createDirectories(dest.getParent());
      String src = Files.readString(f, StandardCharsets.UTF_8);
      try {
        Files.writeString(dest, RegoFormatter.format(rel.toString(), src, target), StandardCharsets.UTF_8);
      } catch (RuntimeException | StackOverflowError e) {
        Files.writeString(out.resolve(rel + ".err"), String.valueOf(e), StandardCharsets.UTF_8);
      }
    }
  }
}
