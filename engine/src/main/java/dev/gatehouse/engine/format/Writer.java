package dev.gatehouse.engine.format;

import dev.gatehouse.engine.format.Layout.Comment;
import dev.gatehouse.engine.format.Layout.Expr;
import dev.gatehouse.engine.format.Layout.ExprKind;
import dev.gatehouse.engine.format.Layout.Loc;
import dev.gatehouse.engine.format.Layout.Term;
import dev.gatehouse.engine.format.Layout.TermKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lays out a {@link Layout} tree the way {@code opa fmt} does. Comments travel through the writer
 * as the list still to be placed: each step places those that come before its node and hands back
 * the rest. Where a comment sits inside a term that would be collapsed onto one line, the term is
 * written as it was in the source instead ({@link UnexpectedComment}).
 */
final class Writer {
  /** Infix builtins: operator text and arity. */
  record Infix(String op, int arity) {}

  static final Map<String, Infix> INFIX = Map.ofEntries(
      Map.entry("eq", new Infix("=", 2)), Map.entry("assign", new Infix(":=", 2)),
      Map.entry("equal", new Infix("==", 2)), Map.entry("neq", new Infix("!=", 2)),
      Map.entry("lt", new Infix("<", 2)), Map.entry("lte", new Infix("<=", 2)),
      Map.entry("gt", new Infix(">", 2)), Map.entry("gte", new Infix(">=", 2)),
      Map.entry("plus", new Infix("+", 2)), Map.entry("minus", new Infix("-", 2)),
      Map.entry("mul", new Infix("*", 2)), Map.entry("div", new Infix("/", 2)),
      Map.entry("rem", new Infix("%", 2)), Map.entry("and", new Infix("&", 2)),
      Map.entry("or", new Infix("|", 2)), Map.entry("internal.member_2", new Infix("in", 2)),
      Map.entry("internal.member_3", new Infix("in", 3)));

  /** The switches OPA derives from the target version and the module's imports. */
  record Opts(boolean contains, boolean ifs, boolean refHeads, boolean regoV1, Set<String> keywords,
      boolean keywordsInRefs, boolean notBodies) {}

  /** A comment turned up where the layout cannot place it; carries the comments still to place. */
  static final class UnexpectedComment extends RuntimeException {
    final List<Comment> comments;

    UnexpectedComment(List<Comment> comments) {
      super("unexpected comment", null, false, false);
      this.comments = comments == null ? List.of() : comments;
    }
  }

  private static final Loc NEGATIVE_ROW = Loc.at(-1);

  private final StringBuilder buf = new StringBuilder();
  private final Opts o;
  final List<String> errors = new ArrayList<>();
  private int level;
  private boolean inline;
  private Comment beforeEnd;
  private boolean delay;
  private boolean writeCommentOnFinalLine;
  private Expr parenExpr;
  private Term parenTerm;

  Writer(Opts o) {
    this.o = o;
  }

  String output() {
    String s = buf.toString();
    if (s.endsWith("\n")) {
      int end = s.length();
      while (end > 0 && s.charAt(end - 1) == '\n') {
        end--;
      }
      return s.substring(0, end) + "\n";
    }
    return s;
  }

  // ---- module

  void writeModule(Layout.Module m, List<Layout.Import> imports) {
    List<Comment> comments = new ArrayList<>(m.comments);
    comments.sort(Comparator.comparingInt((Comment c) -> c.loc.row).thenComparingInt(c -> c.loc.col));
    for (Comment c : comments) {
      c.text = c.text.stripTrailing();
    }
    List<Object> others = new ArrayList<>();
    others.addAll(imports);
    others.addAll(m.rules);
    others.sort(Comparator.comparingInt((Object x) -> locOf(x).row).thenComparingInt(x -> locOf(x).col));

    List<Layout.Import> added = new ArrayList<>();
    if (addedImportFollowsRule(others)) {
      others.removeIf(x -> {
        if (x instanceof Layout.Import imp && imp.loc.synthetic) {
          added.add(imp);
          return true;
        }
        return false;
      });
    }

    comments = writePackage(m, comments);
    comments = writeImports(added, comments);
    int i = 0;
    while (i < others.size()) {
      List<Layout.Import> imps = new ArrayList<>();
      while (i < others.size() && others.get(i) instanceof Layout.Import imp) {
        imps.add(imp);
        i++;
      }
      comments = writeImports(imps, comments);
      List<Layout.Rule> rules = new ArrayList<>();
      while (i < others.size() && others.get(i) instanceof Layout.Rule r) {
        rules.add(r);
        i++;
      }
      comments = writeRules(rules, comments);
    }
    for (int k = 0; k < comments.size(); k++) {
      writeLine(comments.get(k).render());
      if (k == comments.size() - 1) {
        write("\n");
      }
    }
  }

  private static Loc locOf(Object x) {
    if (x instanceof Layout.Import i) {
      return i.loc;
    }
    if (x instanceof Layout.Rule r) {
      return r.loc;
    }
    if (x instanceof Term t) {
      return t.loc;
    }
    if (x instanceof Term[] pair) {
      return pair[0].loc;
    }
    if (x instanceof Expr e) {
      return e.loc;
    }
    throw new IllegalArgumentException("no location for " + x);
  }

  private static boolean addedImportFollowsRule(List<Object> others) {
    int firstRule = -1;
    for (Object x : others) {
      if (x instanceof Layout.Rule r && (firstRule < 0 || r.loc.row < firstRule)) {
        firstRule = r.loc.row;
      }
    }
    if (firstRule < 0) {
      return false;
    }
    for (Object x : others) {
      if (x instanceof Layout.Import imp && imp.loc.synthetic && imp.loc.row >= firstRule) {
        return true;
      }
    }
    return false;
  }

  private List<Comment> writePackage(Layout.Module m, List<Comment> comments) {
    comments = insertComments(comments, m.pkgLoc);
    startLine();
    List<Term> path = new ArrayList<>();
    Term first = m.pkgPath.get(1);
    Term head = new Term(TermKind.VAR, first.loc);
    head.text = first.text;
    path.add(head);
    path.addAll(m.pkgPath.subList(2, m.pkgPath.size()));
    write("package ");
    writeRef(path, List.of());
    blankLine();
    return comments;
  }

  private static boolean isMetadata(Comment c) {
    return c.loc.col == 1 && c.text.strip().startsWith("METADATA");
  }

