package dev.gatehouse.cli;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinRegistry;
import dev.gatehouse.engine.types.TypeJson;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gatehouse capabilities}: the builtins this engine implements, in opa capabilities JSON. */
@Command(name = "capabilities", mixinStandardHelpOptions = true,
    description = "Print the builtins this engine implements, in the JSON shape of opa capabilities --current.")
final class CapabilitiesCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    List<Builtin> all = new ArrayList<>(BuiltinRegistry.defaults().all());
    all.sort(Comparator.comparing(Builtin::name));
    List<Value> builtins = new ArrayList<>();
    for (Builtin b : all) {
      ObjectValue.Builder o = ObjectValue.builder()
          .put("name", StringValue.of(b.name()))
          .put("decl", TypeJson.toValue(b.decl()));
      if (b.infix() != null) {
        o.put("infix", StringValue.of(b.infix()));
      }
      if (!b.categories().isEmpty()) {
        o.put("categories", ArrayValue.of(b.categories().stream().map(StringValue::of).toList()));
      }
      if (b.nondeterministic()) {
        o.put("nondeterministic", BooleanValue.TRUE);
      }
      if (b.deprecated()) {
        o.put("deprecated", BooleanValue.TRUE);
      }
      if (b instanceof dev.gatehouse.engine.builtins.RelationBuiltin) {
        o.put("relation", BooleanValue.TRUE);
      }
      builtins.add(o.build());
    }
    Value doc = ObjectValue.of(
        "builtins", ArrayValue.of(builtins),
        "future_keywords", ArrayValue.of(StringValue.of("contains"), StringValue.of("every"), StringValue.of("if"),
            StringValue.of("in")),
        "features", ArrayValue.of(StringValue.of("keywords_in_refs"), StringValue.of("rego_v1"),
            StringValue.of("template_strings")));
    spec.commandLine().getOut().println(Json.writeIndented(doc, "  "));
    return 0;
  }
}
