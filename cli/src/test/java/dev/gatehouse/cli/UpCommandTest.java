package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void theWalkthroughWorksAsPrinted() throws Exception {
    UpCommand up = new UpCommand();
    up.dataDir = tmp.resolve(".gatehouse");
    up.policies = Path.of("../policies").toAbsolutePath().normalize();
    up.port = 0;
    try (UpCommand.Stack stack = new UpCommand.Stack()) {
      UpCommand.Running running = up.startComponents(stack);
      String text = up.walkthrough(running);
      assertThat(text).contains(running.tokens().get("alice"), running.tokens().get("pat"), "./gatehouse review approve REQ");
      // the commands, continuation lines joined
      List<String> commands = new ArrayList<>();
      String pending = "";
      for (String raw : text.split("\n")) {
        String l = raw.strip();
        if (!pending.isEmpty()) {
          pending += " " + l;
        } else if (l.startsWith("./gatehouse ") || (l.startsWith("GATEHOUSE_TOKEN=") && raw.startsWith("      "))) {
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
      assertThat(commands).hasSize(7);
      String req = null;
      String grant = null;
      List<Integer> exits = new ArrayList<>();
      for (String c : commands) {
        List<String> w = new ArrayList<>(words(c));
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
        if (w.get(0).equals("grant") && w.contains("list") && !w.contains("--active")) {
          assertThat(r.out()).contains("revoked");
        }
        if (w.get(0).equals("request") && c.contains("curious")) {
          assertThat(r.err()).contains("eligibility", "zoe is not in a team");
        }
      }
      // create, approve, approve, list, revoke, list, the refused request
      assertThat(exits).containsExactly(0, 0, 0, 0, 0, 0, 1);
      Cli.Result audit = Cli.run("audit", "verify", "--server", running.controlPlane().url(), "--token",
          running.tokens().get("pat"));
      assertThat(audit.exit()).as(audit.err()).isZero();
    }
  }
}