  private void writeComments(List<Comment> comments) {
    boolean inMetadata = false;
    for (int i = 0; i < comments.size(); i++) {
      Comment c = comments.get(i);
      if (i > 0) {
        Comment prev = comments.get(i - 1);
        int l = c.loc.row != prev.loc.row ? c.loc.row - prev.loc.row : c.loc.col - prev.loc.col;
        if (l > 1) {
          blankLine();
          inMetadata = false;
        } else if (l == 1 && inMetadata && isMetadata(c)) {
          blankLine();
        }
      }
      if (isMetadata(c)) {
        inMetadata = true;
      }
      writeLine(c.render());
    }
  }

  // ---- rules

  private List<Comment> writeRules(List<Layout.Rule> rules, List<Comment> comments) {
    for (int i = 0; i < rules.size(); i++) {
      Layout.Rule rule = rules.get(i);
      try {
        comments = insertComments(comments, rule.loc);
      } catch (UnexpectedComment u) {
        comments = u.comments;
      }
      try {
        comments = writeRule(rule, false, comments);
      } catch (UnexpectedComment u) {
        comments = u.comments;
      }
      if (i < rules.size() - 1 && groupableOneLiner(rule)) {
        Layout.Rule next = rules.get(i + 1);
        if (groupableOneLiner(next) && next.loc.row == rule.loc.row + 1) {
          continue;
        }
      }
      blankLine();
    }
    return comments;
  }

  private boolean groupableOneLiner(Layout.Rule rule) {
    if (rule.body.size() > 1 || rule.isDefault || rule.elseRule != null) {
      return false;
    }
    if (rule.body.size() == 1 && isSetTerm(rule.body.get(0))) {
      return false;
    }
    boolean partialSetException = o.contains || rule.head.value != null;
    return (o.regoV1 || o.ifs) && partialSetException;
  }

  private static boolean isExpandedConst(Layout.Rule rule) {
    if (rule.elseRule != null || rule.body.size() != 1) {
      return false;
    }
    Expr e = rule.body.get(0);
    return e.kind == ExprKind.TERM && !e.negated && e.withs.isEmpty() && e.term.isTrue();
  }

  private List<Comment> writeRule(Layout.Rule rule, boolean isElse, List<Comment> comments) {
    if (!isElse) {
      startLine();
    }
    if (rule.isDefault) {
      write("default ");
    }
    boolean expandedConst = isExpandedConst(rule);
    writeCommentOnFinalLine = expandedConst;
    boolean unexpectedComment = false;
    try {
      comments = writeHead(rule.head, rule.isDefault, expandedConst, comments);
    } catch (UnexpectedComment u) {
      unexpectedComment = true;
      comments = u.comments;
    }
    if (rule.body.isEmpty() || expandedConst) {
      endLine();
      return comments;
    }
    writeCommentOnFinalLine = true;
    boolean partialSetException = o.contains || rule.head.value != null;
    boolean usesIf = (o.regoV1 || o.ifs) && partialSetException;
    if (usesIf) {
      write(" if");
      if (rule.body.size() == 1) {
        int headEndRow = rule.head.loc.endRow();
        Expr only = rule.body.get(0);
        if (only.loc.row == headEndRow && !isSetTerm(only)) {
          write(" ");
          try {
            comments = writeExpr(only, comments);
          } catch (UnexpectedComment u) {
            comments = u.comments;
          }
          endLine();
          if (rule.elseRule != null) {
            comments = writeElse(rule, comments);
          }
          return comments;
        }
      }
    }
    if (unexpectedComment && !comments.isEmpty()) {
      write(" { ");
    } else {
      write(" {");
      endLine();
    }
    if (usesIf && !isElse) {
      markUnionLead(rule.body.get(0));
    }
    up();
    try {
      comments = writeBody(rule.body, comments);
    } catch (UnexpectedComment u) {
      comments = u.comments;
    }
    Loc closeLoc;
    if (!rule.head.args.isEmpty()) {
      closeLoc = closingLoc('(', ')', '{', '}', rule.loc);
    } else if (rule.head.key != null) {
      closeLoc = closingLoc('[', ']', '{', '}', rule.loc);
    } else {
      closeLoc = closingLoc((char) 0, (char) 0, '{', '}', rule.loc);
    }
    comments = insertComments(comments, closeLoc);
    down();
    startLine();
    write("}");
    if (rule.elseRule != null) {
      comments = writeElse(rule, comments);
    }
    return comments;
  }

  private List<Comment> writeElse(Layout.Rule rule, List<Comment> comments) {
    Layout.Rule els = rule.elseRule;
    boolean wasInline = false;
    String[] ruleLines = rule.loc.text.split("\n", -1);
    int rel = els.loc.row - rule.loc.row;
    if (rel > 0 && rel < ruleLines.length && !ruleLines[rel].strip().startsWith("else")) {
      wasInline = true;
    }
    boolean hasCommentAbove = (!comments.isEmpty() && comments.get(0).loc.row - els.head.loc.row < 0)
        || beforeEnd != null;
    if (!hasCommentAbove && wasInline) {
      write(" ");
    } else {
      blankLine();
      startLine();
    }
    Term elseVar = new Term(TermKind.VAR, els.head.loc);
    elseVar.text = "else";
    els.head.ref.clear();
    els.head.ref.add(elseVar);
    els.head.args = new ArrayList<>();
    els.head.isElse = true;
    comments = insertComments(comments, els.head.loc);
    if (hasCommentAbove && !wasInline) {
      startLine();
    }
    if (els.head.value != null) {
      els.head.value.loc = els.head.loc;
    }
    return writeRule(els, true, comments);
  }

  private List<Comment> writeHead(Layout.Head head, boolean isDefault, boolean expandedConst, List<Comment> comments) {
    List<Term> ref = head.ref;
    if (o.refHeads || ref.size() == 1) {
      comments = writeRef(ref, comments);
    } else {
      if (!comments.isEmpty() && ref.get(1).loc.row == comments.get(0).loc.row) {
        return writeUnformatted(head.loc, comments);
      }
      write(GoText.termString(ref.get(0)));
      write("[");
      write(GoText.termString(ref.get(1)));
      write("]");
    }
    if (!head.args.isEmpty()) {
      write("(");
      try {
        comments = writeIterable(new ArrayList<>(head.args), head.loc,
            closingLoc((char) 0, (char) 0, '(', ')', head.loc), comments, listWriter(false));
      } finally {
        write(")");
      }
    }
    if (head.key != null) {
      if (o.contains && head.value == null) {
        write(" contains ");
        comments = writeTerm(head.key, comments);
      } else if (head.value == null) {
        write("[");
        comments = writeTerm(head.key, comments);
        write("]");
      }
    }
    if (head.value != null && (head.key != null || !head.value.isTrue() || expandedConst || isDefault)) {
      boolean regoV1RefConst = o.regoV1 && expandedConst && head.key == null && head.args.isEmpty();
      if (head.loc == head.value.loc && !head.isElse && head.value.isTrue() && !regoV1RefConst) {
        return comments;
      }
      write(head.assign || o.regoV1 ? " := " : " = ");
      comments = writeTerm(head.value, comments);
    }
    return comments;
  }

