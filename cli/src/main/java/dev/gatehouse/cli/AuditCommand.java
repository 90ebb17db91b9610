package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.controlplane.audit.AuditChain;
import dev.gatehouse.controlplane.store.AuditEvent;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatehouse audit verify|tail}: the control plane's hash-chained audit log (role auditor or admin). */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {"Verify and follow the control plane's hash-chained audit log (needs the auditor or admin role).",
        "Exit codes: 0 ok, 1 the chain is broken (the first broken link is named) or the server refused, 2 usage or connection error."},
    subcommands = {AuditCommand.Verify.class, AuditCommand.Tail.class})
final class AuditCommand implements Runnable, ClientCommand {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static AuditEvent event(JsonNode e) {
    return new AuditEvent(e.path("seq").asLong(), e.path("at").asText(), e.path("type").asText(), e.path("actor").asText(),
        e.path("subject").asText(), e.path("data_raw").asText(), e.path("prev_hash").asText(), e.path("hash").asText());
  }

  /** Pages through {@code /api/v1/audit} from {@code from}; stops at the end. */
  static final class Pages {
    final ApiClient api;
    long next;
    JsonNode lastPage;

    Pages(ApiClient api, long from) {
      this.api = api;
      this.next = from;
    }

    /** The next page of events, empty at the end; throws Refused with the response when the server refuses. */
    List<JsonNode> page() {
      ApiClient.Response r = api.get("/api/v1/audit?from=" + next + "&limit=1000");
      if (!r.ok()) {
        throw new Refused(r);
      }
      lastPage = r.json();
      List<JsonNode> out = new ArrayList<>();
      r.json().path("events").forEach(out::add);
      if (!out.isEmpty()) {
        next = out.get(out.size() - 1).path("seq").asLong() + 1;
      }
      return out;
    }
  }

  static final class Refused extends RuntimeException {
    final transient ApiClient.Response response;

