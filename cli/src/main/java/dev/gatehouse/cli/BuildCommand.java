package dev.gatehouse.cli;

import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.bundle.BundleBuilder;
import dev.gatehouse.engine.bundle.BundleException;
import dev.gatehouse.engine.bundle.SigningConfig;
import dev.gatehouse.engine.bundle.VerificationConfig;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.ValueFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse build}: write an OPA bundle, like {@code opa build} for the rego target. */
@Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Build an OPA bundle (.tar.gz with .manifest, policies, data.json and optionally .signatures.json)"
        + " that opa and gatehouse both load. The modules must compile.", "",
        "  gatehouse build policies/ -o bundle.tar.gz --revision \"$(git rev-parse HEAD)\"",
        "  gatehouse build -b src/ --signing-key private.pem -o signed.tar.gz", "",
        "Without -b, paths load like eval -d (every .rego/.json/.yaml file; a .manifest is ignored)."
            + " With -b, each path is a bundle directory or tarball whose .manifest counts; signing and"
            + " verification need -b, as in opa.", "",
        "Exit codes: 0 written; 1 on load, compile, signing or write errors."})
final class BuildCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-o", "--output"}, defaultValue = "bundle.tar.gz", paramLabel = "FILE", description = "Output file (default bundle.tar.gz).")
  Path output;

  @Option(names = {"-b", "--bundle"}, description = "Treat the paths as bundles (their .manifest files count).")
  boolean bundleMode;

  @Option(names = {"-r", "--revision"}, paramLabel = "REV", description = "Revision to put in the manifest.")
  String revision;

  @Option(names = "--signing-key", paramLabel = "KEY", description = "PEM private key file (RS*, PS*, ES*) or HMAC secret (HS*) to sign with.")
  String signingKey;

  @Option(names = "--signing-alg", defaultValue = "RS256", paramLabel = "ALG",
      description = "JWS algorithm: RS256 (default), RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, HS256, HS384, HS512.")
  String signingAlg;

  @Option(names = "--claims-file", paramLabel = "FILE", description = "JSON file of extra claims for the signature (e.g. scope).")
  Path claimsFile;

  @Option(names = "--verification-key", paramLabel = "KEY", description = "PEM public key file or HMAC secret to verify signed input bundles.")
  String verificationKey;

  @Option(names = "--verification-key-id", defaultValue = "default", paramLabel = "ID", description = "Key id for signing and verification (default \"default\").")
  String keyId;

  @Option(names = "--scope", paramLabel = "SCOPE", description = "Scope input bundle signatures must carry.")
  String scope;

  @Option(names = "--v0-compatible", description = "Parse modules as Rego v0 and mark the bundle rego_version 0.")
  boolean v0;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Directories or files to build from.")
  List<Path> paths;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      SigningConfig signing = null;
      if (signingKey != null) {
        ObjectValue claims = null;
        if (claimsFile != null) {
          Value c = Json.parse(Files.readString(claimsFile));
          if (!(c instanceof ObjectValue co)) {
            err.println("error: " + claimsFile + ": claims must be a JSON object");
            return 1;
          }
          claims = co;
        }
        signing = new SigningConfig(keyMaterial(signingKey), signingAlg, claims, claimsFile == null ? keyId : "");
      }
      VerificationConfig verification = null;
      if (verificationKey != null) {
        verification = new VerificationConfig(Map.of(keyId, new VerificationConfig.Key(keyMaterial(verificationKey),
            signingAlg, scope)), keyId, scope, null);
      }
      BundleBuilder.Options o = new BundleBuilder.Options(bundleMode, revision, v0 ? RegoVersion.V0 : RegoVersion.V1,
          signing, verification);
      Bundle b = BundleBuilder.build(paths, o, w -> {
        err.println(w);
        err.flush();
      });
      write(b);
      return 0;
    } catch (RegoException e) {
      Errors.print(err, e);
      return 1;
    } catch (BundleException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (ValueFormatException e) {
      err.println("error: " + claimsFile + ":" + e.line() + ":" + e.column() + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
    }
  }

  /** Like opa: a path to an existing file means its content, anything else is the key itself. */
  private static String keyMaterial(String arg) throws IOException {
    Path p = Path.of(arg);
    return Files.isRegularFile(p) ? Files.readString(p) : arg;
  }

  /** Written to a temporary file and moved into place, so a failed build never leaves half a bundle. */
  private void write(Bundle b) throws IOException {
    Path abs = output.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), ".gatehouse-build", ".tmp");
    try {
      try (OutputStream os = Files.newOutputStream(tmp)) {
        b.writeTarGz(os);
      }
      // A temporary file is created 0600; a bundle is meant to be served and read, 0644 as opa writes it.
      try {
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException notPosix) {
        // the file system's defaults apply
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