  // ---- comments

  private record Parts(List<Comment> before, Comment at, List<Comment> after) {}

  private static Parts partition(List<Comment> comments, Loc l) {
    List<Comment> before = new ArrayList<>();
    List<Comment> after = new ArrayList<>();
    Comment at = null;
    for (Comment c : comments) {
      int cmp = c.loc.row - l.row;
      if (cmp < 0) {
        before.add(c);
      } else if (cmp > 0) {
        after.add(c);
      } else {
        at = c;
      }
    }
    return new Parts(before, at, after);
  }

  private List<Comment> insertComments(List<Comment> comments, Loc l) {
    Parts p = partition(comments, l);
    writeComments(p.before);
    if (!p.before.isEmpty() && l.row - p.before.get(p.before.size() - 1).loc.row > 1) {
      blankLine();
    }
    beforeLineEnd(p.at, p.after);
    return p.after;
  }

  private void beforeLineEnd(Comment c, List<Comment> rest) {
    if (beforeEnd != null) {
      if (c == null) {
        return;
      }
      beforeEnd = null;
      throw new UnexpectedComment(rest);
    }
    beforeEnd = c;
  }

  // ---- bodies and expressions

  private List<Comment> writeBody(List<Expr> body, List<Comment> comments) {
    comments = insertComments(comments, Layout.bodyLoc(body));
    for (int i = 0; i < body.size(); i++) {
      Expr e = body.get(i);
      if (i > 0) {
        Expr prev = body.get(i - 1);
        int lastRow = prev.loc.endRow();
        if (e.loc.row > lastRow + 1) {
          blankLine();
        }
      }
      startLine();
      try {
        comments = writeExpr(e, comments);
      } catch (UnexpectedComment u) {
        comments = u.comments;
      }
      endLine();
    }
    return comments;
  }

  private List<Comment> writeExpr(Expr expr, List<Comment> comments) {
    boolean parenTerms = parenExpr == expr;
    if (parenTerms) {
      parenExpr = null;
    }
    comments = insertComments(comments, expr.loc);
    if (!inline) {
      startLine();
    }
    // `not` binds tighter than and/or
    boolean negatedLogical = expr.negated && expr.kind == ExprKind.LOGICAL;
    // where `not` takes a body (future.keywords.not, rego.v2), `not ({x})` keeps its parens
    boolean negatedBraceLead = expr.negated && o.notBodies
        && (expr.kind == ExprKind.NOT || rendersBraceLead(expr));
    negatedLogical |= negatedBraceLead;
    if (expr.negated) {
      write("not ");
      if (negatedLogical) {
        write("(");
      }
    }
    if (parenTerms) {
      write("(");
    }
    switch (expr.kind) {
      case SOME -> comments = writeSomeDecl(expr, comments);
      case EVERY -> comments = writeEvery(expr, comments);
      case NOT -> comments = writeNot(expr, comments);
      case LOGICAL -> comments = writeLogical(expr, comments);
      case CALL -> comments = writeFunctionCall(expr, comments);
      case TERM -> comments = writeTerm(expr.term, comments);
    }
    if (parenTerms) {
      write(")");
    }
    if (negatedLogical) {
      write(")");
    }
    if (expr.withs.isEmpty()) {
      return comments;
    }
    List<Layout.With> withs = expr.withs;
    int lastRow = exprTermsEndRow(expr);
    int from = 0;
    if (withs.get(0).loc.row == lastRow) {
      comments = writeWith(withs.get(0), comments, false);
      lastRow = withs.get(0).loc.row;
      from = 1;
    }
    boolean indented = false;
    try {
      for (int i = from; i < withs.size(); i++) {
        Layout.With w = withs.get(i);
        boolean indent = w.loc.row > lastRow;
        if (indent) {
          if (!indented) {
            up();
            indented = true;
          }
          endLine();
          startLine();
          lastRow = w.loc.row;
        }
        comments = writeWith(w, comments, indent);
      }
    } finally {
      if (indented) {
        down();
      }
    }
    return comments;
  }

  private static int exprTermsEndRow(Expr expr) {
    String text = expr.loc.text;
    if (!expr.withs.isEmpty()) {
      int off = expr.withs.get(0).loc.offset - expr.loc.offset;
      if (off > 0 && off <= text.length()) {
        text = text.substring(0, off);
      }
    }
    int end = text.length();
    while (end > 0 && " \t\r\n".indexOf(text.charAt(end - 1)) >= 0) {
      end--;
    }
    int row = expr.loc.row;
    for (int i = 0; i < end; i++) {
      if (text.charAt(i) == '\n') {
        row++;
      }
    }
    return row;
  }

  private static boolean isSetTerm(Expr e) {
    return !e.negated && e.kind == ExprKind.TERM && e.term.kind == TermKind.SET;
  }

  private List<Comment> writeSomeDecl(Expr decl, List<Comment> comments) {
    comments = insertComments(comments, decl.loc);
    write("some ");
    int row = decl.loc.row;
    for (int i = 0; i < decl.symbols.size(); i++) {
      Term t = decl.symbols.get(i);
      if (t.kind == TermKind.VAR) {
        if (t.loc.row > row) {
          endLine();
          startLine();
          write("\t");
          row = t.loc.row;
        } else if (i > 0) {
          write(" ");
        }
        comments = writeTerm(t, comments);
        if (i < decl.symbols.size() - 1) {
          write(",");
        }
      } else if (t.kind == TermKind.CALL) {
        Infix in = INFIX.get(t.items.get(0).dotted());
        comments = writeInOperator(false, t.items.subList(1, t.items.size()), comments, in == null ? 2 : in.arity);
      }
    }
    return comments;
  }

