package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gatehouse up: the walkthrough it prints, run command by command, does what it says. */
class UpCommandTest {
  @TempDir
  Path tmp;

  /** Shell words of one command line (double quotes, backslash-newline continuations). */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (any) {
          out.add(cur.toString());
          cur.setLength(0);
          any = false;
        }
      } else {
        cur.append(c);
        any = true;
      }
    }
    if (any) {
      out.add(cur.toString());
    }
    return out;
  }

  /** Replaces $(cat FILE) with the file's content, as the shell would. */
  static String substitute(String line) throws Exception {
    Matcher m = Pattern.compile("\\$\\(cat ([^)]+)\\)").matcher(line);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(Files.readString(Path.of(m.group(1))).strip()));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Runs a printed {@code curl -s -X METHOD -H "Authorization: …" URL} with the JDK's client. */
  static HttpResponse<String> curl(List<String> w) throws Exception {
    String method = w.get(w.indexOf("-X") + 1);
    String header = w.get(w.indexOf("-H") + 1);
    HttpRequest req = HttpRequest.newBuilder(URI.create(w.get(w.size() - 1)))
        .header(header.substring(0, header.indexOf(':')), header.substring(header.indexOf(':') + 1).strip())
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
  }

  /** A call through the sidecar, retried for up to 5 s until it answers with the expected status. */
  static HttpResponse<String> curlUntil(List<String> w, int status) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    HttpResponse<String> r = curl(w);
    while (r.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(100);
      r = curl(w);
    }
    return r;
  }

  @Test
  void theWalkthroughWorksAsPrinted() throws Exception {
    UpCommand up = new UpCommand();
    up.dataDir = tmp.resolve(".gatehouse");
    up.policies = Path.of("../policies").toAbsolutePath().normalize();
    up.port = 0;
    try (UpCommand.Stack stack = new UpCommand.Stack()) {
      UpCommand.Running running = up.startComponents(stack);
      String text = up.walkthrough(running);
      assertThat(text).contains(running.sidecarUrl(), "./gatehouse review approve REQ");
      // the web UI: its address is printed, and its sign-in page tells demo users where their tokens are
      String ui = running.controlPlane().url() + "/ui/";
      assertThat(text).contains("web UI         " + ui);
      HttpResponse<String> signIn = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ui + "signin")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(signIn.statusCode()).isEqualTo(200);
      assertThat(signIn.headers().firstValue("content-security-policy").orElse("")).contains("script-src 'self'");
      assertThat(signIn.body()).contains("id=\"token\"").contains(up.dataDir.resolve("tokens").toAbsolutePath().toString())
          .contains("alice, bob, carol, pat, zoe");
      // and a demo user signs in with the JWT in their token file, as the page says
      String cookie = signIn.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
      Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(signIn.body());
      assertThat(csrf.find()).isTrue();
      String carolToken = Files.readString(up.dataDir.resolve("tokens").resolve("carol")).strip();
      HttpResponse<String> in = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ui + "signin"))
          .header("cookie", cookie).header("origin", running.controlPlane().url())
          .header("content-type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1) + "&token=" + carolToken)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(in.statusCode()).isEqualTo(303);
      String session = in.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
      HttpResponse<String> mine = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ui + "mine"))
          .header("cookie", session).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(mine.body()).contains("<strong id=\"whoami\">carol</strong>");
      // the commands, continuation lines joined
      List<String> commands = new ArrayList<>();
      String pending = "";
      for (String raw : text.split("\n")) {
        String l = raw.strip();
        if (!pending.isEmpty()) {
          pending += " " + l;
        } else if (raw.startsWith("      ") && (l.startsWith("./gatehouse ") || l.startsWith("GATEHOUSE_TOKEN=")
            || l.startsWith("curl "))) {
          pending = l;
        } else {
          continue;
        }
        if (pending.endsWith("\\")) {
          pending = pending.substring(0, pending.length() - 1).strip();
        } else {
          commands.add(pending);
          pending = "";
        }
      }
      // call, create, approve, approve, list, call, revoke, call, the refused request, audit verify
      assertThat(commands).hasSize(10);
      String req = null;
      String grant = null;
      List<Integer> exits = new ArrayList<>();
      for (String c : commands) {
        List<String> w = new ArrayList<>(words(substitute(c)));
        if (w.get(0).equals("curl")) {
          boolean granted = grant != null && exits.size() < 6;
          HttpResponse<String> r = curlUntil(w, granted ? 200 : 403);
          exits.add(r.statusCode());
          if (granted) {
            assertThat(r.body()).contains("hello from the demo payments-api");
            assertThat(r.headers().firstValue("x-gatehouse-decision-id")).isPresent();
          } else {
            assertThat(r.body()).contains("gatehouse request create --service payments-api");
          }
          continue;
        }
        String token = running.tokens().get("bob"); // the profile's token
        if (w.get(0).startsWith("GATEHOUSE_TOKEN=")) {
          token = w.remove(0).substring("GATEHOUSE_TOKEN=".length());
        }
        assertThat(w.remove(0)).isEqualTo("./gatehouse");
        for (int i = 0; i < w.size(); i++) {
          if (w.get(i).equals("REQ")) {
            w.set(i, req);
          } else if (w.get(i).equals("GRANT")) {
            w.set(i, grant);
          }
        }
        w.addAll(List.of("--server", running.controlPlane().url(), "--token", token));
        Cli.Result r = Cli.run(w.toArray(String[]::new));
        exits.add(r.exit());
        if (w.get(0).equals("request") && r.exit() == 0 && req == null) {
          req = r.out().substring("Request ".length(), r.out().indexOf(':'));
        }
        if (w.get(0).equals("grant") && w.contains("--active")) {
          assertThat(r.out()).contains("alice,carol", "active");
          Cli.Result json = Cli.run("grant", "list", "--active", "-o", "json", "--server", running.controlPlane().url(),
              "--token", token);
          grant = new ObjectMapper().readTree(json.out()).at("/grants/0/id").asText();
        }
        if (w.get(0).equals("request") && c.contains("curious")) {
          assertThat(r.err()).contains("eligibility");
        }
      }
      assertThat(exits).containsExactly(403, 0, 0, 0, 0, 200, 0, 403, 1, 0);
      // The grant's issue and its revocation reached the sidecar as delta bundles from the
      // control plane (one changed grant each), not as full snapshots.
      String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(running.sidecarAdminUrl()
          + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).containsPattern("gatehouse_bundle_deltas_total\\{bundle=\"grants\",result=\"applied\"\\} [1-9]")
          .doesNotContain("result=\"refused\"");
    }
  }
}
