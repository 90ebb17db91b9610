package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.MalformedAstException;
import dev.gatehouse.engine.builtins.graphql.GraphQLError;
import dev.gatehouse.engine.builtins.graphql.ast.QueryDocument;
import java.util.List;

/** Validates a query document against a schema with gqlparser's default rules. */
public final class QueryValidator {
  private QueryValidator() {}

  /**
   * All errors, in the order gqlparser finds them: walk order, and for one node, rule-name order.
   *
   * @throws ValidationLimitExceeded when the document is too deep or costly to follow
   * @throws MalformedAstException for decoded ASTs validation cannot work with
   */
  public static List<GraphQLError> validate(Schema schema, QueryDocument document) {
    // sorted by rule name, as gqlparser runs them
    List<Rule> rules = List.of(
        new FieldsOnCorrectType(),
        new FragmentsOnCompositeTypes(),
        new KnownArgumentNames(),
        new KnownDirectives(),
        new KnownFragmentNames(),
        new KnownRootType(),
        new KnownTypeNames(),
        new LoneAnonymousOperation(),
        new MaxIntrospectionDepth(),
        new NoFragmentCycles(),
        new NoUndefinedVariables(),
        new NoUnusedFragments(),
        new NoUnusedVariables(),
        new OverlappingFieldsCanBeMerged(),
        new PossibleFragmentSpreads(),
        new ProvidedRequiredArguments(),
        new ScalarLeafs(),
        new SingleFieldSubscriptions(),
        new UniqueArgumentNames(),
        new UniqueDirectivesPerLocation(),
        new UniqueFragmentNames(),
        new UniqueInputFieldNames(),
        new UniqueOperationNames(),
        new UniqueVariableNames(),
        new ValuesOfCorrectType(),
        new VariablesAreInputTypes(),
        new VariablesInAllowedPosition());
    return new Walker(schema, document, rules).walk();
  }
}