  private List<Comment> writeEvery(Expr every, List<Comment> comments) {
    Loc l = every.loc;
    comments = insertComments(comments, l);
    write("every ");
    if (every.everyKey != null) {
      comments = writeTerm(every.everyKey, comments);
      write(", ");
    }
    comments = writeTerm(every.everyValue, comments);
    write(" in ");
    comments = writeTerm(every.domain, comments);
    write(" {");
    try {
      comments = writeComprehensionBody('{', '}', every.body, l, l, comments);
    } catch (UnexpectedComment u) {
      comments = u.comments;
    }
    if (every.body.size() == 1 && every.body.get(0).loc.row == l.row) {
      write(" ");
    }
    write("}");
    return comments;
  }

  // ---- not { ... }, and, or

  private List<Comment> writeNot(Expr not, List<Comment> comments) {
    Loc l = not.loc;
    comments = insertComments(comments, l);
    write("not ");
    if (not.explicitBody || not.body.size() > 1) {
      if (isUnionExpr(not.body.get(0))) {
        parenExpr = not.body.get(0);
      }
      write("{");
      try {
        comments = writeComprehensionBody('{', '}', not.body, l, l, comments);
      } catch (UnexpectedComment u) {
        comments = u.comments;
      }
      if (not.body.get(not.body.size() - 1).loc.row == l.row) {
        write(" ");
      }
      write("}");
      return comments;
    }
    boolean parens = notBodyNeedsParens(not.body.get(0));
    if (parens) {
      write("(");
    }
    try {
      comments = writeExpr(not.body.get(0), comments);
    } catch (UnexpectedComment u) {
      comments = u.comments;
    }
    if (parens) {
      write(")");
    }
    return comments;
  }

  private static boolean notBodyNeedsParens(Expr e) {
    return !e.withs.isEmpty() || e.kind == ExprKind.LOGICAL || e.kind == ExprKind.NOT || rendersBraceLead(e);
  }

  /** One operand of an and/or chain: braced (explicit) or a single expression, maybe parenthesized. */
  private record Operand(List<Expr> body, boolean explicit, boolean parens, Loc brace) {}

  /** One operator application of a chain; lhsEndRow is where everything left of it ends. */
  private record Step(String op, Operand rhs, int lhsEndRow) {
    boolean breaksLine() {
      Loc start = rhs.explicit ? rhs.brace : rhs.body.isEmpty() ? null : rhs.body.get(0).loc;
      return start != null && start.row > lhsEndRow;
    }
  }

  private record Chain(Operand first, List<Step> steps) {}

  private List<Comment> writeLogical(Expr expr, List<Comment> comments) {
    Chain chain = flatten(expr);
    try {
      comments = writeOperand(chain.first, comments);
    } catch (UnexpectedComment u) {
      comments = u.comments;
    }
    boolean indented = false;
    try {
      for (Step s : chain.steps) {
        write(" " + s.op);
        if (s.breaksLine()) {
          if (!indented) {
            up();
            indented = true;
          }
          endLine();
          startLine();
        } else {
          write(" ");
        }
        try {
          comments = writeOperand(s.rhs, comments);
        } catch (UnexpectedComment u) {
          comments = u.comments;
        }
      }
    } finally {
      if (indented) {
        down();
      }
    }
    return comments;
  }

  private List<Comment> writeOperand(Operand o, List<Comment> comments) {
    if (!o.explicit) {
      if (o.parens) {
        write("(");
      }
      try {
        return writeExpr(o.body.get(0), comments);
      } finally {
        if (o.parens) {
          write(")");
        }
      }
    }
    if (o.body.isEmpty()) {
      write("{}");
      return comments;
    }
    if (isUnionExpr(o.body.get(0))) {
      parenExpr = o.body.get(0);
    }
    write("{");
    try {
      comments = writeComprehensionBody('{', '}', o.body, o.brace, o.brace, comments);
    } catch (UnexpectedComment u) {
      comments = u.comments;
    }
    if (o.body.get(o.body.size() - 1).loc.row == o.brace.row) {
      write(" ");
    }
    write("}");
    return comments;
  }

  /** Left-associative chains `a and b and c` are written as one chain with one continuation indent. */
  private static Chain flatten(Expr expr) {
    String op = expr.and ? "and" : "or";
    Operand rhs = operand(expr.rhs, expr.explicitRhs, op, true, expr.rhsBrace == null ? expr.loc : expr.rhsBrace);
    List<Expr> lhs = expr.body;
    if (!expr.explicitLhs && lhs.size() == 1 && lhs.get(0).kind == ExprKind.LOGICAL
        && !operandNeedsParens(lhs.get(0), op, false)) {
      Chain inner = flatten(lhs.get(0));
      List<Step> steps = new ArrayList<>(inner.steps);
      steps.add(new Step(op, rhs, bodyEndRow(lhs)));
      return new Chain(inner.first, steps);
    }
    Operand first = operand(lhs, expr.explicitLhs, op, false, expr.lhsBrace == null ? expr.loc : expr.lhsBrace);
    List<Step> steps = new ArrayList<>();
    steps.add(new Step(op, rhs, operandEndRow(first)));
    return new Chain(first, steps);
  }

  private static Operand operand(List<Expr> b, boolean explicit, String parentOp, boolean rhs, Loc brace) {
    if (explicit || b.size() != 1) {
      return new Operand(b, true, false, brace);
    }
    return new Operand(b, false, operandNeedsParens(b.get(0), parentOp, rhs), null);
  }

  private static boolean operandNeedsParens(Expr e, String parentOp, boolean rhs) {
    if (!e.withs.isEmpty()) {
      return true;
    }
    if (e.kind == ExprKind.LOGICAL) {
      // `or` binds looser than `and`; same-operator chains keep their right nesting
      return e.and ? parentOp.equals("and") && rhs : parentOp.equals("and") || rhs;
    }
    return rendersBraceLead(e);
  }

  private static int operandEndRow(Operand o) {
    if (o.explicit) {
      int row = closingLoc((char) 0, (char) 0, '{', '}', o.brace).row;
      if (row > 0) {
        return row;
      }
    }
    return bodyEndRow(o.body);
  }

  private static int bodyEndRow(List<Expr> b) {
    if (b.isEmpty()) {
      return 0;
    }
    Loc l = b.get(b.size() - 1).loc;
    return l.row + (int) l.text.stripTrailing().chars().filter(c -> c == '\n').count();
  }

