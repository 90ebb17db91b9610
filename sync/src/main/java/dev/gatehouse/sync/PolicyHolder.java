package dev.gatehouse.sync;

public interface PolicyHolder { java.util.Optional<ActivePolicy> current(); }
