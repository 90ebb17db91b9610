package dev.gatehouse.controlplane.policy;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.load.Loader;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a policy directory the way {@code opa eval -d DIR} places files (a data file's directory
 * is its data path), leaving out tests ({@code *_test.rego}) and test fixtures ({@code testdata/}
 * directories): enforcers need neither. The organisation file ({@code teams}, {@code oncall},
 * {@code services}) is placed at {@code data.gatehouse.*}.
 *
 * <p>The revision is a SHA-256 over every file read (path and content), so it changes exactly when
 * the content does, and is the same on every replica reading the same files.
 */
public final class PolicyLoader {
  public static final String REQUEST_DECISION = "data.gatehouse.jit.request.decision";
  public static final String REVIEW_DECISION = "data.gatehouse.jit.review.decision";
  /** Owned by the grants bundle, never by the policies bundle. */
  public static final String GRANTS_ROOT = "gatehouse/grants";
  private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([A-Za-z0-9_.\\[\\]\"]+)");

  private final Path dir;
  private final Path orgFile;
  private final GitCheckout git;

  /** @param orgFile JSON {@code {"teams":…, "oncall":…, "services":…}}; may be null */
  public PolicyLoader(Path dir, Path orgFile) {
    this(dir, orgFile, null);
  }

  private PolicyLoader(Path dir, Path orgFile, GitCheckout git) {
    this.dir = dir;
    this.orgFile = orgFile;
    this.git = git;
  }

  /** Policies from a Git checkout (optionally a sub-directory of it); the revision is the commit SHA. */
  public static PolicyLoader git(GitCheckout git, String subdir, Path orgFile) {
    Path d = subdir == null || subdir.isBlank() ? git.workDir() : git.workDir().resolve(subdir);
    return new PolicyLoader(d, orgFile, git);
  }

  public String describe() {
    return (git != null ? git.describe() : "directory " + dir) + (orgFile == null ? "" : " + " + orgFile);
  }

  /** The revision: the commit SHA from Git, else a digest of the files. */
  private String revision(String fingerprint) throws IOException {
    if (gitCommit == null) {
      return fingerprint;
    }
    if (orgFile == null || !Files.exists(orgFile)) {
      return gitCommit;
    }
    // The organisation file lives outside the repository: its digest joins the commit so that a
    // change to it is a new revision too.
    return gitCommit + "+org." + HexFormat.of().formatHex(sha256().digest(Files.readAllBytes(orgFile))).substring(0, 8);
  }

  private volatile String gitCommit;

  private List<Path> files() throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": not a directory");
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(this::wanted).sorted().toList();
    }
  }

  private boolean wanted(Path f) {
    Path rel = dir.relativize(f);
    for (Path part : rel) {
      String p = part.toString();
      if (p.equals("testdata") || p.startsWith(".")) { // .git, editor files
        return false;
      }
    }
    String n = f.getFileName().toString();
    if (n.endsWith("_test.rego")) {
      return false;
    }
    return n.endsWith(".rego") || n.equals("data.json") || n.equals("data.yaml") || n.equals("data.yml");
  }

  /** A digest of every input: cheap to compute on each poll. */
  public String fingerprint() throws IOException {
    if (git != null) {
      gitCommit = git.sync();
    }
    MessageDigest md = sha256();
    for (Path f : files()) {
      md.update(dir.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(Files.readAllBytes(f));
      md.update((byte) 0);
    }
    if (orgFile != null && Files.exists(orgFile)) {
      md.update("org".getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(Files.readAllBytes(orgFile));
    }
    return HexFormat.of().formatHex(md.digest()).substring(0, 40);
  }

  /** Reads and compiles everything; throws on unreadable files or compile errors. */
  public PolicySnapshot load() throws IOException {
    String revision = revision(fingerprint());
    List<Bundle.ModuleFile> modules = new ArrayList<>();
    ObjectValue data = ObjectValue.EMPTY;
    TreeSet<String> roots = new TreeSet<>();
    Rego.Builder b = Rego.builder().regoVersion(RegoVersion.V1);
    for (Path f : files()) {
      String rel = dir.relativize(f).toString().replace('\\', '/');
      String text = Files.readString(f);
      if (rel.endsWith(".rego")) {
        modules.add(new Bundle.ModuleFile(rel, rel, text, RegoVersion.V1));
        b.module(rel, text);
        Matcher m = PACKAGE.matcher(text);
        if (m.find()) {
          roots.add(root(List.of(m.group(1).split("\\."))));
        }
      } else {
        Value v = rel.endsWith(".json") ? Json.parse(text) : Json.parseYaml(text);
        List<String> prefix = new ArrayList<>();
        Path parent = Path.of(rel).getParent();
        if (parent != null) {
          for (Path p : parent) {
            prefix.add(p.toString());
          }
        }
        data = mergeAt(data, prefix, v, rel);
      }
    }
    if (orgFile != null && Files.exists(orgFile)) {
      Value org = Json.parse(Files.readString(orgFile));
      if (!(org instanceof ObjectValue o)) {
        throw new IOException(orgFile + ": expected a JSON object with teams, oncall and services");
      }
      for (Map.Entry<Value, Value> e : o.asMap().entrySet()) {
        if (e.getKey() instanceof StringValue k) {
          data = mergeAt(data, List.of("gatehouse", k.value()), e.getValue(), orgFile.toString());
        }
      }
    }
    roots.addAll(DataTree.roots(data));
    roots.remove(GRANTS_ROOT);
    Policy policy = b.data(data).compile();
    return new PolicySnapshot(revision, policy, policy.prepare(REQUEST_DECISION), policy.prepare(REVIEW_DECISION),
        List.copyOf(modules), data, List.copyOf(roots), Instant.now());
  }

  /** Places a data document as opa's loader does (the engine's rules and messages), failing on the first clash. */
  private static ObjectValue mergeAt(ObjectValue data, List<String> path, Value v, String file) throws IOException {
    List<RegoError> errors = new ArrayList<>();
    ObjectValue merged = Loader.mergeAt(data, path, v, file, errors);
    if (!errors.isEmpty()) {
      throw new IOException(errors.get(0).message());
    }
    return merged;
  }

  /** {@code gatehouse.jit.request} → {@code gatehouse/jit}; a one-segment package is its own root. */
  static String root(List<String> path) {
    return path.size() >= 2 ? path.get(0) + "/" + path.get(1) : path.get(0);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
