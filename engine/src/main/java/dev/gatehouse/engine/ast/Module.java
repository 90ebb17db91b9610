package dev.gatehouse.engine.ast;

import java.util.List;

/** One parsed Rego file. */
public record Module(Package pkg, List<Import> imports, List<Rule> rules, List<Annotations> annotations,
    List<Comment> comments, RegoVersion regoVersion, String file) {
  public Module {
    imports = List.copyOf(imports);
    rules = List.copyOf(rules);
    annotations = List.copyOf(annotations);
    comments = List.copyOf(comments);
  }
}
