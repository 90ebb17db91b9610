package dev.gatehouse.engine.bundle;

import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.ast.Scalar;
import dev.gatehouse.engine.ast.Term;
import dev.gatehouse.engine.parse.RegoParser;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * An OPA bundle: a {@link Manifest}, Rego modules, the data document assembled from
 * {@code data.json}/{@code data.yaml} files by directory path, and optionally the JWS of
 * {@code .signatures.json}. Read one from a {@code .tar.gz} or a directory with {@link #read(Path)}
 * (verifying its signature when {@link ReadOptions} carries a key), write one with
 * {@link #writeTarGz(OutputStream)}, and load it into an engine with
 * {@code Rego.builder().bundle(bundle)}. Immutable.
 */
public final class Bundle {
  public static final long DEFAULT_MAX_FILE_BYTES = 1L << 30;

  /**
   * One module: {@code path} inside the bundle (slash-separated, no leading slash), {@code name}
   * used in error messages, its source and the Rego version it is parsed with.
   */
  public record ModuleFile(String path, String name, String source, RegoVersion regoVersion) {}

  /**
   * How to read: {@code verification} checks {@code .signatures.json} (a signed bundle read without
   * one fails, as in OPA, unless {@code skipVerify}); {@code defaultRegoVersion} applies when the
   * manifest names none; {@code maxFileBytes} bounds any single file.
   */
  public record ReadOptions(VerificationConfig verification, boolean skipVerify, RegoVersion defaultRegoVersion,
      long maxFileBytes) {
    public static final ReadOptions DEFAULT = new ReadOptions(null, false, RegoVersion.V1, DEFAULT_MAX_FILE_BYTES);

    /** What {@code opa eval -b} does: signatures are not checked. */
    public static final ReadOptions SKIP_VERIFICATION = new ReadOptions(null, true, RegoVersion.V1, DEFAULT_MAX_FILE_BYTES);

    public static ReadOptions verifying(VerificationConfig vc) {
      return new ReadOptions(vc, false, RegoVersion.V1, DEFAULT_MAX_FILE_BYTES);
    }

    public ReadOptions withDefaultRegoVersion(RegoVersion v) {
      return new ReadOptions(verification, skipVerify, v, maxFileBytes);
    }
  }

  private final String name;
  private final Manifest manifest;
  private final List<ModuleFile> modules;
  private final ObjectValue data;
  private final List<String> signatures;
  private final String signaturePlugin;
  /** A delta bundle's {@code patch.json} operations; null for a snapshot bundle. */
  private final List<DataPatch.Op> patch;

  Bundle(String name, Manifest manifest, List<ModuleFile> modules, ObjectValue data, List<String> signatures,
      String signaturePlugin) {
    this(name, manifest, modules, data, signatures, signaturePlugin, null);
  }

  Bundle(String name, Manifest manifest, List<ModuleFile> modules, ObjectValue data, List<String> signatures,
      String signaturePlugin, List<DataPatch.Op> patch) {
    this.name = name;
    this.manifest = manifest;
    this.modules = List.copyOf(modules);
    this.data = data;
    this.signatures = List.copyOf(signatures);
    this.signaturePlugin = signaturePlugin == null ? "" : signaturePlugin;
    this.patch = patch == null ? null : List.copyOf(patch);
  }

  /** A bundle from parts (e.g. to write one); module paths must be unique. */
  public static Bundle of(Manifest manifest, List<ModuleFile> modules, ObjectValue data) {
    return new Bundle("", manifest, modules, data, List.of(), "");
  }

  /**
   * An OPA <em>delta</em> bundle: a manifest and {@code patch.json} only (no modules, no data
   * files), applied by the client on top of the data of the bundle it has active.
   */
  public static Bundle delta(Manifest manifest, List<DataPatch.Op> ops) {
    return new Bundle("", manifest, List.of(), ObjectValue.EMPTY, List.of(), "", ops);
  }

  /** True for a delta bundle (one with {@code patch.json}). */
  public boolean isDelta() { return patch != null; }

  /** A delta bundle's operations, in order; empty for a snapshot bundle. */
  public List<DataPatch.Op> patch() { return patch == null ? List.of() : patch; }

  /** The name given when read (the path as given), used in error messages; empty when built. */
  public String name() { return name; }

  public Manifest manifest() { return manifest; }

  public List<ModuleFile> modules() { return modules; }

  public ObjectValue data() { return data; }

  /** The compact JWS tokens of {@code .signatures.json}; empty for an unsigned bundle. */
  public List<String> signatures() { return signatures; }

  public boolean isSigned() { return !signatures.isEmpty(); }

  public Bundle withManifest(Manifest m) {
    return new Bundle(name, m, modules, data, signatures, signaturePlugin, patch);
  }

  public Bundle withName(String n) {
    return new Bundle(n, manifest, modules, data, signatures, signaturePlugin, patch);
  }

  // ---------------------------------------------------------------- reading

  /** Reads a {@code .tar.gz} bundle or a bundle directory with {@link ReadOptions#DEFAULT}. */
  public static Bundle read(Path path) {
    return read(path, ReadOptions.DEFAULT);
  }

  public static Bundle read(Path path, ReadOptions options) {
    String display = path.toString();
    try {
      if (Files.isDirectory(path)) {
        return fromFiles(display, directoryFiles(path, options.maxFileBytes()), options, display);
      }
      if (!Files.exists(path)) {
        throw new BundleException("stat " + display + ": no such file or directory");
      }
      try (InputStream in = Files.newInputStream(path)) {
        return readTarGz(in, display, options);
      }
    } catch (IOException e) {
      throw new BundleException("bundle " + display + ": " + e.getMessage(), e);
    }
  }

  /** Reads a gzipped tarball bundle from a stream (e.g. an HTTP body); {@code name} is for messages. */
  public static Bundle readTarGz(InputStream in, String name, ReadOptions options) {
    List<Tar.Entry> entries;
    try {
      entries = Tar.read(new GZIPInputStream(new BufferedInputStream(in)), options.maxFileBytes());
    } catch (IOException e) {
      throw new BundleException("bundle read failed: " + e.getMessage(), e);
    }
    List<Tar.Entry> files = new ArrayList<>();
    for (Tar.Entry e : entries) {
      files.add(new Tar.Entry(normalize(e.name()), e.content()));
    }
    return fromFiles(name, files, options, null);
  }

  private static List<Tar.Entry> directoryFiles(Path dir, long max) throws IOException {
    List<Tar.Entry> files = new ArrayList<>();
    List<Path> paths;
    try (Stream<Path> s = Files.walk(dir)) {
      paths = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
    for (Path p : paths) {
      long size = Files.size(p);
      String rel = dir.relativize(p).toString().replace('\\', '/');
      if (size > max) {
        throw new BundleException("bundle file '" + rel + "' size (" + size + " bytes) exceeded max size (" + max
            + " bytes)");
      }
      files.add(new Tar.Entry(rel, Files.readAllBytes(p)));
    }
    return files;
  }

  /** Paths inside a bundle: slash-separated, no leading slash, no {@code ./}. */
  static String normalize(String p) {
    String s = p.replace('\\', '/');
    while (s.startsWith("./")) {
      s = s.substring(2);
    }
    while (s.startsWith("/")) {
      s = s.substring(1);
    }
    return s;
  }

  /**
   * The shared reading logic: signatures first (every other file must be listed with a matching
   * digest), then the manifest, data by directory, modules parsed for their package, roots checked.
   * {@code dirPrefix} is the directory a directory bundle was read from (module names in messages).
   */
  private static Bundle fromFiles(String name, List<Tar.Entry> files, ReadOptions options, String dirPrefix) {
    Signatures.Config sigs = null;
    Manifest manifest = null;
    String manifestPath = null;
    for (Tar.Entry f : files) {
      if (base(f.name()).equals(".signatures.json")) {
        if (sigs != null) {
          throw new BundleException("bundle contains multiple signatures files");
        }
        sigs = Signatures.Config.parse(f.content());
      }
    }
    Map<String, Signatures.FileInfo> signed = null;
    if (!options.skipVerify()) {
      if (sigs != null) {
        if (options.verification() == null) {
          throw new BundleException("verification key not provided");
        }
        signed = new LinkedHashMap<>(Signatures.verify(sigs, options.verification()));
      }
    }

    List<Tar.Entry> rego = new ArrayList<>();
    ObjectValue data = ObjectValue.EMPTY;
    List<DataPatch.Op> patch = null;
    String dataFile = null;
    for (Tar.Entry f : files) {
      String path = f.name();
      String base = base(path);
      if (base.equals(".signatures.json")) {
        continue;
      }
      if (signed != null) {
        if (excluded(path, options.verification().exclude())) {
          signed.remove(path);
        } else {
          Signatures.verifyFile(path, f.content(), signed);
        }
      }
      if (path.equals("patch.json")) {
        patch = DataPatch.parse(f.content());
      } else if (path.endsWith(".rego")) {
        rego.add(f);
      } else if (base.equals("data.json") || base.equals("data.yaml") || base.equals("data.yml")) {
        dataFile = path;
        Value v;
        try {
          String text = new String(f.content(), StandardCharsets.UTF_8);
          v = base.equals("data.json") ? Json.parse(text) : Json.parseYaml(text);
        } catch (ValueFormatException e) {
          throw new BundleException("bundle load failed on " + display(dirPrefix, path) + ": " + e.getMessage());
        }
        data = insert(data, dirSegments(path), v, display(dirPrefix, path));
      } else if (base.equals(".manifest")) {
        if (manifestPath != null) {
          throw new BundleException("bundle contains multiple manifest files: \"" + manifestPath + "\" and \"" + path + "\"");
        }
        manifestPath = path;
        manifest = Manifest.parse(f.content());
      }
    }
    if (signed != null && !signed.isEmpty()) {
      throw new BundleException("file(s) " + goList(new ArrayList<>(signed.keySet()))
          + " specified in bundle signatures but not found in the target bundle");
    }
    if (manifest == null) {
      manifest = Manifest.EMPTY;
    }
    manifest.validate();
    if (patch != null) {
      // OPA's rules for a delta bundle: the patch alone, every operation under the roots.
      if (!rego.isEmpty()) {
        throw new BundleException("delta bundle expected to contain only patch file but policy files were found");
      }
      if (dataFile != null) {
        throw new BundleException("delta bundle expected to contain only patch file but data files were found");
      }
      List<String> roots = manifest.effectiveRoots();
      for (DataPatch.Op op : patch) {
        List<String> segs = op.segments();
        if (!Roots.anyContains(roots, segs.isEmpty() ? List.of("") : segs)) {
          throw new BundleException("delta bundle: manifest roots " + goList(roots) + " do not permit data patch at path "
              + op.path());
        }
      }
      return new Bundle(name, manifest, List.of(), ObjectValue.EMPTY, sigs == null ? List.of() : sigs.signatures(),
          sigs == null ? "" : sigs.plugin(), patch);
    }
    RegoVersion def = manifest.regoVersion() == null ? options.defaultRegoVersion()
        : manifest.regoVersionFor("", options.defaultRegoVersion());

    List<ModuleFile> modules = new ArrayList<>();
    List<dev.gatehouse.engine.RegoError> parseErrors = new ArrayList<>();
    List<String> roots = manifest.effectiveRoots();
    for (Tar.Entry f : rego) {
      String source = new String(f.content(), StandardCharsets.UTF_8);
      RegoVersion v = fileVersion(manifest, f.name(), def);
      String display = display(dirPrefix, f.name());
      ModuleFile mf = new ModuleFile(f.name(), dirPrefix == null ? "/" + f.name() : display, source, v);
      try {
        Module m = RegoParser.parseModule(mf.name(), source, v);
        List<String> pkg = packageSegments(m);
        if (pkg == null || !Roots.anyContains(roots, pkg)) {
          throw new BundleException("manifest roots " + goList(roots) + " do not permit 'package "
              + m.pkg().dottedName() + "' in module '" + mf.name() + "'");
        }
      } catch (RegoException e) {
        parseErrors.addAll(e.errors());
      }
      modules.add(mf);
    }
    if (!parseErrors.isEmpty()) {
      throw new RegoException(parseErrors);
    }
    checkDataRoots(data, new ArrayList<>(), roots);
    return new Bundle(name, manifest, modules, data, sigs == null ? List.of() : sigs.signatures(),
        sigs == null ? "" : sigs.plugin());
  }

  private static RegoVersion fileVersion(Manifest m, String path, RegoVersion def) {
    return m.fileRegoVersions().isEmpty() ? def : m.regoVersionFor(path, def);
  }

  private static String display(String dirPrefix, String path) {
    return dirPrefix == null ? "/" + path : Path.of(dirPrefix).resolve(path).toString();
  }

  private static boolean excluded(String path, List<String> patterns) {
    for (String p : patterns) {
      if (simpleMatch(p, path)) {
        return true;
      }
    }
    return false;
  }

  /** filepath.Match: {@code *} does not cross {@code /}. */
  private static boolean simpleMatch(String pattern, String path) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        default -> re.append(com.google.re2j.Pattern.quote(String.valueOf(c)));
      }
    }
    return com.google.re2j.Pattern.matches(re.toString(), path);
  }

  /** The package path below {@code data} as plain segments, or null when it holds a non-string term. */
  static List<String> packageSegments(Module m) {
    List<String> out = new ArrayList<>();
    List<Term> terms = m.pkg().path().terms();
    for (int i = 1; i < terms.size(); i++) {
      if (terms.get(i) instanceof Scalar s && s.value() instanceof StringValue str) {
        out.add(str.value());
      } else {
        return null;
      }
    }
    return out;
  }

  private static void checkDataRoots(Value node, List<String> path, List<String> roots) {
    if (Roots.anyContains(roots, path.isEmpty() ? List.of("") : path)) {
      return;
    }
    if (node instanceof ObjectValue o) {
      boolean prefix = false;
      for (String r : roots) {
        if (Roots.contains(path.isEmpty() ? List.of("") : path, Roots.segments(r))) {
          prefix = true;
          break;
        }
      }
      if (prefix) {
        for (Value k : o.keys()) {
          List<String> next = new ArrayList<>(path);
          next.add(k instanceof StringValue s ? s.value() : Json.write(k));
          checkDataRoots(o.get(k), next, roots);
        }
        return;
      }
    }
    throw new BundleException("manifest roots " + goList(roots) + " do not permit data at path '/"
        + String.join("/", path) + "' (hint: check bundle directory structure)");
  }

  private static List<String> dirSegments(String path) {
    int slash = path.lastIndexOf('/');
    if (slash < 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String s : path.substring(0, slash).split("/")) {
      if (!s.isEmpty() && !s.equals(".")) {
        out.add(s);
      }
    }
    return out;
  }

  private static ObjectValue insert(ObjectValue data, List<String> at, Value v, String file) {
    Value placed = v;
    for (int i = at.size() - 1; i >= 0; i--) {
      placed = ObjectValue.of(at.get(i), placed);
    }
    if (!(placed instanceof ObjectValue po)) {
      throw new BundleException("bundle load failed on " + file + ": root value must be object");
    }
    ObjectValue merged = DataMerge.merge(data, po);
    if (merged == null) {
      throw new BundleException("bundle load failed on " + file + ": failed to insert data file from path "
          + (at.isEmpty() ? "." : String.join("/", at)));
    }
    return merged;
  }

  private static String base(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Go's {@code %v} of a string slice: {@code [a b]}. */
  static String goList(List<String> items) {
    return "[" + String.join(" ", items) + "]";
  }

  // ---------------------------------------------------------------- writing

  /**
   * Writes the bundle as {@code opa build} does: {@code /data.json} (the whole data document),
   * each module at {@code /<path>}, then {@code /.manifest} (omitted when empty) and
   * {@code /.signatures.json} when signed; every entry mode 0600, owner 0, time 0.
   */
  public void writeTarGz(OutputStream out) throws IOException {
    GZIPOutputStream gz = new GZIPOutputStream(out);
    Tar.write(gz, entries());
    gz.finish();
    gz.flush();
  }

  public byte[] toTarGz() {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try {
      writeTarGz(bos);
    } catch (IOException e) {
      throw new BundleException("bundle write failed: " + e.getMessage(), e);
    }
    return bos.toByteArray();
  }

  /** Writes the bundle's files into a directory (a directory bundle). */
  public void writeDirectory(Path dir) throws IOException {
    for (Tar.Entry e : entries()) {
      Path p = dir.resolve(normalize(e.name()));
      Files.createDirectories(p.getParent());
      Files.write(p, e.content());
    }
  }

  private List<Tar.Entry> entries() {
    List<Tar.Entry> out = new ArrayList<>();
    if (patch != null) {
      out.add(new Tar.Entry("/patch.json", DataPatch.toJson(patch)));
    } else {
      out.add(new Tar.Entry("/data.json", dataJson()));
    }
    for (ModuleFile m : modules) {
      out.add(new Tar.Entry("/" + m.path(), m.source().getBytes(StandardCharsets.UTF_8)));
    }
    if (!manifest.isEmpty()) {
      out.add(new Tar.Entry("/.manifest", manifest.toJson().getBytes(StandardCharsets.UTF_8)));
    }
    if (!signatures.isEmpty()) {
      out.add(new Tar.Entry("/.signatures.json",
          new Signatures.Config(signatures, signaturePlugin).toJson().getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private byte[] dataJson() {
    return (Json.write(data) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * This bundle with a {@code .signatures.json} over its files (modules, {@code data.json},
   * {@code .manifest}), signed as {@code opa build --signing-key} does.
   */
  public Bundle signed(SigningConfig sc) {
    List<Signatures.FileInfo> files = new ArrayList<>();
    String alg = FileHasher.DEFAULT_ALGORITHM;
    for (ModuleFile m : modules) {
      files.add(new Signatures.FileInfo(m.path(), FileHasher.hash(m.path(),
          m.source().getBytes(StandardCharsets.UTF_8), alg), alg));
    }
    if (patch != null) {
      files.add(new Signatures.FileInfo("patch.json", FileHasher.hash("patch.json", DataPatch.toJson(patch), alg), alg));
    } else {
      files.add(new Signatures.FileInfo("data.json", FileHasher.hash("data.json", dataJson(), alg), alg));
    }
    if (!manifest.isEmpty()) {
      files.add(new Signatures.FileInfo(".manifest", FileHasher.hashValue(manifest.toValue(), alg), alg));
    }
    String token = Signatures.sign(files, sc);
    return new Bundle(name, manifest, modules, data, List.of(token), signaturePlugin, patch);
  }
}
