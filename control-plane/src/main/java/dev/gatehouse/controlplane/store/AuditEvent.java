package dev.gatehouse.controlplane.store;

/**
 * One link of the audit chain. {@code data} is JSON text kept byte for byte as hashed;
 * {@code hash} = SHA-256 over (prevHash, seq, at, type, actor, subject, data) — see
 * {@link dev.gatehouse.controlplane.audit.AuditChain}.
 */
public record AuditEvent(long seq, String at, String type, String actor, String subject, String data,
    String prevHash, String hash) {}
