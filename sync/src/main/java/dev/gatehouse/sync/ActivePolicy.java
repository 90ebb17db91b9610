package dev.gatehouse.sync;

public record ActivePolicy(dev.gatehouse.engine.Policy policy, java.util.Map<String,String> revisions, java.time.Instant activatedAt) {}
