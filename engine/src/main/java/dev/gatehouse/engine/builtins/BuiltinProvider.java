package dev.gatehouse.engine.builtins;

import java.util.List;

/**
 * The SPI for contributing builtins: each OPA category is one provider; custom builtins can be
 * added with a provider listed in {@code META-INF/services/dev.gatehouse.engine.builtins.BuiltinProvider}
 * or passed to the policy builder directly.
 */
public interface BuiltinProvider {
  List<Builtin> builtins();
}
