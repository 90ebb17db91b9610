package dev.gatehouse.engine.builtins;

import dev.gatehouse.engine.builtins.core.Def;
import dev.gatehouse.engine.types.Types;
import dev.gatehouse.engine.builtins.core.Args;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.List;

/**
 * Builtins the compiler answers itself: {@code rego.metadata.chain()} and {@code rego.metadata.rule()}
 * are replaced by constants computed from the calling rule's annotations, so their implementations
 * here are only reached through a dynamic call, which OPA does not allow either.
 */
public final class ExtBuiltins implements BuiltinProvider {
  @Override
  public List<Builtin> builtins() {
    return List.of(
        Def.def("rego.metadata.chain", "Returns the chain of metadata for the active rule.\nOrdered starting at the active rule, going outward to the most distant node in its package ancestry.\nA chain entry is a JSON document with two members: \"path\", an array representing the path of the node; and \"annotations\", a JSON document containing the annotations declared for the node.\nThe first entry in the chain always points to the active rule, even if it has no declared annotations (in which case the \"annotations\" member is not present).")
            .returns("chain", "each array entry represents a node in the path ancestry (chain) of the active rule that also has declared annotations", Types.arrayOf(Types.ANY))
            .impl((c, a) -> c.metadataChain()),
        Def.def("rego.metadata.rule", "Returns annotations declared for the active rule and using the _rule_ scope.")
            .returns("output", "\"rule\" scope annotations for this rule; empty object if no annotations exist", Types.ANY)
            .impl((c, a) -> c.metadataRule()),
        // Template strings compile to the evaluator's own node; this is the call form OPA's
        // compiler emits, for policies that spell it out: one set per part, as print takes them.
        Def.def("internal.template_string")
            .arg(Types.arrayOf(Types.ANY))
            .returns(Types.STRING)
            .impl(ExtBuiltins::templateString),
        // The test runner replaces this with one that records parameterized test cases.
        Def.def("internal.test_case")
            .arg(Types.arrayOf(Types.ANY))
            .impl((c, a) -> BooleanValue.TRUE));
  }

  private static Value templateString(BuiltinContext c, Value[] a) {
    StringBuilder sb = new StringBuilder();
    for (Value part : Args.arr(a, 0).elements()) {
      Value v = part;
      if (part instanceof SetValue set) {
        if (set.isEmpty()) {
          sb.append("<undefined>");
          continue;
        }
        if (set.size() > 1) {
          throw BuiltinException.fatal("template-strings must not produce multiple outputs");
        }
        v = set.sorted().get(0);
      }
      sb.append(v instanceof StringValue str ? str.value() : v.toString());
    }
    return StringValue.of(sb.toString());
  }
}