    Refused(ApiClient.Response r) {
      super("refused", null, false, false);
      this.response = r;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Download the chain and check every link here (hashes, order, the signed chain head).")
  static final class Verify implements Callable<Integer>, ClientCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Options conn = new Options();

    @Option(names = "--from", defaultValue = "1", paramLabel = "N", description = "First event to check (default 1: the whole chain).")
    long from;

    @Override
    public Integer call() {
      return ClientCommand.run(spec, () -> {
        if (from < 1) {
          throw new UsageError("--from must be at least 1");
        }
        ApiClient api = conn.client();
        Pages pages = new Pages(api, from);
        AuditChain.Verifier v = new AuditChain.Verifier(from);
        Map<Long, String> hashes = new HashMap<>();
        JsonNode head = null;
        try {
          while (true) {
            List<JsonNode> page = pages.page();
            if (page.isEmpty()) {
              break;
            }
            if (pages.lastPage.path("heads").size() > 0) {
              head = pages.lastPage.path("heads").get(0);
            }
            List<AuditEvent> events = new ArrayList<>();
            for (JsonNode e : page) {
              AuditEvent ev = event(e);
              events.add(ev);
              hashes.put(ev.seq(), ev.hash());
            }
            if (!v.feed(events)) {
              break;
            }
          }
          if (pages.lastPage != null && pages.lastPage.path("heads").size() > 0) {
            head = pages.lastPage.path("heads").get(0);
          }
        } catch (Refused r) {
          return ClientCommand.refused(spec, r.response, conn.json());
        }
        String headNote = "";
        if (head != null && head.path("seq").asLong() >= from) {
          String err = checkHeadSignature(api, head);
          if (err != null) {
            return report(false, v.result().checked(), head.path("seq").asLong(), err);
          }
          v.checkHead(head.path("seq").asLong(), head.path("hash").asText(), hashes::get);
          headNote = "; signed head at event " + head.path("seq").asLong() + " matches";
        }
        AuditChain.Result res = v.result();
        if (!res.ok()) {
          return report(false, res.checked(), res.firstBroken(), res.reason());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (conn.json()) {
          out.println(ApiClient.JSON.createObjectNode().put("ok", true).put("checked", res.checked())
              .put("head_seq", res.headSeq()).put("head_hash", res.headHash()).toPrettyString());
        } else {
          out.println("audit chain ok: " + res.checked() + " event(s) from " + from + " to " + res.headSeq() + ", head "
              + res.headHash() + headNote);
        }
        out.flush();
        return OK;
      });
    }

    private int report(boolean ok, long checked, long seq, String reason) {
      if (conn.json()) {
        spec.commandLine().getOut().println(ApiClient.JSON.createObjectNode().put("ok", ok).put("checked", checked)
            .put("first_broken", seq).put("reason", reason).toPrettyString());
        spec.commandLine().getOut().flush();
      }
      spec.commandLine().getErr().println("audit chain BROKEN at event " + seq + ": " + reason);
      spec.commandLine().getErr().flush();
      return REFUSED;
    }

    /** The head's JWS must verify with a key from the server's JWKS and carry the seq and hash it claims. */
    private static String checkHeadSignature(ApiClient api, JsonNode head) {
      try {
        ApiClient.Response keys = api.get("/api/v1/keys");
        JWKSet set = JWKSet.parse(keys.body());
        JWSObject jws = JWSObject.parse(head.path("jws").asText());
        JWK k = set.getKeyByKeyId(jws.getHeader().getKeyID());
        if (!(k instanceof ECKey ec) || !jws.verify(new ECDSAVerifier(ec))) {
          return "the signed chain head does not verify with the control plane's keys";
        }
        JsonNode p = ApiClient.JSON.readTree(jws.getPayload().toString());
        if (p.path("seq").asLong() != head.path("seq").asLong() || !p.path("hash").asText().equals(head.path("hash").asText())) {
          return "the signed chain head's payload differs from the head the server lists";
        }
        return null;
      } catch (Exception e) {
        return "the signed chain head cannot be checked: " + e.getMessage();
      }
    }
  }

  @Command(name = "tail", mixinStandardHelpOptions = true, description = "Print the latest events; -f keeps following.")
  static final class Tail implements Callable<Integer>, ClientCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    Options conn = new Options();

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events as they are appended.")
    boolean follow;

    @Option(names = {"-n", "--lines"}, defaultValue = "20", paramLabel = "N", description = "How many of the latest events (default 20).")
    int lines;

    @Override
    public Integer call() {
      return ClientCommand.run(spec, () -> {
        Pages pages = new Pages(conn.client(), 1);
        PrintWriter out = spec.commandLine().getOut();
        try {
          Deque<JsonNode> last = new ArrayDeque<>();
          while (true) {
            List<JsonNode> page = pages.page();
            if (page.isEmpty()) {
              break;
            }
            for (JsonNode e : page) {
              last.addLast(e);
              if (last.size() > Math.max(0, lines)) {
                last.removeFirst();
              }
            }
          }
          last.forEach(e -> print(out, e));
          out.flush();
          while (follow) {
            Thread.sleep(1000);
            for (List<JsonNode> page = pages.page(); !page.isEmpty(); page = pages.page()) {
              page.forEach(e -> print(out, e));
              out.flush();
            }
          }
        } catch (Refused r) {
          return ClientCommand.refused(spec, r.response, conn.json());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return OK;
      });
    }

    private void print(PrintWriter out, JsonNode e) {
      if (conn.json()) {
        out.println(e.toString());
      } else {
        out.println(e.path("seq").asLong() + "  " + e.path("at").asText() + "  " + String.format("%-20s", e.path("type").asText())
            + "  " + (e.path("actor").asText().isEmpty() ? "-" : e.path("actor").asText()) + "  "
            + (e.path("subject").asText().isEmpty() ? "-" : e.path("subject").asText()) + "  " + e.path("data_raw").asText());
      }
    }
  }
}
