package dev.gatehouse.engine.builtins.graphql;

import dev.gatehouse.engine.builtins.graphql.ast.Position;
import java.util.ArrayList;
import java.util.List;

/**
 * A GraphQL syntax or validation error as gqlparser reports it: a message, the places it refers
 * to and the source file name ({@code ""} means the caller's text, shown as {@code input}).
 */
public record GraphQLError(String message, List<int[]> locations, String file) {

  public GraphQLError {
    locations = List.copyOf(locations);
  }

  /** An error at a line and column. */
  public static GraphQLError at(String file, int line, int column, String message) {
    return new GraphQLError(message, List.<int[]>of(new int[] {line, column}), file);
  }

  /** An error at a node's position; a missing position (decoded ASTs) reads as line and column -1. */
  public static GraphQLError at(Position pos, String message) {
    return pos == null ? at("", -1, -1, message) : at(pos.sourceName(), pos.line(), pos.column(), message);
  }

  /** An error with no location. */
  public static GraphQLError of(String message) {
    return new GraphQLError(message, List.of(), "");
  }

  /** gqlparser's error text: {@code input:3:5: message} (file defaults to {@code input}). */
  public String goText() {
    StringBuilder sb = new StringBuilder(file.isEmpty() ? "input" : file);
    if (!locations.isEmpty()) {
      sb.append(':').append(locations.get(0)[0]).append(':').append(locations.get(0)[1]);
    }
    return sb.append(": ").append(message).toString();
  }

  /** The text of an error list: every error followed by a newline. */
  public static String listText(List<GraphQLError> errors) {
    StringBuilder sb = new StringBuilder();
    for (GraphQLError e : errors) {
      sb.append(e.goText()).append('\n');
    }
    return sb.toString();
  }

  /** Builds up a validation error from parts, the way gqlparser's rules do. */
  public static final class Builder {
    private final StringBuilder message = new StringBuilder();
    private final List<int[]> locations = new ArrayList<>();
    private String file = "";

    public Builder message(String text) {
      message.append(text);
      return this;
    }

    /** Adds a location; null positions (decoded ASTs) add nothing. */
    public Builder at(Position pos) {
      if (pos != null) {
        locations.add(new int[] {pos.line(), pos.column()});
        if (!pos.sourceName().isEmpty()) {
          file = pos.sourceName();
        }
      }
      return this;
    }

    public GraphQLError build() {
      return new GraphQLError(message.toString(), locations, file);
    }
  }
}
