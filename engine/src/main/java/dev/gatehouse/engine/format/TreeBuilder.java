package dev.gatehouse.engine.format;

import dev.gatehouse.engine.ast.ArrayCompr;
import dev.gatehouse.engine.ast.ArrayTerm;
import dev.gatehouse.engine.ast.Body;
import dev.gatehouse.engine.ast.Call;
import dev.gatehouse.engine.ast.Expr;
import dev.gatehouse.engine.ast.Head;
import dev.gatehouse.engine.ast.Import;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.ObjectCompr;
import dev.gatehouse.engine.ast.ObjectTerm;
import dev.gatehouse.engine.ast.Ref;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.ast.Scalar;
import dev.gatehouse.engine.ast.SetCompr;
import dev.gatehouse.engine.ast.SetTerm;
import dev.gatehouse.engine.ast.TemplateString;
import dev.gatehouse.engine.ast.Term;
import dev.gatehouse.engine.ast.Var;
import dev.gatehouse.engine.ast.With;
import dev.gatehouse.engine.format.Layout.Loc;
import dev.gatehouse.engine.format.Layout.TermKind;
import dev.gatehouse.engine.format.SourceText.Kind;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.StringValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the {@link Layout} tree from a parsed module and its source. Our AST records where nodes
 * start; where they end (and so the source text OPA's layout rules inspect) is recovered from the
 * source's tokens. Parentheses the parser dropped are found again around terms, because OPA keeps
 * them in a term's text and some layout choices depend on it.
 */
final class TreeBuilder {
  private static final Set<String> KEYWORDS = Set.of("not", "in", "if", "else", "contains", "some", "every",
      "with", "as", "default", "import", "package", "and", "or");
  private static final Set<String> INFIX_TOKENS = Set.of(":=", "=", "==", "!=", "<", "<=", ">", ">=", "+", "-",
      "*", "/", "%", "&", "|", "in", ",");

  private final SourceText st;
  private final boolean v0;
  /** Offset of the source a template expression was parsed from (its locations are relative). */
  private int shift;

  /** A term's position: where OPA's location starts and the [start, end) of its text. */
  private record Ext(int loc, int start, int end) {}

  TreeBuilder(SourceText st, boolean v0) {
    this.st = st;
    this.v0 = v0;
  }

  Layout.Module build(Module m) {
    Layout.Module out = new Layout.Module();
    out.pkgLoc = loc(off(m.pkg().location()), off(m.pkg().location()), endOfPackage(m));
    for (Term t : m.pkg().path().terms()) {
      out.pkgPath.add(convert(t));
    }
    for (Import imp : m.imports()) {
      out.imports.add(convertImport(imp));
    }
    Head previousHead = null;
    for (Rule r : m.rules()) {
      boolean chained = previousHead != null && r.head() == previousHead && r.elseRule() == null
          && isBraceBody(r.body());
      out.rules.add(chained ? chainedRule(r) : convertRule(r));
      previousHead = r.head();
    }
    // comments come from the source scan, which also sees those inside template strings
    for (SourceText.Remark c : st.comments) {
      Layout.Comment lc = new Layout.Comment();
      int o = c.offset();
      lc.loc = new Loc(st.row(o), st.col(o), o, "#" + c.text());
      lc.text = c.text();
      out.comments.add(lc);
    }
    return out;
  }

  private int endOfPackage(Module m) {
    List<Term> terms = m.pkg().path().terms();
    Term last = terms.get(terms.size() - 1);
    int i = st.tokenAt(off(last.location()));
    int end = i < 0 ? off(last.location()) : st.tok(i).end();
    if (st.isPunct(i + 1, "]")) {
      end = st.tok(i + 1).end();
    }
    return end;
  }

  // ---- positions

  private int off(Location l) {
    return l.offset() + shift;
  }

  private Loc loc(int at, int start, int end) {
    return new Loc(st.row(at), st.col(at), at, st.text(start, end));
  }

  private Loc loc(Ext e) {
    return loc(e.loc, e.start, e.end);
  }

  private int tokEnd(int offset) {
    int i = st.tokenAt(offset);
    return i < 0 ? offset : st.tok(i).end();
  }

  /** End of the bracket matching the one starting at offset (or the first bracket token from there). */
  private int closerEnd(int tokenIndex) {
    int m = st.matching(tokenIndex);
    return m < 0 ? (tokenIndex >= 0 && st.tok(tokenIndex) != null ? st.tok(tokenIndex).end() : 0) : st.tok(m).end();
  }

  private Ext ext(Term t) {
    Ext core = core(t);
    int s = core.start;
    int e = core.end;
    while (true) {
      int before = st.tokenBefore(s);
      int after = st.tokenFrom(e);
      if (st.isPunct(before, "(") && st.isPunct(after, ")") && st.matching(before) == after && !callParen(before)) {
        s = st.tok(before).start();
        e = st.tok(after).end();
      } else {
        return new Ext(core.loc, s, e);
      }
    }
  }

  /** An expression's source text as OPA's location holds it (over several lines, with modifiers). */
  String text(Expr e) {
    return expr(e).loc.text;
  }

  /** A term's source text as OPA's location holds it (parentheses the parser dropped included). */
  String text(Term t) {
    Ext e = ext(t);
    return st.text(e.start, e.end);
  }

  private boolean callParen(int parenIndex) {
    SourceText.Tok prev = st.tok(parenIndex - 1);
    if (prev == null || prev.kind() != Kind.IDENT || KEYWORDS.contains(prev.text())) {
      return false;
    }
    return st.src.substring(prev.end(), st.tok(parenIndex).start()).indexOf('\n') < 0;
  }

  private Ext core(Term t) {
    int s = off(t.location());
    if (t instanceof Scalar) {
      int i = st.tokenAt(s);
      if (st.isPunct(i, "-") && st.tok(i + 1) != null && st.tok(i + 1).kind() == Kind.NUMBER) {
        return new Ext(s, s, st.tok(i + 1).end());
      }
      return new Ext(s, s, tokEnd(s));
    }
    if (t instanceof Var || t instanceof TemplateString) {
      return new Ext(s, s, tokEnd(s));
    }
    if (t instanceof Ref r) {
      Ext head = ext(r.head());
      return new Ext(head.loc, head.start, refEnd(r.terms(), head.end));
    }
    if (t instanceof Call c) {
      if (isFunctionForm(c)) {
        Ext op = ext(c.operator());
        int paren = st.tokenFrom(op.end);
        return new Ext(op.loc, op.start, closerEnd(paren));
      }
      if (isUnaryMinus(c)) {
        int o = off(c.operator().location());
        return new Ext(o, o, ext(c.args().get(1)).end);
      }
      Ext lhs = ext(c.args().get(0));
      Ext rhs = ext(c.args().get(c.args().size() - 1));
      return new Ext(lhs.loc, lhs.start, rhs.end);
    }
    if (t instanceof SetTerm set && set.elements().isEmpty()) {
      int i = st.tokenAt(s);
      if (st.tok(i) != null && st.tok(i).kind() == Kind.IDENT) {
        return new Ext(s, s, closerEnd(i + 1));
      }
      return new Ext(s, s, closerEnd(i));
    }
    return new Ext(s, s, closerEnd(st.tokenAt(s)));
  }

  private int refEnd(List<Term> terms, int headEnd) {
    if (terms.size() == 1) {
      return headEnd;
    }
    Term last = terms.get(terms.size() - 1);
    int o = off(last.location());
    int i = st.tokenAt(o);
    if (last instanceof Scalar sc && sc.value() instanceof StringValue && st.isPunct(i - 1, ".")) {
      return st.tok(i).end();
    }
    int after = st.tokenFrom(ext(last).end);
    return st.isPunct(after, "]") ? st.tok(after).end() : ext(last).end;
  }

  private boolean isFunctionForm(Call c) {
    int o = off(c.operator().location());
    if (o != off(c.location())) {
      return false;
    }
    SourceText.Tok t = st.tok(st.tokenAt(o));
    return t == null || t.kind() == Kind.IDENT && !t.text().equals("in");
  }

  private boolean isUnaryMinus(Call c) {
    int o = off(c.operator().location());
    return o == off(c.location()) && st.isPunct(st.tokenAt(o), "-");
  }

  private boolean isBraceBody(Body b) {
    int o = off(b.location());
    return st.isPunct(st.tokenAt(o), "{") && !b.exprs().isEmpty() && off(b.exprs().get(0).location()) != o;
  }

  // ---- terms

  Layout.Term convert(Term t) {
    Ext e = ext(t);
    Loc l = loc(e);
    if (t instanceof Scalar sc) {
      if (sc.value() instanceof StringValue s) {
        Layout.Term out = new Layout.Term(TermKind.STRING, l);
        out.text = s.value();
        return out;
      }
      if (sc.value() instanceof NumberValue n) {
        Layout.Term out = new Layout.Term(TermKind.NUMBER, l);
        out.text = numberText(e.loc, n);
        return out;
      }
      if (sc.value() instanceof BooleanValue b) {
        Layout.Term out = new Layout.Term(TermKind.BOOLEAN, l);
        out.text = String.valueOf(b.value());
        return out;
      }
      if (sc.value() instanceof NullValue) {
        Layout.Term out = new Layout.Term(TermKind.NULL, l);
        out.text = "null";
        return out;
      }
      Layout.Term out = new Layout.Term(TermKind.VAR, l);
      out.text = sc.value().toString();
      return out;
    }
    if (t instanceof Var v) {
      Layout.Term out = new Layout.Term(TermKind.VAR, l);
      out.text = v.isWildcard() ? "$" + v.name() : v.name();
      return out;
    }
    if (t instanceof Ref r) {
      Layout.Term out = new Layout.Term(TermKind.REF, l);
      for (Term p : r.terms()) {
        out.items.add(convert(p));
      }
      return out;
    }
    if (t instanceof Call c) {
      Layout.Term out = new Layout.Term(TermKind.CALL, l);
      out.items.add(operator(c));
      for (Term a : c.args()) {
        out.items.add(convert(a));
      }
      return out;
    }
    if (t instanceof ArrayTerm a) {
      Layout.Term out = new Layout.Term(TermKind.ARRAY, l);
      for (Term x : a.elements()) {
        out.items.add(convert(x));
      }
      return out;
    }
    if (t instanceof SetTerm s) {
      Layout.Term out = new Layout.Term(TermKind.SET, l);
      // a set literal keeps the first of elements that are equal, as OPA's does
      List<Term> seen = new ArrayList<>();
      for (Term x : s.elements()) {
        if (!seen.contains(x)) {
          seen.add(x);
          out.items.add(convert(x));
        }
      }
      return out;
    }
    if (t instanceof ObjectTerm o) {
      Layout.Term out = new Layout.Term(TermKind.OBJECT, l);
      for (ObjectTerm.Entry en : o.entries()) {
        out.entries.add(new Layout.Term[] {convert(en.key()), convert(en.value())});
      }
      return out;
    }
    if (t instanceof ArrayCompr ac) {
      Layout.Term out = new Layout.Term(TermKind.ARRAY_COMPR, l);
      out.head = convert(ac.head());
      out.body = body(ac.body());
      return out;
    }
    if (t instanceof SetCompr sc) {
      Layout.Term out = new Layout.Term(TermKind.SET_COMPR, l);
      out.head = convert(sc.head());
      out.body = body(sc.body());
      return out;
    }
    if (t instanceof ObjectCompr oc) {
      Layout.Term out = new Layout.Term(TermKind.OBJECT_COMPR, l);
      out.key = convert(oc.key());
      out.head = convert(oc.value());
      out.body = body(oc.body());
      return out;
    }
    if (t instanceof TemplateString ts) {
      return template(ts, l, e.loc);
    }
    throw new IllegalArgumentException("unknown term " + t);
  }

  /** A call's operator: the function's ref, or for infix forms a ref placed at the operator token. */
  private Layout.Term operator(Call c) {
    Ref op = c.operator();
    int o = off(op.location());
    Layout.Term out = new Layout.Term(TermKind.REF, loc(o, o, isFunctionForm(c) ? ext(op).end : tokEnd(o)));
    for (Term p : op.terms()) {
      Layout.Term part;
      if (p instanceof Var v) {
        part = new Layout.Term(TermKind.VAR, out.loc);
        part.text = v.name();
      } else if (p instanceof Scalar s && s.value() instanceof StringValue str) {
        part = new Layout.Term(TermKind.STRING, out.loc);
        part.text = str.value();
      } else {
        part = convert(p);
      }
      out.items.add(part);
    }
    if (isFunctionForm(c)) {
      // keep the real locations of the written-out function name
      out.items.clear();
      for (Term p : op.terms()) {
        out.items.add(convert(p));
      }
    }
    return out;
  }

  private String numberText(int at, NumberValue n) {
    if (at < st.src.length()) {
      int p = at;
      StringBuilder sb = new StringBuilder();
      if (st.src.charAt(p) == '-') {
        sb.append('-');
        p++;
        while (p < st.src.length() && Character.isWhitespace(st.src.charAt(p))) {
          p++;
        }
      }
      if (p < st.src.length() && (Character.isDigit(st.src.charAt(p)) || st.src.charAt(p) == '.')) {
        int end = st.src.charAt(p) == '.' ? st.numberEnd(p + 1) : st.numberEnd(p);
        return sb.append(st.src, p, end).toString();
      }
    }
    return n.toString();
  }

  private Layout.Term template(TemplateString ts, Loc l, int at) {
    Layout.Term out = new Layout.Term(TermKind.TEMPLATE, l);
    out.multiLine = ts.raw();
    List<int[]> segs = st.templateSegments(at, tokEnd(at));
    int exprIndex = 0;
    int partIndex = 0;
    int saved = shift;
    for (Term p : ts.parts()) {
      boolean literal = p instanceof Scalar sc && sc.value() instanceof StringValue
          && off(p.location()) == at;
      if (literal) {
        // OPA's literal part starts at the `}` closing the expression before it
        int o = exprIndex == 0 ? at : segs.get(exprIndex - 1)[1];
        Layout.Term s = new Layout.Term(TermKind.STRING, loc(o, o, o + 1));
        s.text = ((StringValue) ((Scalar) p).value()).value();
        out.parts.add(s);
        partIndex++;
        continue;
      }
      int[] seg = exprIndex < segs.size() ? segs.get(exprIndex) : new int[] {at, at};
      shift = seg[0];
      exprIndex++;
      try {
        Ext e = ext(p);
        boolean commentBefore = st.comments.stream().anyMatch(c -> c.offset() >= seg[0] && c.offset() < e.start);
        if (p instanceof Scalar && !commentBefore && ts.modifiers().get(partIndex).isEmpty()) {
          out.parts.add(convert(p));
        } else {
          Layout.Expr x = new Layout.Expr();
          x.loc = loc(e.start, e.start, e.end);
          if (p instanceof Call c) {
            x.kind = Layout.ExprKind.CALL;
            Layout.Term ct = convert(c);
            x.call.addAll(ct.items);
          } else {
            x.kind = Layout.ExprKind.TERM;
            x.term = convert(p);
          }
          int end = e.end;
          for (With w : ts.modifiers().get(partIndex)) {
            Layout.With lw = new Layout.With();
            int ws = off(w.location());
            int we = ext(w.value()).end;
            lw.loc = loc(ws, ws, we);
            lw.target = convert(w.target());
            lw.value = convert(w.value());
            x.withs.add(lw);
            end = Math.max(end, we);
          }
          x.loc = loc(e.start, e.start, end);
          out.parts.add(x);
        }
      } finally {
        shift = saved;
        partIndex++;
      }
    }
    return out;
  }

  // ---- bodies and expressions

  List<Layout.Expr> body(Body b) {
    List<Layout.Expr> out = new ArrayList<>();
    for (Expr e : b.exprs()) {
      out.add(expr(e));
    }
    return out;
  }

  private Layout.Expr expr(Expr e) {
    Layout.Expr x = new Layout.Expr();
    int start = off(e.location());
    int end = start;
    x.negated = e.negated();
    if (e.kind() instanceof Expr.TermExpr te) {
        x.kind = Layout.ExprKind.TERM;
        x.term = convert(te.term());
        end = ext(te.term()).end;
    } else if (e.kind() instanceof Expr.CallExpr ce) {
        x.kind = Layout.ExprKind.CALL;
        Layout.Term ct = convert(ce.call());
        x.call.addAll(ct.items);
        end = ext(ce.call()).end;
    } else if (e.kind() instanceof Expr.SomeDecl sd) {
        x.kind = Layout.ExprKind.SOME;
        for (Term s : sd.symbols()) {
          x.symbols.add(convert(s));
          if (s instanceof Call c) {
            end = Math.max(end, ext(c.args().get(c.args().size() - 1)).end);
          } else {
            end = Math.max(end, ext(s).end);
          }
        }
    } else if (e.kind() instanceof Expr.Every ev) {
        x.kind = Layout.ExprKind.EVERY;
        x.everyKey = ev.key() == null ? null : convert(ev.key());
        x.everyValue = convert(ev.value());
        x.domain = convert(ev.domain());
        x.body = body(ev.body());
        end = closerEnd(st.tokenFrom(ext(ev.domain()).end));
    } else if (e.kind() instanceof Expr.NotBody nb) {
      x.kind = Layout.ExprKind.NOT;
      x.body = body(nb.body());
      x.explicitBody = st.isPunct(st.tokenAt(off(nb.body().location())), "{");
      end = x.explicitBody ? closerEnd(st.tokenAt(off(nb.body().location()))) : bodyEndOffset(x.body);
    } else if (e.kind() instanceof Expr.Logical lg) {
      x.kind = Layout.ExprKind.LOGICAL;
      x.and = lg.and();
      x.body = body(lg.lhs());
      x.rhs = body(lg.rhs());
      x.explicitLhs = lg.explicitLhs();
      x.explicitRhs = lg.explicitRhs();
      end = lg.explicitRhs() ? closerEnd(st.tokenAt(off(lg.rhs().location()))) : bodyEndOffset(x.rhs);
      if (lg.explicitLhs()) {
        int b = off(lg.lhs().location());
        x.lhsBrace = loc(b, b, end);
      }
      if (lg.explicitRhs()) {
        int b = off(lg.rhs().location());
        x.rhsBrace = loc(b, b, end);
      }
    }
    for (With w : e.with()) {
      Layout.With lw = new Layout.With();
      int ws = off(w.location());
      int we = ext(w.value()).end;
      lw.loc = loc(ws, ws, we);
      lw.target = convert(w.target());
      lw.value = convert(w.value());
      x.withs.add(lw);
      end = Math.max(end, we);
    }
    x.loc = loc(start, start, end);
    return x;
  }

  private static int bodyEndOffset(List<Layout.Expr> body) {
    int end = 0;
    for (Layout.Expr x : body) {
      end = Math.max(end, x.loc.offset + x.loc.text.length());
    }
    return end;
  }

  // ---- rules

  private Layout.Import convertImport(Import imp) {
    Layout.Import out = new Layout.Import();
    int s = off(imp.location());
    Ext path = ext(imp.path());
    int end = imp.alias() == null ? path.end : tokEnd(off(imp.alias().location()));
    out.loc = loc(s, s, end);
    if (imp.path().size() == 1) {
      out.path.add(convert(imp.path().head()));
    } else {
      for (Term t : imp.path().terms()) {
        out.path.add(convert(t));
      }
    }
    out.alias = imp.alias() == null ? null : imp.alias().name();
    return out;
  }

  private Layout.Rule convertRule(Rule r) {
    Layout.Rule out = new Layout.Rule();
    int start = off(r.location());
    out.isDefault = r.isDefault();
    Head h = r.head();
    int headEnd = headEnd(h);
    out.head = head(h, headEnd, false, isGeneratedBody(r) && !r.isDefault());
    int end = headEnd;
    if (isGeneratedBody(r)) {
      out.body = null;
    } else {
      out.body = body(r.body());
      end = Math.max(end, bodyEnd(r.body()));
    }
    int ruleEnd = end;
    Rule e = r.elseRule();
    List<Layout.Rule> elses = new ArrayList<>();
    List<Integer> elseEnds = new ArrayList<>();
    while (e != null) {
      int es = off(e.location());
      Layout.Rule le = new Layout.Rule();
      Head eh = e.head();
      boolean gen = isGeneratedValue(eh);
      int ehEnd = gen ? tokEnd(es) : ext(eh.value()).end;
      le.head = new Layout.Head();
      le.head.loc = loc(es, es, ehEnd);
      le.head.isElse = true;
      le.head.assign = eh.assign();
      le.head.generatedValue = gen;
      le.head.value = gen ? trueTerm(le.head.loc) : convert(eh.value());
      int bodyEnd = ehEnd;
      if (isGeneratedBody(e)) {
        le.body = null;
      } else {
        le.body = body(e.body());
        bodyEnd = Math.max(bodyEnd, bodyEnd(e.body()));
        le.elseRule = null;
      }
      le.loc = loc(es, es, bodyEnd);
      elses.add(le);
      elseEnds.add(bodyEnd);
      ruleEnd = bodyEnd;
      e = e.elseRule();
    }
    // an else rule's text runs to the end of the chain that follows it
    for (int i = 0; i < elses.size(); i++) {
      Layout.Rule le = elses.get(i);
      le.loc = loc(le.loc.offset, le.loc.offset, ruleEnd);
      if (i + 1 < elses.size()) {
        le.elseRule = elses.get(i + 1);
      }
      Rule src = nth(r.elseRule(), i);
      if (le.body != null && !isBraceBody(src.body())) {
        for (Layout.Expr x : le.body) {
          LocRewriter.set(x, le.loc);
        }
      }
    }
    out.elseRule = elses.isEmpty() ? null : elses.get(0);
    out.loc = loc(start, start, ruleEnd);
    if (out.body == null) {
      Loc bl = h.key() != null && h.value() == null ? out.head.loc : out.loc;
      if (h.key() != null && h.value() == null) {
        out.loc = out.head.loc;
      }
      out.body = List.of(trueExpr(bl));
    }
    for (Layout.Rule le : elses) {
      if (le.body == null) {
        le.body = List.of(trueExpr(le.loc));
      }
    }
    return out;
  }

  private static Rule nth(Rule r, int i) {
    while (i-- > 0) {
      r = r.elseRule();
    }
    return r;
  }

  /** A further body of the same head (`p { a } { b }`): OPA places the whole rule at its brace. */
  private Layout.Rule chainedRule(Rule r) {
    int b = off(r.body().location());
    Layout.Rule out = new Layout.Rule();
    out.loc = loc(b, b, closerEnd(st.tokenAt(b)));
    out.head = head(r.head(), headEnd(r.head()), false, false);
    LocRewriter.set(out.head, out.loc);
    out.body = body(r.body());
    return out;
  }

  private Layout.Term trueTerm(Loc l) {
    Layout.Term t = new Layout.Term(TermKind.BOOLEAN, l);
    t.text = "true";
    return t;
  }

  private Layout.Expr trueExpr(Loc l) {
    Layout.Expr x = new Layout.Expr();
    x.kind = Layout.ExprKind.TERM;
    x.loc = l;
    x.term = trueTerm(l);
    return x;
  }

  private static boolean isGeneratedValue(Head h) {
    return h.value() instanceof Scalar s && s.value() == BooleanValue.TRUE && s.location() == h.location();
  }

  private static boolean isGeneratedBody(Rule r) {
    List<Expr> ex = r.body().exprs();
    return ex.size() == 1 && ex.get(0).location() == r.head().location()
        && ex.get(0).kind() instanceof Expr.TermExpr te && te.term() instanceof Scalar s && s.value() == BooleanValue.TRUE;
  }

  private int bodyEnd(Body b) {
    if (isBraceBody(b)) {
      return closerEnd(st.tokenAt(off(b.location())));
    }
    Expr last = b.exprs().get(b.exprs().size() - 1);
    return expr(last).loc.offset + expr(last).loc.text.length();
  }

  private int headEnd(Head h) {
    int end = refEnd(h.ref().terms(), ext(h.ref().head()).end);
    if (h.args() != null) {
      end = closerEnd(st.tokenFrom(end));
    }
    if (h.key() != null) {
      Ext k = ext(h.key());
      end = Math.max(end, k.end);
      if (h.value() == null && st.isPunct(st.tokenBefore(k.start), "[")) {
        int after = st.tokenFrom(k.end);
        if (st.isPunct(after, "]")) {
          end = Math.max(end, st.tok(after).end());
        }
      }
    }
    if (h.value() != null && !isGeneratedValue(h)) {
      end = Math.max(end, ext(h.value()).end);
    }
    return end;
  }

  /** True when the key of a partial-set head was written in brackets (`p[x]`), not after `contains`. */
  private boolean bracketKey(Head h) {
    return st.isPunct(st.tokenBefore(ext(h.key()).start), "[");
  }

  private Layout.Head head(Head h, int end, boolean isElse, boolean bodyless) {
    Layout.Head out = new Layout.Head();
    int s = off(h.location());
    out.loc = loc(s, s, end);
    for (Term t : h.ref().terms()) {
      out.ref.add(convert(t));
    }
    if (h.args() != null) {
      for (Term a : h.args()) {
        out.args.add(convert(a));
      }
    }
    out.assign = h.assign();
    out.isElse = isElse;
    SourceText.Tok next = st.tok(st.tokenFrom(end));
    boolean hasIf = next != null && next.kind() == Kind.IDENT && next.text().equals("if");
    if (h.value() != null) {
      out.generatedValue = isGeneratedValue(h);
      // OPA shares the head's location only with the `true` it implies for `p[x] if`
      boolean sharesLoc = (h.args() == null && h.ref().size() == 2 && hasIf) || (bodyless && h.args() != null)
          || (bodyless && h.args() == null && h.ref().size() > 2);
      out.value = out.generatedValue ? trueTerm(sharesLoc ? out.loc : out.loc.copy()) : convert(h.value());
    }
    if (h.key() != null && h.value() == null && v0 && bracketKey(h) && (hasIf || h.ref().size() >= 2)) {
      // OPA reads v0 `p[x] if` and `a.b[x] { }` as single-value rules of ref p[x] / a.b[x]
      Layout.Term k = convert(h.key());
      out.ref.add(k);
      boolean sharesLoc = out.ref.size() == 2 && hasIf;
      out.generatedValue = true;
      out.value = trueTerm(sharesLoc ? out.loc : out.loc.copy());
      if (out.ref.size() == 2 && hasIf && (!h.key().isGround() || h.key() instanceof Ref)) {
        out.key = k;
      }
      return out;
    }
    if (h.key() != null) {
      out.key = convert(h.key());
    } else if (h.value() != null && h.args() == null && h.ref().size() == 2) {
      // OPA also records the key of `p[x] := v` (and of `p[x] if` for non-ground x)
      Term k = h.ref().get(1);
      if (!hasIf || !k.isGround() || k instanceof Ref) {
        out.key = out.ref.get(1);
      }
    }
    return out;
  }
}
