package dev.gatehouse.engine.builtins.tokens;

import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The registered JOSE header parameters OPA reads (alg, kid, typ, cty, crit) and the names of
 * the others, checked as OPA checks them.
 */
record JoseHeader(String alg, String kid, String typ, String cty, Set<String> crit, List<String> unknown) {

  static JoseHeader parse(ObjectValue header) {
    String alg = "";
    String kid = "";
    String typ = "";
    String cty = "";
    Set<String> crit = null;
    List<String> unknown = new ArrayList<>();
    for (Value k : header.keys()) {
      String name = ((StringValue) k).value();
      Value v = header.get(k);
      switch (name) {
        case "alg" -> alg = string(name, v);
        case "kid" -> kid = string(name, v);
        case "typ" -> typ = string(name, v);
        case "cty" -> cty = string(name, v);
        case "crit" -> crit = crit(v);
        default -> unknown.add(name);
      }
    }
    return new JoseHeader(alg, kid, typ, cty, crit == null ? Set.of() : crit, unknown);
  }

  private static String string(String name, Value v) {
    if (!(v instanceof StringValue s)) {
      throw BuiltinException.error(name + ": must be a string");
    }
    return s.value();
  }

  /** OPA stops reading crit at its first non-string element without complaint. */
  private static Set<String> crit(Value v) {
    if (!(v instanceof ArrayValue a)) {
      throw BuiltinException.error("crit: must be a list");
    }
    Set<String> out = new HashSet<>();
    for (Value e : a.elements()) {
      if (!(e instanceof StringValue s)) {
        break;
      }
      out.add(s.value());
    }
    if (out.isEmpty()) {
      throw BuiltinException.error("crit: must be a nonempty list");
    }
    return out;
  }

  /** RFC 7515: alg is required, and every critical parameter must be understood. */
  boolean valid() {
    if (alg.isEmpty()) {
      return false;
    }
    for (String u : unknown) {
      if (crit.contains(u)) {
        return false;
      }
    }
    return true;
  }
}
