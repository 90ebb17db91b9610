package dev.gatehouse.engine.bundle;

import java.util.List;

/** Bundle roots are slash-separated paths into data; the empty root owns everything. */
final class Roots {
  private Roots() {}

  static boolean overlap(String a, String b) {
    List<String> x = segments(a);
    List<String> y = segments(b);
    return contains(x, y) || contains(y, x);
  }

  /** True when one of the roots contains the path (given as segments). */
  static boolean anyContains(List<String> roots, List<String> path) {
    for (String r : roots) {
      if (contains(segments(r), path)) {
        return true;
      }
    }
    return false;
  }

  static boolean contains(List<String> root, List<String> other) {
    if (root.size() == 1 && root.get(0).isEmpty()) {
      return true;
    }
    if (root.size() > other.size()) {
      return false;
    }
    return other.subList(0, root.size()).equals(root);
  }

  static List<String> segments(String path) {
    return List.of(path.split("/", -1));
  }
}