  /** True when an expression's rendering starts with `{` (read back as a body in operand position). */
  private static boolean rendersBraceLead(Expr e) {
    if (e.kind == ExprKind.TERM) {
      return termRendersBraceLead(e.term);
    }
    if (e.kind == ExprKind.CALL) {
      String op = e.call.get(0).dotted();
      Infix bi = op == null ? null : INFIX.get(op);
      if (bi != null) {
        if (e.call.size() == bi.arity + 1) {
          return termRendersBraceLead(e.call.get(1));
        }
        if (e.call.size() == bi.arity + 2) {
          return termRendersBraceLead(e.call.get(e.call.size() - 1));
        }
      }
    }
    return false;
  }

  private static boolean termRendersBraceLead(Term t) {
    switch (t.kind) {
      case SET:
        return !t.items.isEmpty();
      case OBJECT:
      case SET_COMPR:
      case OBJECT_COMPR:
        return true;
      case REF:
        return !t.items.isEmpty() && termRendersBraceLead(t.items.get(0));
      case CALL: {
        String op = t.items.get(0).dotted();
        Infix bi = op == null ? null : INFIX.get(op);
        return bi != null && t.items.size() == bi.arity + 1 && termRendersBraceLead(t.items.get(1));
      }
      default:
        return false;
    }
  }

  private List<Comment> writeFunctionCall(Expr expr, List<Comment> comments) {
    List<Term> terms = expr.call;
    String op = terms.get(0).dotted();
    Infix bi = op == null ? null : INFIX.get(op);
    if (bi != null && bi.op.equals("in")) {
      return writeInOperator(false, terms.subList(1, terms.size()), comments, bi.arity);
    }
    if (bi == null) {
      return writeFunctionCallPlain(terms, comments);
    }
    int args = terms.size() - 1;
    if (args == bi.arity) {
      comments = writeTerm(terms.get(1), comments);
      write(" " + bi.op + " ");
      return writeTerm(terms.get(2), comments);
    }
    if (args == bi.arity + 1) {
      comments = writeTerm(terms.get(3), comments);
      write(" = ");
      comments = writeTerm(terms.get(1), comments);
      write(" " + bi.op + " ");
      return writeTerm(terms.get(2), comments);
    }
    errors.add(op + ": arity mismatch");
    return writeFunctionCallPlain(terms, comments);
  }

  private List<Comment> writeFunctionCallPlain(List<Term> terms, List<Comment> comments) {
    Term op = terms.get(0);
    if (op.kind == TermKind.REF) {
      comments = writeRef(op.items, comments);
    } else {
      write(GoText.termString(op));
    }
    write("(");
    try {
      return writeIterable(new ArrayList<>(terms.subList(1, terms.size())), op.loc,
          closingLoc((char) 0, (char) 0, '(', ')', op.loc), comments, listWriter(false));
    } finally {
      write(")");
    }
  }

  private List<Comment> writeWith(Layout.With w, List<Comment> comments, boolean indented) {
    comments = insertComments(comments, w.loc);
    if (!indented) {
      write(" ");
    }
    write("with ");
    comments = writeTerm(w.target, comments);
    write(" as ");
    try {
      comments = writeTerm(w.value, comments);
    } catch (UnexpectedComment u) {
      comments = u.comments;
    }
    return comments;
  }

  // ---- terms

  private List<Comment> writeTerm(Term term, List<Comment> comments) {
    if (comments.isEmpty()) {
      return writeTermParens(false, term, comments);
    }
    int len = buf.length();
    int savedLevel = level;
    List<Comment> saved = List.copyOf(comments);
    try {
      return writeTermParens(false, term, comments);
    } catch (UnexpectedComment u) {
      buf.setLength(len);
      level = savedLevel;
      if (beforeEnd != null && !term.loc.text.isEmpty()) {
        int endRow = term.loc.endRow();
        if (beforeEnd.loc.row >= term.loc.row && beforeEnd.loc.row <= endRow) {
          beforeEnd = null;
        }
      }
      throw new UnexpectedComment(writeUnformatted(term.loc, saved));
    }
  }

  private List<Comment> writeUnformatted(Loc l, List<Comment> comments) {
    if (l.text.isEmpty()) {
      errors.add("original unformatted text is empty");
      return comments;
    }
    int rowNum = 1;
    for (int i = 0; i < l.text.length(); i++) {
      if (l.text.charAt(i) == '\n') {
        rowNum++;
      }
    }
    write(l.text);
    List<Comment> out = new ArrayList<>();
    int lastRow = l.row + rowNum - 1;
    for (Comment c : comments) {
      if (writeCommentOnFinalLine && c.loc.row == lastRow) {
        write(" ");
        write(c.loc.text);
        continue;
      }
      if (c.loc.row < lastRow) {
        continue;
      }
      out.add(c);
    }
    return out;
  }

  private List<Comment> writeTermParens(boolean parens, Term term, List<Comment> comments) {
    if (parenTerm == term) {
      parenTerm = null;
      parens = true;
    }
    comments = insertComments(comments, term.loc);
    if (!inline) {
      startLine();
    }
    switch (term.kind) {
      case REF -> comments = writeRef(term.items, comments);
      case OBJECT -> comments = writeObject(term, comments);
      case ARRAY -> comments = writeArray(term, comments);
      case SET -> comments = writeSet(term, comments);
      case ARRAY_COMPR -> {
        write("[");
        try {
          comments = writeComprehension('[', ']', term.head, term.body, term.loc, comments);
        } finally {
          write("]");
        }
      }
      case SET_COMPR -> {
        write("{");
        try {
          comments = writeComprehension('{', '}', term.head, term.body, term.loc, comments);
        } finally {
          write("}");
        }
      }
      case OBJECT_COMPR -> comments = writeObjectComprehension(term, comments);
      case STRING -> writeString(term);
      case TEMPLATE -> comments = writeTemplate(term, comments);
      case VAR -> write(formatVar(term));
      case CALL -> comments = writeCall(parens, term, comments);
      default -> write(term.text);
    }
    if (!inline) {
      startLine();
    }
    return comments;
  }

  private void writeString(Term term) {
    String text = term.loc.text;
    if (!text.isEmpty() && text.charAt(0) == '`') {
      write(text);
      return;
    }
    char last = text.isEmpty() ? 0 : text.charAt(text.length() - 1);
    if (last == '"' || last == '`') {
      int cut = text.indexOf(last);
      write(String.valueOf(last));
      write(text.substring(cut + 1));
    } else {
      write(GoText.quote(term.text));
    }
  }

