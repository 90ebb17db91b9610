package dev.gatehouse.engine.builtins.json;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_ARRAY;
import static dev.gatehouse.engine.types.Types.ANY_OBJECT;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.NULL;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.func;
import static dev.gatehouse.engine.types.Types.named;
import static dev.gatehouse.engine.types.Types.setOf;
import static dev.gatehouse.engine.types.Types.tuple;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinProvider;
import dev.gatehouse.engine.builtins.core.Args;
import dev.gatehouse.engine.builtins.core.Fn;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.Value;
import java.util.List;

/** json.filter, json.remove, json.patch, json.verify_schema and json.match_schema. */
public final class JsonBuiltins implements BuiltinProvider {
  private static final Type PATHS = any(arrayOf(any(STRING, ANY_ARRAY)), setOf(any(STRING, ANY_ARRAY)));
  private static final Type STRING_OR_OBJECT = any(STRING, ANY_OBJECT);
  private static final Type PATCH = new Type.Obj(
      List.of(new Type.Property("op", STRING), new Type.Property("path", ANY)), ANY, ANY);

  @Override
  public List<Builtin> builtins() {
    return List.of(
        Fn.of("object", "json.filter", func(named("filtered", ANY_OBJECT),
            named("object", ANY_OBJECT), named("paths", PATHS)), (c, a) -> {
              ObjectValue obj = Args.obj(a, 0);
              return JsonPaths.filter(obj, JsonPaths.Trie.of(JsonPaths.parseAll(a[1])));
            }),
        Fn.of("object", "json.remove", func(named("output", ANY_OBJECT),
            named("object", ANY_OBJECT), named("paths", PATHS)), (c, a) -> {
              ObjectValue obj = Args.obj(a, 0);
              return JsonPaths.remove(obj, JsonPaths.Trie.of(JsonPaths.parseAll(a[1])));
            }),
        Fn.of("object", "json.patch", func(named("output", ANY),
            named("target", ANY), named("patches", arrayOf(PATCH))),
            (c, a) -> JsonPatch.apply(a[0], Args.arr(a, 1))),
        Fn.of("object", "json.verify_schema", func(named("output", tuple(BOOLEAN, any(NULL, STRING))),
            named("schema", STRING_OR_OBJECT)), (c, a) -> JsonSchemas.verify(c, a[0])).nondet(),
        Fn.of("object", "json.match_schema", func(named("output", tuple(BOOLEAN, arrayOf(new Type.Obj(List.of(
                new Type.Property("desc", STRING), new Type.Property("error", STRING),
                new Type.Property("field", STRING), new Type.Property("type", STRING)), null, null)))),
            named("document", STRING_OR_OBJECT), named("schema", STRING_OR_OBJECT)),
            (c, a) -> JsonSchemas.match(c, a[0], a[1])).nondet());
  }
}
