package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.List;

/** The run of comment lines directly before a token. */
public record CommentGroup(List<Comment> list) {
  public CommentGroup {
    list = Lists.copy(list);
  }
}
