package dev.gatehouse.engine.format;

import dev.gatehouse.engine.format.Layout.Loc;

/**
 * Gives every node of a subtree one location, as OPA's parser does for the bodies of
 * {@code else ... if expr} and the heads of rules chained with {@code p { a } { b }}.
 */
final class LocRewriter {
  private LocRewriter() {}

  static void set(Layout.Head h, Loc l) {
    h.loc = l;
    h.ref.forEach(t -> set(t, l));
    h.args.forEach(t -> set(t, l));
    if (h.key != null) {
      set(h.key, l);
    }
    if (h.value != null) {
      set(h.value, l);
    }
  }

  static void set(Layout.Expr x, Loc l) {
    x.loc = l;
    if (x.term != null) {
      set(x.term, l);
    }
    x.call.forEach(t -> set(t, l));
    x.symbols.forEach(t -> set(t, l));
    for (Layout.Term t : new Layout.Term[] {x.everyKey, x.everyValue, x.domain}) {
      if (t != null) {
        set(t, l);
      }
    }
    if (x.body != null) {
      x.body.forEach(e -> set(e, l));
    }
    if (x.rhs != null) {
      x.rhs.forEach(e -> set(e, l));
    }
    for (Layout.With w : x.withs) {
      w.loc = l;
      set(w.target, l);
      set(w.value, l);
    }
  }

  static void set(Layout.Term t, Loc l) {
    t.loc = l;
    t.items.forEach(i -> set(i, l));
    for (Layout.Term[] e : t.entries) {
      set(e[0], l);
      set(e[1], l);
    }
    if (t.head != null) {
      set(t.head, l);
    }
    if (t.key != null) {
      set(t.key, l);
    }
    if (t.body != null) {
      t.body.forEach(e -> set(e, l));
    }
    for (Object p : t.parts) {
      if (p instanceof Layout.Term pt) {
        set(pt, l);
      } else if (p instanceof Layout.Expr pe) {
        set(pe, l);
      }
    }
  }
}
