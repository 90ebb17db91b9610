package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.BuiltinException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * regex.globs_match: whether two "glob-style regular expressions" (only {@code .}, {@code *},
 * {@code +}, {@code [...]} with ranges, and {@code \} escapes are special; both are anchored)
 * match a common non-empty string. Each expression is a sequence of atoms with an optional
 * {@code *} or {@code +}; we search the product of the two sequences' automata for a shared
 * string of length at least one (two empty expressions intersect too, as in the library OPA
 * uses). Syntax errors read as that library's.
 */
final class GlobIntersection {
  private GlobIntersection() {}

  /** One atom: a single code point, any code point (dot), or a set; repeated per its flag. */
  private record Atom(int kind, int cp, Set<Integer> set, char flag) {
    static final int CHAR = 0;
    static final int DOT = 1;
    static final int SET = 2;
  }

  static boolean nonEmpty(String a, String b) {
    List<Atom> x = tokenize(a);
    List<Atom> y = tokenize(b);
    if (x.isEmpty() && y.isEmpty()) {
      return true; // the library OPA uses counts two empty expressions as intersecting
    }
    // states: (i, j, consumedAny); position i means "before atom i"
    int n = x.size();
    int m = y.size();
    BitSet seen = new BitSet();
    Deque<int[]> work = new ArrayDeque<>();
    push(work, seen, 0, 0, 0, n, m);
    while (!work.isEmpty()) {
      int[] s = work.poll();
      int i = s[0];
      int j = s[1];
      // epsilon moves: skip a starred atom
      if (i < n && x.get(i).flag() == '*') {
        push(work, seen, i + 1, j, s[2], n, m);
      }
      if (j < m && y.get(j).flag() == '*') {
        push(work, seen, i, j + 1, s[2], n, m);
      }
      if (i == n && j == m) {
        if (s[2] == 1) {
          return true;
        }
        continue;
      }
      if (i == n || j == m) {
        continue;
      }
      Atom p = x.get(i);
      Atom q = y.get(j);
      if (!overlap(p, q)) {
        continue;
      }
      // consume one character matched by both atoms; a repeated atom may stay
      boolean pStays = p.flag() != 0;
      boolean qStays = q.flag() != 0;
      push(work, seen, i + 1, j + 1, 1, n, m);
      if (pStays) {
        push(work, seen, i, j + 1, 1, n, m);
      }
      if (qStays) {
        push(work, seen, i + 1, j, 1, n, m);
      }
      if (pStays && qStays) {
        push(work, seen, i, j, 1, n, m);
      }
    }
    return false;
  }

  /**
   * A '+' atom is split into "atom then atom*" while tokenizing, so states only need to know
   * whether an atom may repeat; encoding (i, j, consumed) into one bit index.
   */
  private static void push(Deque<int[]> work, BitSet seen, int i, int j, int consumed, int n, int m) {
    int key = (i * (m + 1) + j) * 2 + consumed;
    if (!seen.get(key)) {
      seen.set(key);
      work.add(new int[] {i, j, consumed});
    }
  }

  /** Whether some single code point matches both atoms. */
  private static boolean overlap(Atom p, Atom q) {
    if (p.kind() == Atom.DOT) {
      return q.kind() != Atom.SET || !q.set().isEmpty();
    }
    if (q.kind() == Atom.DOT) {
      return p.kind() != Atom.SET || !p.set().isEmpty();
    }
    if (p.kind() == Atom.CHAR && q.kind() == Atom.CHAR) {
      return p.cp() == q.cp();
    }
    if (p.kind() == Atom.CHAR) {
      return q.set().contains(p.cp());
    }
    if (q.kind() == Atom.CHAR) {
      return p.set().contains(q.cp());
    }
    for (Integer cp : p.set()) {
      if (q.set().contains(cp)) {
        return true;
      }
    }
    return false;
  }

  private static List<Atom> tokenize(String s) {
    int[] in = s.codePoints().toArray();
    List<Atom> out = new ArrayList<>();
    int i = 0;
    while (i < in.length) {
      Atom atom;
      int r = in[i];
      if (r == '\\') {
        if (i == in.length - 1) {
          throw invalid(in, i, "input ends with a \\ (escape) character");
        }
        atom = new Atom(Atom.CHAR, in[i + 1], null, (char) 0);
        i += 2;
      } else if (r == '.') {
        atom = new Atom(Atom.DOT, 0, null, (char) 0);
        i++;
      } else if (r == ']') {
        throw invalid(in, i + 1, "set-close ']' with no preceding '['");
      } else if (r == '[') {
        i++;
        Set<Integer> set = new HashSet<>();
        boolean complete = false;
        boolean prevExists = false;
        int prev = 0;
        while (i < in.length) {
          int c = in[i];
          boolean escaped = false;
          if (c == '\\') {
            if (i == in.length - 1) {
              throw invalid(in, i, "input ends with a \\ (escape) character");
            }
            c = in[i + 1];
            escaped = true;
            i += 2;
          } else {
            i++;
          }
          if (!escaped && c == '-') {
            if (!prevExists) {
              throw invalid(in, i, "range character '-' must be preceded by a Unicode character");
            }
            if (i >= in.length - 1) {
              throw invalid(in, i, "range character '-' must be followed by a Unicode character");
            }
            int hi = in[i];
            boolean hiEscaped = false;
            if (hi == '\\') {
              if (i == in.length - 1) {
                throw invalid(in, i, "input ends with a \\ (escape) character");
              }
              hi = in[i + 1];
              hiEscaped = true;
              i += 2;
            } else {
              i++;
            }
            if (!hiEscaped && (hi == ']' || hi == '-')) {
              throw invalid(in, i, "range character '-' cannot be followed by a special symbol");
            }
            if (hi < prev) {
              throw invalid(in, i, "range is out of order: '" + new String(Character.toChars(hi)) + "' comes before '"
                  + new String(Character.toChars(prev)) + "' in Unicode");
            }
            for (int cp = prev; cp <= hi; cp++) {
              set.add(cp);
            }
            prevExists = false;
          } else if (!escaped && c == ']') {
            complete = true;
            break;
          } else {
            set.add(c);
            prev = c;
            prevExists = true;
          }
        }
        if (!complete) {
          throw invalid(in, i, "found [ without matching ]");
        }
        atom = new Atom(Atom.SET, 0, set, (char) 0);
      } else if (r == '*' || r == '+') {
        throw invalid(in, i + 1, "flag '" + (char) r + "' must be preceded by a non-flag");
      } else {
        atom = new Atom(Atom.CHAR, r, null, (char) 0);
        i++;
      }
      char flag = 0;
      if (i < in.length && (in[i] == '*' || in[i] == '+')) {
        flag = (char) in[i];
        i++;
      }
      if (flag == '+') {
        // x+ is x followed by x*
        out.add(atom);
        out.add(new Atom(atom.kind(), atom.cp(), atom.set(), '*'));
      } else {
        out.add(new Atom(atom.kind(), atom.cp(), atom.set(), flag));
      }
    }
    return out;
  }

  private static BuiltinException invalid(int[] input, int pos, String message) {
    return BuiltinException.error("input:" + new String(input, 0, input.length) + ", pos:" + pos + ", " + message
        + ": the input provided is invalid");
  }
}