  private List<Comment> writeTemplate(Term ts, List<Comment> comments) {
    write("$");
    write(ts.multiLine ? "`" : "\"");
    for (int i = 0; i < ts.parts.size(); i++) {
      Object p = ts.parts.get(i);
      if (p instanceof Expr x) {
        write("{");
        up();
        if (beforeEnd != null) {
          endLine();
          startLine();
        } else {
          List<Comment> before = partition(comments, x.loc).before;
          if (!before.isEmpty()) {
            write(" ");
            inline = true;
            writeComments(before);
            comments = comments.subList(before.size(), comments.size());
          }
        }
        comments = writeExpr(x, comments);
        if (i + 1 < ts.parts.size()) {
          List<Comment> before = partition(comments, partLoc(ts.parts.get(i + 1))).before;
          if (!before.isEmpty()) {
            endLine();
            writeComments(before);
            comments = comments.subList(before.size(), comments.size());
            startLine();
          }
        }
        write("}");
        down();
      } else if (p instanceof Term t) {
        if (t.kind == TermKind.STRING) {
          if (ts.multiLine) {
            write(GoText.escapeTemplate(t.text));
          } else {
            String q = GoText.escapeTemplate(GoText.quote(t.text));
            write(q.substring(1, q.length() - 1));
          }
        } else {
          String s = GoText.termString(t);
          if (s.startsWith("\"")) {
            s = s.substring(1);
          }
          if (s.endsWith("\"")) {
            s = s.substring(0, s.length() - 1);
          }
          write(s);
        }
      }
    }
    write(ts.multiLine ? "`" : "\"");
    return comments;
  }

  private static Loc partLoc(Object p) {
    return p instanceof Expr e ? e.loc : ((Term) p).loc;
  }

  private List<Comment> writeRef(List<Term> ref, List<Comment> comments) {
    if (ref.isEmpty()) {
      return comments;
    }
    Term head = ref.get(0);
    boolean parens = head.kind == TermKind.CALL && head.loc.text.startsWith("(");
    comments = writeTermParens(parens, head, comments);
    for (Term t : ref.subList(1, ref.size())) {
      if (t.kind == TermKind.STRING) {
        writeRefStringPath(t);
      } else if (t.kind == TermKind.VAR) {
        write("[" + formatVar(t) + "]");
      } else {
        write("[");
        try {
          comments = writeTerm(t, comments);
        } catch (UnexpectedComment u) {
          comments = u.comments;
          write("\n");
        }
        write("]");
      }
    }
    return comments;
  }

  private void writeRefStringPath(Term t) {
    if (shouldBracket(t)) {
      write("[" + GoText.quote(t.text) + "]");
    } else {
      write("." + t.text);
    }
  }

  private boolean shouldBracket(Term t) {
    if (!t.text.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      return true;
    }
    if (o.keywords.contains(t.text)) {
      if (!o.keywordsInRefs) {
        return true;
      }
      return !t.loc.text.isEmpty() && t.loc.text.charAt(0) == '"';
    }
    return false;
  }

  private static String formatVar(Term v) {
    return v.isWildcard() ? "_" : v.text;
  }

  private List<Comment> writeCall(boolean parens, Term call, List<Comment> comments) {
    String op = call.items.get(0).dotted();
    Infix bi = op == null ? null : INFIX.get(op);
    if (bi == null) {
      return writeFunctionCallPlain(call.items, comments);
    }
    if (bi.op.equals("in")) {
      return writeInOperator(true, call.items.subList(1, call.items.size()), comments, bi.arity);
    }
    if (parens) {
      write("(");
    }
    if (bi.arity != call.items.size() - 1) {
      errors.add(op + ": arity mismatch");
      return comments;
    }
    comments = writeTermParens(true, call.items.get(1), comments);
    write(" " + bi.op + " ");
    comments = writeTermParens(true, call.items.get(2), comments);
    if (parens) {
      write(")");
    }
    return comments;
  }

  private List<Comment> writeInOperator(boolean parens, List<Term> operands, List<Comment> comments, int arity) {
    if (operands.size() != arity) {
      errors.add((arity == 3 ? "internal.member_3" : "internal.member_2") + ": arity mismatch");
      return comments;
    }
    if (arity == 2) {
      comments = writeTermParens(true, operands.get(0), comments);
      write(" in ");
      return writeTermParens(true, operands.get(1), comments);
    }
    if (parens) {
      write("(");
    }
    try {
      comments = writeTermParens(true, operands.get(0), comments);
      write(", ");
      comments = writeTermParens(true, operands.get(1), comments);
      write(" in ");
      return writeTermParens(true, operands.get(2), comments);
    } finally {
      if (parens) {
        write(")");
      }
    }
  }

  private List<Comment> writeObject(Term obj, List<Comment> comments) {
    write("{");
    try {
      return writeIterable(new ArrayList<>(obj.entries), obj.loc, closingLoc((char) 0, (char) 0, '{', '}', obj.loc),
          comments, objectWriter());
    } finally {
      write("}");
    }
  }

  private List<Comment> writeArray(Term arr, List<Comment> comments) {
    write("[");
    try {
      return writeIterable(new ArrayList<>(arr.items), arr.loc, closingLoc((char) 0, (char) 0, '[', ']', arr.loc),
          comments, listWriter(true));
    } finally {
      write("]");
    }
  }

  private List<Comment> writeSet(Term set, List<Comment> comments) {
    if (set.items.isEmpty()) {
      write("set()");
      return insertComments(comments, closingLoc((char) 0, (char) 0, '(', ')', set.loc));
    }
    write("{");
    try {
      return writeIterable(new ArrayList<>(set.items), set.loc, closingLoc((char) 0, (char) 0, '{', '}', set.loc),
          comments, listWriter(true));
    } finally {
      write("}");
    }
  }

  private List<Comment> writeObjectComprehension(Term oc, List<Comment> comments) {
    write("{");
    try {
      Loc valueLoc = oc.head.loc.copy();
      valueLoc.row = oc.loc.row;
      oc.head.loc = valueLoc;
      boolean paren = isUnionCall(oc.key);
      if (paren) {
        write("(");
      }
      comments = writeTerm(oc.key, comments);
      if (paren) {
        write(")");
      }
      write(": ");
      return writeComprehension('{', '}', oc.head, oc.body, oc.loc, comments);
    } finally {
      write("}");
    }
  }

  private List<Comment> writeComprehension(char open, char close, Term term, List<Expr> body, Loc l,
      List<Comment> comments) {
    if (term.loc.row - l.row >= 1) {
      endLine();
      startLine();
    }
    boolean parens = term.kind == TermKind.CALL && (isUnionCall(term) || term.loc.text.startsWith("("));
    comments = writeTermParens(parens, term, comments);
    write(" |");
    return writeComprehensionBody(open, close, body, term.loc, l, comments);
  }

