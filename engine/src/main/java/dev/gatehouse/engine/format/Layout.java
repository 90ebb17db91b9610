package dev.gatehouse.engine.format;

import java.util.ArrayList;
import java.util.List;

/**
 * The formatter's own tree: the parsed module re-described with the positions OPA's layout rules
 * look at (start row/column plus the node's full source text). Mutable, because some layout rules
 * move a node onto another row (an {@code else} value, an object comprehension's value).
 */
final class Layout {
  private Layout() {}

  /** Where a node starts and the source text it spans. {@code synthetic} marks nodes the formatter made. */
  static final class Loc {
    int row;
    int col;
    int offset;
    String text;
    boolean synthetic;

    Loc(int row, int col, int offset, String text) {
      this.row = row;
      this.col = col;
      this.offset = offset;
      this.text = text;
    }

    Loc copy() {
      Loc l = new Loc(row, col, offset, text);
      l.synthetic = synthetic;
      return l;
    }

    /** Row of the last character of text. */
    int endRow() {
      int r = row;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          r++;
        }
      }
      return r;
    }

    static Loc at(int row) {
      return new Loc(row, 0, 0, "");
    }
  }

  enum TermKind { NULL, BOOLEAN, NUMBER, STRING, VAR, REF, ARRAY, SET, OBJECT, ARRAY_COMPR, SET_COMPR, OBJECT_COMPR, CALL, TEMPLATE }

  static final class Term {
    final TermKind kind;
    Loc loc;
    /** Literal text: var name, number text, boolean/null word, or the decoded string value. */
    String text;
    /** REF: head then operands; CALL: operator (a REF) then args; ARRAY/SET: elements. */
    final List<Term> items = new ArrayList<>();
    /** OBJECT entries as key/value pairs. */
    final List<Term[]> entries = new ArrayList<>();
    /** Comprehension head (value for object comprehensions) and key. */
    Term head;
    Term key;
    List<Expr> body;
    /** TEMPLATE parts: Term (literal or scalar) or Expr. */
    final List<Object> parts = new ArrayList<>();
    boolean multiLine;

    Term(TermKind kind, Loc loc) {
      this.kind = kind;
      this.loc = loc;
    }

    boolean isTrue() {
      return kind == TermKind.BOOLEAN && text.equals("true");
    }

    boolean synthetic() {
      return loc.synthetic;
    }

    boolean isWildcard() {
      return kind == TermKind.VAR && text.startsWith("$");
    }

    /** The dotted name of a REF made of a var and strings, e.g. {@code internal.member_2}. */
    String dotted() {
      if (kind == TermKind.VAR) {
        return text;
      }
      if (kind != TermKind.REF) {
        return null;
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < items.size(); i++) {
        Term t = items.get(i);
        if (i == 0 ? t.kind != TermKind.VAR : t.kind != TermKind.STRING) {
          return null;
        }
        if (i > 0) {
          sb.append('.');
        }
        sb.append(t.text);
      }
      return sb.toString();
    }
  }

  enum ExprKind { TERM, CALL, SOME, EVERY, NOT, LOGICAL }

  static final class Expr {
    ExprKind kind;
    Loc loc;
    boolean negated;
    Term term;
    /** CALL: operator then arguments, as OPA stores call expressions. */
    final List<Term> call = new ArrayList<>();
    final List<Term> symbols = new ArrayList<>();
    Term everyKey;
    Term everyValue;
    Term domain;
    /** EVERY and NOT: the body; LOGICAL: the left operand. */
    List<Expr> body;
    /** NOT: written with braces. */
    boolean explicitBody;
    /** LOGICAL: `and` (else `or`), the right operand, which operands were braced, and their braces. */
    boolean and;
    List<Expr> rhs;
    boolean explicitLhs;
    boolean explicitRhs;
    Loc lhsBrace;
    Loc rhsBrace;
    final List<With> withs = new ArrayList<>();
  }

  static final class With {
    Loc loc;
    Term target;
    Term value;
  }

  static final class Head {
    Loc loc;
    final List<Term> ref = new ArrayList<>();
    List<Term> args = new ArrayList<>();
    Term key;
    Term value;
    boolean assign;
    boolean isElse;
    /** The value was implied (`p if ...`), not written. */
    boolean generatedValue;
  }

  static final class Rule {
    Loc loc;
    boolean isDefault;
    Head head;
    List<Expr> body;
    Rule elseRule;
  }

  static final class Import {
    Loc loc;
    final List<Term> path = new ArrayList<>();
    String alias;
  }

  static final class Comment {
    Loc loc;
    String text;

    String render() {
      return "#" + text;
    }
  }

  static final class Module {
    Loc pkgLoc;
    final List<Term> pkgPath = new ArrayList<>();
    final List<Import> imports = new ArrayList<>();
    final List<Rule> rules = new ArrayList<>();
    final List<Comment> comments = new ArrayList<>();
  }

  static Loc bodyLoc(List<Expr> body) {
    return body.isEmpty() ? null : body.get(0).loc;
  }
}
