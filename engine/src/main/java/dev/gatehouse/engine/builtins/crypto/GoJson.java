package dev.gatehouse.engine.builtins.crypto;

import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The values Go's {@code encoding/json} produces for the field types of crypto structs, which is
 * what OPA returns after marshalling them: a nil slice or pointer is null, []byte is standard
 * base64, *big.Int is a plain number, time.Time is RFC 3339 with nanoseconds.
 */
final class GoJson {
  private GoJson() {}

  static Value bytes(byte[] b) {
    return b == null ? NullValue.INSTANCE : StringValue.of(GoBase64.encodeStd(b));
  }

  static Value string(String s) {
    return StringValue.of(s);
  }

  static Value strings(List<String> list) {
    return list(list, StringValue::of);
  }

  static Value integer(long v) {
    return NumberValue.of(v);
  }

  static Value big(BigInteger v) {
    return v == null ? NullValue.INSTANCE : NumberValue.of(v);
  }

  static Value bool(boolean b) {
    return BooleanValue.of(b);
  }

  /** An asn1.ObjectIdentifier: a JSON array of its arcs. */
  static Value oid(int[] oid) {
    Value[] arcs = new Value[oid.length];
    for (int i = 0; i < oid.length; i++) {
      arcs[i] = NumberValue.of(oid[i]);
    }
    return ArrayValue.wrap(arcs);
  }

  static Value oids(List<int[]> list) {
    return list(list, GoJson::oid);
  }

  static <T> Value list(List<T> list, Function<T, Value> each) {
    if (list == null) {
      return NullValue.INSTANCE;
    }
    List<Value> out = new ArrayList<>(list.size());
    for (T t : list) {
      out.add(each.apply(t));
    }
    return ArrayValue.of(out);
  }

  /** time.Time.MarshalJSON: RFC 3339 with trailing zeros of the fraction dropped, Z for UTC. */
  static Value time(OffsetDateTime t) {
    StringBuilder sb = new StringBuilder(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").format(t));
    int nanos = t.getNano();
    if (nanos != 0) {
      String frac = String.format("%09d", nanos);
      int end = frac.length();
      while (frac.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(frac, 0, end);
    }
    int offset = t.getOffset().getTotalSeconds();
    if (offset == 0) {
      sb.append('Z');
    } else {
      sb.append(offset < 0 ? '-' : '+');
      int abs = Math.abs(offset);
      sb.append(String.format("%02d:%02d", abs / 3600, (abs / 60) % 60));
    }
    return StringValue.of(sb.toString());
  }

  /** An object whose keys keep Go's field order (the order is irrelevant to Rego equality). */
  static ObjectValue.Builder object() {
    return ObjectValue.builder();
  }
}
