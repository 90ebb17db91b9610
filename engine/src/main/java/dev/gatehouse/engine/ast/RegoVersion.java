package dev.gatehouse.engine.ast;

/** The language version a module is written in: v1 (OPA 1.x default) or v0 (legacy syntax). */
public enum RegoVersion {
  V0,
  V1
}