  private List<Comment> writeComprehensionBody(char open, char close, List<Expr> body, Loc termLoc, Loc compr,
      List<Comment> comments) {
    List<List<Object>> lines = groupIterable(new ArrayList<>(body), termLoc);
    if (Layout.bodyLoc(body).row - termLoc.row > 0 || lines.size() > 1) {
      endLine();
      up();
      try {
        comments = writeBody(body, comments);
        // comments before the closing bracket stay at the body's indentation
        return insertComments(comments, closingLoc((char) 0, (char) 0, open, close, compr));
      } finally {
        down();
        startLine();
      }
    } else {
      write(" ");
      for (int i = 0; i < body.size() - 1; i++) {
        comments = writeExpr(body.get(i), comments);
        write("; ");
      }
      comments = writeExpr(body.get(body.size() - 1), comments);
    }
    return insertComments(comments, closingLoc((char) 0, (char) 0, open, close, compr));
  }

  // ---- imports

  List<Comment> writeImports(List<Layout.Import> imports, List<Comment> comments) {
    java.util.IdentityHashMap<Layout.Import, Comment> attached = new java.util.IdentityHashMap<>();
    List<Comment> rest = new ArrayList<>();
    for (Comment c : comments) {
      Layout.Import match = null;
      for (Layout.Import i : imports) {
        if (c.loc.row == i.loc.row) {
          match = i;
          break;
        }
      }
      if (match != null) {
        attached.put(match, c);
      } else {
        rest.add(c);
      }
    }
    comments = rest;
    for (List<Layout.Import> group : groupImports(imports)) {
      comments = insertComments(comments, group.get(0).loc);
      List<Layout.Import> sorted = new ArrayList<>(group);
      sorted.sort(Writer::compareImports);
      for (Layout.Import imp : sorted) {
        startLine();
        writeImport(imp);
        Comment c = attached.get(imp);
        if (c != null) {
          write(" " + c.render());
        }
        endLine();
      }
      blankLine();
    }
    return comments;
  }

  private static List<List<Layout.Import>> groupImports(List<Layout.Import> imports) {
    List<List<Layout.Import>> groups = new ArrayList<>();
    if (imports.isEmpty()) {
      return groups;
    }
    List<Layout.Import> group = new ArrayList<>();
    group.add(imports.get(0));
    for (Layout.Import i : imports.subList(1, imports.size())) {
      Layout.Import last = group.get(group.size() - 1);
      if (i.loc.row - last.loc.row > 1) {
        groups.add(group);
        group = new ArrayList<>();
      }
      group.add(i);
    }
    groups.add(group);
    return groups;
  }

  static int compareImports(Layout.Import a, Layout.Import b) {
    int n = Math.min(a.path.size(), b.path.size());
    for (int i = 0; i < n; i++) {
      int c = compareSimple(a.path.get(i), b.path.get(i));
      if (c != 0) {
        return c;
      }
    }
    if (a.path.size() != b.path.size()) {
      return Integer.compare(a.path.size(), b.path.size());
    }
    return (a.alias == null ? "" : a.alias).compareTo(b.alias == null ? "" : b.alias);
  }

  private static int compareSimple(Term a, Term b) {
    int ra = a.kind == TermKind.VAR ? 1 : 0;
    int rb = b.kind == TermKind.VAR ? 1 : 0;
    if (ra != rb) {
      return Integer.compare(ra, rb);
    }
    return compareUtf8(a.text, b.text);
  }

  private static int compareUtf8(String a, String b) {
    byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return java.util.Arrays.compareUnsigned(x, y);
  }

  private void writeImport(Layout.Import imp) {
    write("import ");
    if (isFutureKeywordImport(imp)) {
      Writer w2 = new Writer(new Opts(o.contains, o.ifs, o.refHeads, o.regoV1, Set.of(), true, o.notBodies));
      w2.writeRef(imp.path, List.of());
      write(w2.buf.toString());
    } else {
      writeRef(imp.path, List.of());
    }
    if (imp.alias != null) {
      write(" as " + imp.alias);
    }
  }

  static boolean isFutureKeywordImport(Layout.Import imp) {
    return imp.path.size() == 3 && imp.path.get(0).kind == TermKind.VAR && imp.path.get(0).text.equals("future")
        && imp.path.get(1).kind == TermKind.STRING && imp.path.get(1).text.equals("keywords");
  }

  // ---- iterables

  private interface EntryWriter {
    List<Comment> write(Object element, List<Comment> comments);
  }

  private List<Comment> writeIterable(List<Object> elements, Loc last, Loc close, List<Comment> comments,
      EntryWriter fn) {
    List<List<Object>> lines = groupIterable(elements, last);
    boolean newlinePrecedesItem = false;
    if (lines.size() == 1) {
      for (Comment c : comments) {
        if (c.loc.row > last.row && c.loc.row < close.row) {
          throw new UnexpectedComment(comments);
        }
      }
      if (!elements.isEmpty()) {
        Loc first = locOf(elements.get(0));
        int cut = first.text.isEmpty() ? 0 : last.text.indexOf(first.text);
        if (cut > 0) {
          newlinePrecedesItem = last.text.substring(0, cut).indexOf('\n') > 0;
        }
      }
    }
    boolean multiline = lines.size() > 1 || (lines.size() == 1 && newlinePrecedesItem);
    if (multiline) {
      delay = true;
      endLine();
      up();
      startLine();
    }
    int i = 0;
    for (; i < lines.size() - 1; i++) {
      comments = writeIterableLine(lines.get(i), comments, fn);
      write(",");
      endLine();
      startLine();
    }
    comments = writeIterableLine(lines.get(i), comments, fn);
    if (multiline) {
      write(",");
      endLine();
      comments = insertComments(comments, close);
      down();
      startLine();
    }
    return comments;
  }

