package dev.gatehouse.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages read value → types → ast → parse → compile → eval, and only the API
 * package ({@code Rego}) composes them: no package may refer to one above it. Checked on the
 * source files (import lines and fully qualified names, javadoc links included), without a
 * dependency-analysis library.
 */
class LayeringTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/gatehouse/engine");

  /** Packages (relative to dev.gatehouse.engine) each package must never refer to. */
  private static final Map<String, Set<String>> FORBIDDEN = Map.of(
      "value", Set.of("types", "ast", "parse", "compile", "eval", "bundle", "load"),
      "types", Set.of("ast", "parse", "compile", "eval", "bundle", "load"),
      "ast", Set.of("parse", "compile", "eval", "bundle", "load"),
      "parse", Set.of("compile", "eval", "bundle", "load"),
      "compile", Set.of("eval", "bundle", "load"),
      "load", Set.of("compile", "eval", "bundle"),
      "eval", Set.of("bundle", "load"),
      "bundle", Set.of("eval"));

  /** The composition root: only the API package itself and the tools above it may use it. */
  private static final Set<String> COMPOSITION = Set.of("Rego");

  private static final Pattern REF =
      Pattern.compile("dev\\.gatehouse\\.engine((?:\\.[a-z][a-z0-9_]*)*)\\.(?:([A-Z]\\w*)|\\*)");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package dev\\.gatehouse\\.engine((?:\\.[a-z][a-z0-9_]*)*);");

  @Test
  void noPackageRefersToOneAboveIt() throws IOException {
    assertThat(SOURCES).isDirectory();
    List<String> violations = new ArrayList<>();
    int files;
    try (Stream<Path> s = Files.walk(SOURCES)) {
      List<Path> all = s.filter(p -> p.toString().endsWith(".java")).toList();
      files = all.size();
      for (Path p : all) {
        violations.addAll(violations(SOURCES.relativize(p).toString(), read(p)));
      }
    }
    assertThat(files).as("engine source files scanned").isGreaterThan(100);
    assertThat(violations).isEmpty();
  }

  /** The check itself catches what it is for (so an empty result above means something). */
  @Test
  void detectsUpwardReferences() {
    assertThat(violations("compile/X.java", """
        package dev.gatehouse.engine.compile;

        import dev.gatehouse.engine.eval.Evaluator;
        """)).containsExactly("compile/X.java refers to eval (dev.gatehouse.engine.eval.Evaluator)");
    assertThat(violations("parse/X.java", """
        package dev.gatehouse.engine.parse;
        import dev.gatehouse.engine.compile.*;
        class X { Object o = new dev.gatehouse.engine.eval.CompiledPolicy(); }
        """)).hasSize(2);
    assertThat(violations("bundle/X.java", """
        package dev.gatehouse.engine.bundle;
        import dev.gatehouse.engine.Rego;
        import dev.gatehouse.engine.RegoException;
        """)).containsExactly("bundle/X.java refers to the composition root (dev.gatehouse.engine.Rego)");
    assertThat(violations("ast/X.java", """
        package dev.gatehouse.engine.ast;
        /** See {@link dev.gatehouse.engine.compile.Compiler}. */
        """)).hasSize(1);
    // downward and sideways references are fine
    assertThat(violations("eval/X.java", """
        package dev.gatehouse.engine.eval;
        import dev.gatehouse.engine.compile.Ir;
        import dev.gatehouse.engine.parse.RegoParser;
        import dev.gatehouse.engine.RegoError;
        """)).isEmpty();
    assertThat(violations("Rego.java", """
        package dev.gatehouse.engine;
        import dev.gatehouse.engine.eval.CompiledPolicy;
        """)).isEmpty();
  }

  static List<String> violations(String file, String source) {
    Matcher pm = PACKAGE.matcher(source);
    if (!pm.find()) {
      return List.of(file + " has no dev.gatehouse.engine package declaration");
    }
    String pkg = pm.group(1).isEmpty() ? "" : pm.group(1).substring(1);
    String top = pkg.contains(".") ? pkg.substring(0, pkg.indexOf('.')) : pkg;
    Set<String> forbidden = FORBIDDEN.getOrDefault(top, Set.of());
    boolean layered = FORBIDDEN.containsKey(top);
    List<String> out = new ArrayList<>();
    Matcher m = REF.matcher(source.substring(pm.end()));
    while (m.find()) {
      String target = m.group(1).isEmpty() ? "" : m.group(1).substring(1);
      String targetTop = target.contains(".") ? target.substring(0, target.indexOf('.')) : target;
      if (forbidden.contains(targetTop)) {
        out.add(file + " refers to " + targetTop + " (" + m.group() + ")");
      } else if (layered && target.isEmpty() && m.group(2) != null && COMPOSITION.contains(m.group(2))) {
        out.add(file + " refers to the composition root (" + m.group() + ")");
      }
    }
    return out;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
