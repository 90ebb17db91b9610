package dev.gatehouse.controlplane.service;

import dev.gatehouse.controlplane.notify.Notification;
import dev.gatehouse.controlplane.store.AuditEvent;
import java.util.List;

/** What the service tells the rest of the control plane after a transaction commits. */
public interface Hooks {
  /** The grants bundle's content changed (wake long-polls). */
  void grantsChanged(long sequence);

  /** Events appended to the audit chain, in order (SIEM export, tail followers). */
  void audited(List<AuditEvent> events);

  void notify(Notification n);

  Hooks NONE = new Hooks() {
    @Override
    public void grantsChanged(long sequence) {}

    @Override
    public void audited(List<AuditEvent> events) {}

    @Override
    public void notify(Notification n) {}
  };
}
