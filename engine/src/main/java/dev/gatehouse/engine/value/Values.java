package dev.gatehouse.engine.value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Conversions between Rego values and plain Java objects (maps, lists, strings, numbers). */
public final class Values {
  private Values() {}

  /**
   * Converts a Java object: null, Boolean, Number, CharSequence, Map (any keys), Collection or
   * array (a {@link Set} becomes a Rego set), or a {@link Value} as is.
   */
  public static Value of(Object o) {
    if (o == null) {
      return NullValue.INSTANCE;
    }
    if (o instanceof Value v) {
      return v;
    }
    if (o instanceof Boolean b) {
      return BooleanValue.of(b);
    }
    if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
      return NumberValue.of(((Number) o).longValue());
    }
    if (o instanceof BigInteger bi) {
      return NumberValue.of(bi);
    }
    if (o instanceof BigDecimal bd) {
      return NumberValue.of(bd);
    }
    if (o instanceof Number n) {
      return NumberValue.of(n.doubleValue());
    }
    if (o instanceof CharSequence s) {
      return StringValue.of(s.toString());
    }
    if (o instanceof Map<?, ?> m) {
      ObjectValue.Builder b = ObjectValue.builder();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.put(of(e.getKey()), of(e.getValue()));
      }
      return b.build();
    }
    if (o instanceof Set<?> s) {
      SetValue.Builder b = SetValue.builder();
      for (Object e : s) {
        b.add(of(e));
      }
      return b.build();
    }
    if (o instanceof Collection<?> c) {
      List<Value> l = new ArrayList<>(c.size());
      for (Object e : c) {
        l.add(of(e));
      }
      return ArrayValue.of(l);
    }
    if (o instanceof Object[] arr) {
      return of(List.of(arr));
    }
    throw new IllegalArgumentException("cannot convert " + o.getClass().getName() + " to a Rego value");
  }

  /**
   * Converts to plain Java: null, Boolean, Long/BigInteger/BigDecimal, String, List, Set and Map
   * (insertion order of the sorted keys).
   */
  public static Object toJava(Value v) {
    switch (v.typeOrder()) {
      case 0:
        return null;
      case 1:
        return ((BooleanValue) v).value();
      case 2: {
        NumberValue n = (NumberValue) v;
        return n.isLong() ? (Object) n.longValue() : n.isInteger() ? n.bigIntegerValue() : n.bigDecimalValue();
      }
      case 3:
        return ((StringValue) v).value();
      case 4: {
        ArrayValue a = (ArrayValue) v;
        List<Object> l = new ArrayList<>(a.size());
        for (Value e : a.elements()) {
          l.add(toJava(e));
        }
        return l;
      }
      case 6: {
        Set<Object> out = new LinkedHashSet<>();
        for (Value e : (SetValue) v) {
          out.add(toJava(e));
        }
        return out;
      }
      default: {
        Map<Object, Object> m = new LinkedHashMap<>();
        ((ObjectValue) v).forEach((k, val) -> m.put(toJava(k), toJava(val)));
        return m;
      }
    }
  }

  /** True when the value is a string, number, boolean or null. */
  public static boolean isScalar(Value v) {
    return v.typeOrder() <= 3;
  }

  public static StringValue str(String s) {
    return StringValue.of(s);
  }

  public static NumberValue num(long n) {
    return NumberValue.of(n);
  }
}
