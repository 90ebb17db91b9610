package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.Builtin;
import java.util.ArrayList;
import java.util.List;

/** Every category of this package, in one list. */
public final class Categories {
  private Categories() {}

  public static List<Builtin> all() {
    List<Builtin> all = new ArrayList<>();
    all.addAll(Operators.all());
    all.addAll(Collections.all());
    all.addAll(Strings.all());
    all.addAll(Patterns.all());
    all.addAll(Encoding.all());
    all.addAll(Times.all());
    all.addAll(Misc.all());
    all.addAll(Net.all());
    return all;
  }
}
