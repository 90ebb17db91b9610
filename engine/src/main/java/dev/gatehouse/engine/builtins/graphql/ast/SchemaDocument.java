package dev.gatehouse.engine.builtins.graphql.ast;

import java.util.ArrayList;
import java.util.List;

/** A type-system document, its parts grouped by what they are, each in source order. */
public record SchemaDocument(List<SchemaDefinition> schema, List<SchemaDefinition> schemaExtension,
    List<DirectiveDefinition> directives, List<Definition> definitions, List<Definition> extensions, CommentGroup comment) {

  public SchemaDocument {
    schema = Lists.copy(schema);
    schemaExtension = Lists.copy(schemaExtension);
    directives = Lists.copy(directives);
    definitions = Lists.copy(definitions);
    extensions = Lists.copy(extensions);
  }

  /** This document's parts followed by {@code other}'s (comments are not carried over). */
  public SchemaDocument merge(SchemaDocument other) {
    return new SchemaDocument(concat(schema, other.schema), concat(schemaExtension, other.schemaExtension),
        concat(directives, other.directives), concat(definitions, other.definitions),
        concat(extensions, other.extensions), null);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a.size() + b.size());
    out.addAll(a);
    out.addAll(b);
    return out;
  }
}
