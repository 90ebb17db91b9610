package dev.gatehouse.engine.parse;

import dev.gatehouse.engine.ast.Location;

/** A parse error found while scanning or parsing; turned into a rego_parse_error. */
record ParseProblem(String message, Location location) {}
