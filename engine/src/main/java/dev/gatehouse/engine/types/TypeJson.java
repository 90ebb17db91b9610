package dev.gatehouse.engine.types;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.engine.value.Values;
import java.util.ArrayList;
import java.util.List;

/** A {@link Type} as the JSON {@code decl} of {@code opa capabilities} (keys sort as Go marshals maps). */
public final class TypeJson {
  private TypeJson() {}

  public static Value toValue(Type t) {
    ObjectValue.Builder b = ObjectValue.builder();
    write(t, b);
    return b.build();
  }

  private static void write(Type t, ObjectValue.Builder b) {
    if (t instanceof Type.Named n) {
      b.put("name", StringValue.of(n.name()));
      if (n.description() != null) {
        b.put("description", StringValue.of(n.description()));
      }
      write(n.type(), b);
    } else if (t instanceof Type.Any a) {
      b.put("type", StringValue.of("any"));
      if (!a.of().isEmpty()) {
        b.put("of", list(a.of()));
      }
    } else if (t instanceof Type.Null) {
      b.put("type", StringValue.of("null"));
    } else if (t instanceof Type.Bool) {
      b.put("type", StringValue.of("boolean"));
    } else if (t instanceof Type.Num) {
      b.put("type", StringValue.of("number"));
    } else if (t instanceof Type.Str) {
      b.put("type", StringValue.of("string"));
    } else if (t instanceof Type.Arr a) {
      b.put("type", StringValue.of("array"));
      if (!a.staticTypes().isEmpty()) {
        b.put("static", list(a.staticTypes()));
      }
      if (a.dynamic() != null) {
        b.put("dynamic", toValue(a.dynamic()));
      }
    } else if (t instanceof Type.SetOf s) {
      b.put("type", StringValue.of("set"));
      b.put("of", toValue(s.of()));
    } else if (t instanceof Type.Obj o) {
      b.put("type", StringValue.of("object"));
      if (!o.staticProps().isEmpty()) {
        List<Value> props = new ArrayList<>();
        for (Type.Property p : o.staticProps()) {
          props.add(ObjectValue.of("key", Values.of(p.key()), "value", toValue(p.value())));
        }
        b.put("static", ArrayValue.of(props));
      }
      if (o.dynamicKey() != null) {
        b.put("dynamic", ObjectValue.of("key", toValue(o.dynamicKey()), "value", toValue(o.dynamicValue())));
      }
    } else if (t instanceof Type.Func f) {
      b.put("type", StringValue.of("function"));
      if (!f.args().isEmpty()) {
        b.put("args", list(f.args()));
      }
      if (f.result() != null) {
        b.put("result", toValue(f.result()));
      }
      if (f.variadic() != null) {
        b.put("variadic", toValue(f.variadic()));
      }
    }
  }

  private static Value list(List<Type> ts) {
    List<Value> out = new ArrayList<>();
    for (Type t : ts) {
      out.add(toValue(t));
    }
    return ArrayValue.of(out);
  }
}
