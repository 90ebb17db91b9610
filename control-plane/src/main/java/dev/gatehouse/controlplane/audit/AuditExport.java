package dev.gatehouse.controlplane.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.controlplane.Jsons;
import dev.gatehouse.controlplane.store.AuditEvent;
import java.io.PrintStream;
import java.util.List;

/**
 * Audit events for a SIEM, after their transaction commits, in chain order: as JSON lines (stdout
 * or a file) and/or shipped in HTTP batches ({@link AuditShipper}). Each event carries the chain
 * fields, so the SIEM copy is verifiable too.
 */
public final class AuditExport {
  private final PrintStream out;
  private final AuditShipper shipper;

  public AuditExport(PrintStream out) {
    this(out, null);
  }

  /** Either may be null. */
  public AuditExport(PrintStream out, AuditShipper shipper) {
    this.out = out;
    this.shipper = shipper;
  }

  public static ObjectNode json(AuditEvent e) {
    ObjectNode o = Jsons.object().put("seq", e.seq()).put("at", e.at()).put("type", e.type()).put("actor", e.actor())
        .put("subject", e.subject());
    try {
      o.set("data", Jsons.parse(e.data()));
    } catch (IllegalArgumentException bad) {
      o.put("data", e.data());
    }
    o.put("data_raw", e.data());
    o.put("prev_hash", e.prevHash()).put("hash", e.hash());
    return o;
  }

  public synchronized void write(List<AuditEvent> events) {
    if (shipper != null) {
      shipper.offer(events);
    }
    if (out == null) {
      return;
    }
    for (AuditEvent e : events) {
      ObjectNode line = json(e);
      line.put("log", "gatehouse.audit");
      out.println(Jsons.write(line));
    }
    out.flush();
  }
}
