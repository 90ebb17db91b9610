package dev.gatehouse.injector.admission;

import java.util.ArrayList;
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
