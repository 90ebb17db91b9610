package dev.gatehouse.engine.ast;

/** A {@code #} comment: text is what follows the {@code #}. Kept for the formatter. */
public record Comment(String text, Location location) {}
