package dev.gatehouse.engine.ast;

import dev.gatehouse.engine.value.ObjectValue;

/**
 * A {@code # METADATA} block. {@code scope} is rule, document, package or subpackages (defaulted
 * as OPA defaults it); {@code document} is the parsed YAML with OPA's keys (title, description,
 * related_resources, authors, organizations, schemas, entrypoint, custom), exactly as
 * {@code rego.metadata.rule()} returns it apart from the location fields the evaluator adds.
 */
public record Annotations(String scope, ObjectValue document, Location location) {}