  private List<Comment> writeIterableLine(List<Object> elements, List<Comment> comments, EntryWriter fn) {
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        write(", ");
      }
      comments = fn.write(elements.get(i), comments);
    }
    return comments;
  }

  private List<List<Object>> groupIterable(List<Object> elements, Loc last) {
    // generated variables (from partial evaluation) carry positions that cannot be trusted
    for (Object e : elements) {
      if (hasGeneratedVar(e)) {
        return List.of(elements);
      }
    }
    elements.sort(Comparator.comparingInt((Object x) -> locOf(x).row).thenComparingInt(x -> locOf(x).col));
    List<List<Object>> lines = new ArrayList<>();
    List<Object> cur = new ArrayList<>();
    for (int i = 0; i < elements.size(); i++) {
      Loc l = locOf(elements.get(i));
      if (l.row - last.row > 0 && i > 0) {
        lines.add(cur);
        cur = new ArrayList<>();
      }
      last = l;
      cur.add(elements.get(i));
    }
    lines.add(cur);
    return lines;
  }

  private static boolean hasGeneratedVar(Object x) {
    if (x instanceof Term[] pair) {
      return hasGeneratedVar(pair[0]) || hasGeneratedVar(pair[1]);
    }
    if (x instanceof Expr e) {
      if (e.term != null && hasGeneratedVar(e.term)) {
        return true;
      }
      for (Term t : e.call) {
        if (hasGeneratedVar(t)) {
          return true;
        }
      }
      for (Term t : e.symbols) {
        if (hasGeneratedVar(t)) {
          return true;
        }
      }
      for (Term t : new Term[] {e.everyKey, e.everyValue, e.domain}) {
        if (t != null && hasGeneratedVar(t)) {
          return true;
        }
      }
      if (e.body != null && e.body.stream().anyMatch(Writer::hasGeneratedVar)) {
        return true;
      }
      if (e.rhs != null && e.rhs.stream().anyMatch(Writer::hasGeneratedVar)) {
        return true;
      }
      return e.withs.stream().anyMatch(w -> hasGeneratedVar(w.target) || hasGeneratedVar(w.value));
    }
    if (!(x instanceof Term t)) {
      return false;
    }
    if (t.synthetic()) {
      return true;
    }
    if (t.kind == TermKind.VAR && t.text.startsWith("__local")) {
      return true;
    }
    for (Term i : t.items) {
      if (hasGeneratedVar(i)) {
        return true;
      }
    }
    for (Term[] e : t.entries) {
      if (hasGeneratedVar(e)) {
        return true;
      }
    }
    if ((t.head != null && hasGeneratedVar(t.head)) || (t.key != null && hasGeneratedVar(t.key))) {
      return true;
    }
    if (t.body != null && t.body.stream().anyMatch(Writer::hasGeneratedVar)) {
      return true;
    }
    return t.parts.stream().anyMatch(Writer::hasGeneratedVar);
  }

  private EntryWriter objectWriter() {
    return (x, comments) -> {
      Term[] entry = (Term[]) x;
      boolean paren = isUnionCall(entry[0]);
      if (paren) {
        write("(");
      }
      comments = writeTerm(entry[0], comments);
      if (paren) {
        write(")");
      }
      write(": ");
      boolean vparen = isUnionCall(entry[1]);
      if (vparen) {
        write("(");
      }
      try {
        return writeTerm(entry[1], comments);
      } finally {
        if (vparen) {
          write(")");
        }
      }
    };
  }

  private EntryWriter listWriter(boolean parenUnionCalls) {
    return (x, comments) -> {
      Term t = (Term) x;
      boolean paren = isUnionCall(t) && (parenUnionCalls || t.loc.text.startsWith("("));
      if (paren) {
        write("(");
      }
      try {
        return writeTerm(t, comments);
      } finally {
        if (paren) {
          write(")");
        }
      }
    };
  }

  private static boolean isUnionCall(Term t) {
    return t.kind == TermKind.CALL && "or".equals(t.items.get(0).dotted());
  }

  private static boolean isUnionExpr(Expr e) {
    return e.kind == ExprKind.CALL && e.call.size() == 3 && "or".equals(e.call.get(0).dotted());
  }

  private void markUnionLead(Expr expr) {
    if (expr.negated) {
      return;
    }
    if (expr.kind == ExprKind.LOGICAL) {
      Operand lhs = flatten(expr).first;
      if (!lhs.explicit && !lhs.parens) {
        markUnionLead(lhs.body.get(0));
      }
      return;
    }
    if (isUnionExpr(expr)) {
      parenExpr = expr;
      return;
    }
    if (expr.kind != ExprKind.CALL) {
      return;
    }
    String op = expr.call.get(0).dotted();
    Infix bi = op == null ? null : INFIX.get(op);
    if (bi != null) {
      Term lead = null;
      if (expr.call.size() == bi.arity + 1) {
        lead = expr.call.get(1);
      } else if (expr.call.size() == bi.arity + 2) {
        lead = expr.call.get(expr.call.size() - 1);
      }
      if (lead != null && isUnionCall(lead)) {
        parenTerm = lead;
      }
    }
  }

  // ---- positions of closing brackets, found in a node's text as OPA finds them

  private static Loc closingLoc(char skipOpen, char skipClose, char open, char close, Loc l) {
    String text = l.text;
    int i = 0;
    int offset = 0;
    if (skipOpen > 0) {
      for (; i < text.length(); i++) {
        if (text.charAt(i) == skipOpen) {
          break;
        }
      }
      int state = 1;
      while (state > 0) {
        i++;
        if (i >= text.length()) {
          break;
        }
        char c = text.charAt(i);
        if (c == skipOpen) {
          state++;
        } else if (c == skipClose) {
          state--;
        } else if (c == '\n') {
          offset++;
        }
      }
    }
    for (; i < text.length(); i++) {
      if (text.charAt(i) == open) {
        break;
      }
    }
    if (i >= text.length()) {
      return NEGATIVE_ROW;
    }
    int state = 1;
    while (state > 0) {
      i++;
      if (i >= text.length()) {
        return NEGATIVE_ROW;
      }
      char c = text.charAt(i);
      if (c == open) {
        state++;
      } else if (c == close) {
        state--;
      } else if (c == '\n') {
        offset++;
      }
    }
    return Loc.at(l.row + offset);
  }

  // ---- low-level output

  private void startLine() {
    inline = true;
    for (int i = 0; i < level; i++) {
      buf.append('\t');
    }
  }

  private void endLine() {
    inline = false;
    if (beforeEnd != null && !delay) {
      write(" " + beforeEnd.render());
      beforeEnd = null;
    }
    delay = false;
    write("\n");
  }

  private void blankLine() {
    if (inline) {
      endLine();
    }
    write("\n");
  }

  private void write(String s) {
    buf.append(s);
  }

  private void writeLine(String s) {
    if (!inline) {
      startLine();
    }
    write(s);
    endLine();
  }

  private void up() {
    level++;
  }

  private void down() {
    if (level == 0) {
      errors.add("negative indentation level");
      return;
    }
    level--;
  }
}
