package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Unmodifiable copies that keep null elements: AST objects decoded from policies may hold them. */
final class Lists {
  private Lists() {}

  static <T> List<T> copy(List<T> list) {
    return list.isEmpty() ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
  }
}
