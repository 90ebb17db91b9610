package dev.gatehouse.impact.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tests whose outcome the change moves: failing (or erroring) in head but passing in base or new
 * there, and the reverse.
 *
 * @param newlyFailing {@code name (file:row)} of head's failing tests that passed in base or did not exist
 * @param fixed tests failing in base that pass in head
 */
public record TestChanges(List<String> newlyFailing, List<String> fixed) {
  public static TestChanges compare(TestOutcomes base, TestOutcomes head) {
    List<String> failing = new ArrayList<>();
    List<String> fixed = new ArrayList<>();
    for (Map.Entry<String, String> e : head.outcomes().entrySet()) {
      String was = base.outcomes().get(e.getKey());
      boolean bad = e.getValue().equals("FAIL") || e.getValue().equals("ERROR");
      boolean wasBad = "FAIL".equals(was) || "ERROR".equals(was);
      String where = e.getKey() + " (" + head.locations().get(e.getKey()) + ")";
      if (bad && !wasBad) {
        failing.add(where + (was == null ? ": new test, " : ": ") + e.getValue());
      } else if (!bad && wasBad && e.getValue().equals("PASS")) {
        fixed.add(where);
      }
    }
    return new TestChanges(failing, fixed);
  }
}
