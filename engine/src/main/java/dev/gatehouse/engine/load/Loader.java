package dev.gatehouse.engine.load;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads files and directories as {@code opa eval -d} does: every {@code *.rego} file is a module;
 * every JSON or YAML file is data placed at its directory's path below the loaded root
 * ({@code root/a/b/data.json} → {@code data.a.b}); overlapping keys are an error.
 */
public final class Loader {
  private Loader() {}

  public static Loaded load(List<Path> paths) {
    return load(paths, List.of());
  }

  /**
   * As {@link #load(List)}, skipping files and directories below the given paths whose name
   * matches one of the glob patterns ({@code opa --ignore}: {@code .*} skips hidden files).
   */
  public static Loaded load(List<Path> paths, List<String> ignore) {
    return load(paths, ignore, false);
  }

  /** With {@code regoOnly}, data files are not read at all (as {@code opa check} loads). */
  public static Loaded load(List<Path> paths, List<String> ignore, boolean regoOnly) {
    List<java.nio.file.PathMatcher> ignored = ignore.stream()
        .map(g -> java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
    Map<String, String> modules = new LinkedHashMap<>();
    ObjectValue data = ObjectValue.EMPTY;
    List<RegoError> errors = new ArrayList<>();
    for (Path root : paths) {
      if (!Files.exists(root)) {
        errors.add(new RegoError("load_error", "stat " + root + ": no such file or directory", null));
        continue;
      }
      List<Path> files = new ArrayList<>();
      if (Files.isDirectory(root)) {
        try (Stream<Path> s = Files.walk(root)) {
          s.filter(Files::isRegularFile).filter(f -> !isIgnored(root, f, ignored)).sorted().forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else {
        files.add(root);
      }
      for (Path f : files) {
        String name = f.getFileName().toString();
        // as Go's filepath.Walk names them: a file found in a directory is the cleaned join
        // (`./` + `a.rego` is `a.rego`); a file given by name keeps its name
        String fname = Files.isDirectory(root) ? f.normalize().toString() : f.toString();
        try {
          if (name.endsWith(".rego")) {
            modules.put(fname, Files.readString(f));
          } else if (!regoOnly && (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml"))) {
            String text = Files.readString(f);
            Value v = name.endsWith(".json") ? Json.parse(text) : Json.parseYaml(text);
            Path dir = Files.isDirectory(root) ? root.relativize(f).getParent() : null;
            List<String> prefix = new ArrayList<>();
            if (dir != null) {
              for (Path p : dir) {
                prefix.add(p.toString());
              }
            }
            data = mergeAt(data, prefix, v, fname, errors);
          }
        } catch (ValueFormatException e) {
          errors.add(new RegoError("load_error", f + ":" + e.line() + ":" + e.column() + ": " + e.getMessage(),
              new Location(fname, e.line(), e.column(), 0)));
        } catch (IOException e) {
          errors.add(new RegoError("load_error", f + ": " + e.getMessage(), null));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new RegoException(errors);
    }
    return new Loaded(modules, data);
  }

  /** True when the file, or a directory between the root and it, has an ignored name. */
  private static boolean isIgnored(Path root, Path file, List<java.nio.file.PathMatcher> ignored) {
    if (ignored.isEmpty()) {
      return false;
    }
    for (Path part : root.relativize(file)) {
      for (java.nio.file.PathMatcher m : ignored) {
        if (m.matches(part)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Places a data document under {@code prefix} (the directories of its file) and merges it into
   * {@code data} as opa's loader does: objects merge key by key, any other clash is a
   * {@code load_error} added to {@code errors} naming {@code file}.
   */
  public static ObjectValue mergeAt(ObjectValue data, List<String> prefix, Value v, String file,
      List<RegoError> errors) {
    Value placed = v;
    for (int i = prefix.size() - 1; i >= 0; i--) {
      placed = ObjectValue.of(prefix.get(i), placed);
    }
    if (!(placed instanceof ObjectValue po)) {
      errors.add(new RegoError("load_error", file + ": data at the root must be an object", null));
      return data;
    }
    return merge(data, po, file, errors);
  }

  /**
   * One builder for the whole merge (linear in the keys; a copy per key was quadratic: seconds for
   * a document of 20,000 top-level keys). The result is the same object a chain of {@code with}
   * gives: a's keys in their places, merged values in place, b's new keys after them in sorted order.
   */
  private static ObjectValue merge(ObjectValue a, ObjectValue b, String file, List<RegoError> errors) {
    if (b.isEmpty()) {
      return a;
    }
    ObjectValue.Builder out = ObjectValue.builder();
    a.asMap().forEach(out::put);
    for (Value k : b.keys()) {
      Value existing = a.get(k);
      Value incoming = b.get(k);
      if (existing == null) {
        out.put(k, incoming);
      } else if (existing instanceof ObjectValue eo && incoming instanceof ObjectValue io) {
        out.put(k, merge(eo, io, file, errors));
      } else {
        errors.add(new RegoError("load_error", file + ": merge error: conflicting value at "
            + (k instanceof StringValue s ? s.value() : k.toString()), null));
      }
    }
    return out.build();
  }
}
