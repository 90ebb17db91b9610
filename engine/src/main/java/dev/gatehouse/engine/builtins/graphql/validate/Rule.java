package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Directive;
import dev.gatehouse.engine.builtins.graphql.ast.Field;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentSpread;
import dev.gatehouse.engine.builtins.graphql.ast.InlineFragment;
import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.ValueNode;
import dev.gatehouse.engine.builtins.graphql.ast.VariableDefinition;
import java.util.List;

/**
 * A validation rule: it observes the walk (each node after its children have been walked and
 * annotated) and reports errors. A fresh instance serves one validation, so rules may keep state.
 */
interface Rule {
  default void onOperation(Walker w, OperationDefinition op) {}

  default void onField(Walker w, Field field) {}

  default void onFragment(Walker w, FragmentDefinition fragment) {}

  default void onInlineFragment(Walker w, InlineFragment fragment) {}

  default void onFragmentSpread(Walker w, FragmentSpread spread) {}

  default void onDirective(Walker w, Directive directive) {}

  default void onDirectiveList(Walker w, List<Directive> directives) {}

  default void onValue(Walker w, ValueNode value) {}

  default void onVariable(Walker w, VariableDefinition variable) {}
}
