package dev.gatehouse.injector.admission;

import dev.gatehouse.injector.policy.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps admission warnings within what the API server passes on unchanged. It writes warnings as
 * HTTP {@code Warning} headers: at most 4 KiB in all, and when that is exceeded each is cut to
 * 256 characters and the rest dropped in order (KEP-1693). Doing the same here, deliberately,
 * means the client sees whole messages and a note saying how many were left out, instead of an
 * arbitrary cut; control characters (invalid in headers) become spaces.
 */
public final class Warnings {
  public static final int MAX_EACH = 256;
  public static final int MAX_TOTAL = 4096;

  private Warnings() {}

  /**
   * The warnings for kubectl: each warn finding once as {@code [rule] msg}, then the decision's own
   * warnings that do not repeat a finding (a policy may list its warn findings there too, as
   * {@code rule: msg} or {@code [rule] msg}; they would otherwise reach the user twice).
   */
  public static List<String> merge(List<Violation> warn, List<String> decisionWarnings) {
    List<String> out = new ArrayList<>();
    Set<String> findings = new HashSet<>();
    for (Violation v : warn) {
      out.add(v.render());
      findings.add(clean(v.render()));
      findings.add(clean(v.rule() + ": " + v.msg()));
      findings.add(clean(v.msg()));
    }
    for (String w : decisionWarnings) {
      if (!findings.contains(clean(w))) {
        out.add(w);
      }
    }
    return out;
  }

  public static List<String> limit(List<String> warnings) {
    Set<String> unique = new LinkedHashSet<>();
    for (String w : warnings) {
      String clean = clean(w);
      if (!clean.isEmpty()) {
        unique.add(clean.length() > MAX_EACH ? clean.substring(0, MAX_EACH - 3) + "..." : clean);
      }
    }
    List<String> out = new ArrayList<>();
    int total = 0;
    int i = 0;
    List<String> all = new ArrayList<>(unique);
    for (; i < all.size(); i++) {
      String w = all.get(i);
      int remaining = all.size() - i - 1;
      // Leave room for the "N more" note unless this is the last warning.
      int reserve = remaining > 0 ? 64 : 0;
      if (total + w.length() + reserve > MAX_TOTAL) {
        break;
      }
      out.add(w);
      total += w.length();
    }
    if (i < all.size()) {
      out.add("[gatehouse] " + (all.size() - i) + " more warning(s) not shown");
    }
    return out;
  }

  private static String clean(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(Character.isISOControl(c) ? ' ' : c);
    }
    return sb.toString().strip();
  }
}
