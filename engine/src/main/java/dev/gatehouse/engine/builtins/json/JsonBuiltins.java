package dev.gatehouse.engine.builtins.json;

import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_ARRAY;
import static dev.gatehouse.engine.types.Types.ANY_OBJECT;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.NULL;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.setOf;
import static dev.gatehouse.engine.types.Types.tuple;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinProvider;
import dev.gatehouse.engine.builtins.core.Args;
import dev.gatehouse.engine.builtins.core.Def;
import dev.gatehouse.engine.types.Type;
import dev.gatehouse.engine.types.Types;
import dev.gatehouse.engine.value.ObjectValue;
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
        Def.def("json.filter", "Filters the object. For example: `json.filter({\"a\": {\"b\": \"x\", \"c\": \"y\"}}, [\"a/b\"])` will result in `{\"a\": {\"b\": \"x\"}}`). Paths are not filtered in-order and are deduplicated before being evaluated.")
            .categories("object")
            .arg("object", "object to filter", Types.objectOf(Types.ANY, Types.ANY))
            .arg("paths", "JSON string paths", Types.any(Types.arrayOf(Types.any(Types.STRING, Types.arrayOf(Types.ANY))), Types.setOf(Types.any(Types.STRING, Types.arrayOf(Types.ANY)))))
            .returns("filtered", "remaining data from `object` with only keys specified in `paths`", Types.objectOf(Types.ANY, Types.ANY))
            .impl((c, a) -> {
              ObjectValue obj = Args.obj(a, 0);
              return JsonPaths.filter(obj, JsonPaths.Trie.of(JsonPaths.parseAll(a[1])));
            }),
        Def.def("json.remove", "Removes paths from an object. For example: `json.remove({\"a\": {\"b\": \"x\", \"c\": \"y\"}}, [\"a/b\"])` will result in `{\"a\": {\"c\": \"y\"}}`. Paths are not removed in-order and are deduplicated before being evaluated.")
            .categories("object")
            .arg("object", "object to remove paths from", Types.objectOf(Types.ANY, Types.ANY))
            .arg("paths", "JSON string paths", Types.any(Types.arrayOf(Types.any(Types.STRING, Types.arrayOf(Types.ANY))), Types.setOf(Types.any(Types.STRING, Types.arrayOf(Types.ANY)))))
            .returns("output", "result of removing all keys specified in `paths`", Types.objectOf(Types.ANY, Types.ANY))
            .impl((c, a) -> {
              ObjectValue obj = Args.obj(a, 0);
              return JsonPaths.remove(obj, JsonPaths.Trie.of(JsonPaths.parseAll(a[1])));
            }),
        Def.def("json.patch", "Patches an object according to RFC6902. For example: `json.patch({\"a\": {\"foo\": 1}}, [{\"op\": \"add\", \"path\": \"/a/bar\", \"value\": 2}])` results in `{\"a\": {\"foo\": 1, \"bar\": 2}`. The patches are applied atomically: if any of them fails, the result will be undefined. Additionally works on sets, where a value contained in the set is considered to be its path.")
            .categories("object")
            .arg("target", "the object, array or set to patch", Types.ANY)
            .arg("patches", "the JSON patches to apply", Types.arrayOf(new Type.Obj(List.of(new Type.Property("op", Types.STRING), new Type.Property("path", Types.ANY)), Types.ANY, Types.ANY)))
            .returns("output", "result obtained after consecutively applying all patch operations in `patches`", Types.ANY)
            .impl((c, a) -> JsonPatch.apply(a[0], Args.arr(a, 1))),
        Def.def("json.verify_schema", "Checks that the input is a valid JSON schema object. The schema can be either a JSON string or an JSON object. The `pattern` keyword, if present, is compiled using Go's RE2 regex dialect; schemas relying on ECMA-262 features that RE2 does not support (e.g. negative lookahead) will be rejected.")
            .categories("object")
            .arg("schema", "the schema to verify", Types.any(Types.STRING, Types.objectOf(Types.ANY, Types.ANY)))
            .returns("output", "`output` is of the form `[valid, error]`. If the schema is valid, then `valid` is `true`, and `error` is `null`. Otherwise, `valid` is `false` and `error` is a string describing the error.", Types.tuple(Types.BOOLEAN, Types.any(Types.NULL, Types.STRING)))
            .nondeterministic()
            .impl((c, a) -> JsonSchemas.verify(c, a[0])).nondet(),
        Def.def("json.match_schema", "Checks that the document matches the JSON schema. The `pattern` keyword is enforced using Go's RE2 regex dialect; schemas relying on ECMA-262 features that RE2 does not support (e.g. negative lookahead) will be rejected.")
            .categories("object")
            .arg("document", "document to verify by schema", Types.any(Types.STRING, Types.objectOf(Types.ANY, Types.ANY)))
            .arg("schema", "schema to verify document by", Types.any(Types.STRING, Types.objectOf(Types.ANY, Types.ANY)))
            .returns("output", "`output` is of the form `[match, errors]`. If the document is valid given the schema, then `match` is `true`, and `errors` is an empty array. Otherwise, `match` is `false` and `errors` is an array of objects describing the error(s).", Types.tuple(Types.BOOLEAN, Types.arrayOf(new Type.Obj(List.of(new Type.Property("desc", Types.STRING), new Type.Property("error", Types.STRING), new Type.Property("field", Types.STRING), new Type.Property("type", Types.STRING)), null, null))))
            .nondeterministic()
            .impl((c, a) -> JsonSchemas.match(c, a[0], a[1])).nondet());
  }
}
