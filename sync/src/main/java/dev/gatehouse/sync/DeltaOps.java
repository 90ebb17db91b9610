package dev.gatehouse.sync;

import dev.gatehouse.engine.bundle.BundleException;
import dev.gatehouse.engine.bundle.DataPatch;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.Value;
import dev.gatehouse.sync.grants.GrantVerifier;
import java.util.List;

/**
 * The operations of a grants delta, made safe to apply: every grant a delta brings (an element of
 * {@code /gatehouse/grants}, or the whole list) is replaced by its verified JWS payload, or by
 * {@link GrantVerifier#DROPPED} when its JWS fails, exactly as a snapshot's grants are. An
 * operation inside a grant ({@code /gatehouse/grants/3/subject}) is refused: the fields of a grant
 * come from its JWS only, never from the bundle around it.
 */
final class DeltaOps {
  private DeltaOps() {}

  static boolean touchesGrants(DataPatch.Op op) {
    List<String> p = op.segments();
    return p.size() <= 1 ? p.isEmpty() || p.get(0).equals("gatehouse") : p.get(0).equals("gatehouse") && p.get(1).equals("grants");
  }

  static DataPatch.Op verified(DataPatch.Op op, GrantVerifier verifier, List<GrantVerifier.Rejected> rejected) {
    List<String> p = op.segments();
    if (!touchesGrants(op)) {
      return op;
    }
    if (p.size() > 3) {
      throw new BundleException(op.op() + " " + op.path() + " edits a field inside a signed grant");
    }
    if (p.size() < 2) {
      // Replacing gatehouse or the whole document: a snapshot's job, not a delta's.
      throw new BundleException(op.op() + " " + op.path() + " replaces more than the grants list");
    }
    if (op.op().equals("remove")) {
      return op;
    }
    if (p.size() == 3) {
      return op.withValue(one(op.value(), verifier, rejected));
    }
    if (!(op.value() instanceof ArrayValue arr)) {
      throw new BundleException(op.op() + " " + op.path() + ": the grants list must be an array");
    }
    Value[] out = new Value[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = one(arr.get(i), verifier, rejected);
    }
    return op.withValue(ArrayValue.wrap(out));
  }

  private static Value one(Value entry, GrantVerifier verifier, List<GrantVerifier.Rejected> rejected) {
    GrantVerifier.Checked c = verifier.verifyEntry(entry);
    if (c.rejected() != null) {
      rejected.add(c.rejected());
      return GrantVerifier.DROPPED;
    }
    return c.payload();
  }
}
