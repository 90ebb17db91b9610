package dev.gatehouse.engine;

import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.value.Value;
import java.util.List;

/**
 * Compiled modules plus base data: immutable and shared by all threads. A new bundle means a new
 * Policy, swapped in atomically by the caller. Obtain one from {@link Rego#builder()}.
 */
public interface Policy {
  /**
   * Compiles an ad-hoc query such as {@code data.x.allow}, {@code data.x.p = y} or
   * {@code x := 1; y := x + 1}.
   *
   * @throws RegoException on parse or compile errors in the query
   */
  PreparedQuery prepare(String query);

  /** The modules as parsed (before compiler rewriting), in load order. */
  List<Module> modules();

  /** The base data document. */
  Value data();

  /**
   * The same compiled modules over other base data, without compiling again: for data-only
   * changes (a new grants bundle) where recompiling every module would be wasted work. The caller
   * keeps the data consistent with the modules (bundle roots checked, no data where rules are).
   *
   * @throws UnsupportedOperationException when this implementation cannot share its modules
   */
  default Policy withData(Value data) {
    throw new UnsupportedOperationException("withData is not supported by " + getClass().getName());
  }
}
