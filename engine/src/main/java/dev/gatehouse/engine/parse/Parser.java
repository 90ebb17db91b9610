package dev.gatehouse.engine.parse;

import dev.gatehouse.engine.ast.Annotations;
import dev.gatehouse.engine.ast.ArrayCompr;
import dev.gatehouse.engine.ast.ArrayTerm;
import dev.gatehouse.engine.ast.Body;
import dev.gatehouse.engine.ast.Call;
import dev.gatehouse.engine.ast.Comment;
import dev.gatehouse.engine.ast.Expr;
import dev.gatehouse.engine.ast.Head;
import dev.gatehouse.engine.ast.Import;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.ObjectCompr;
import dev.gatehouse.engine.ast.ObjectTerm;
import dev.gatehouse.engine.ast.Package;
import dev.gatehouse.engine.ast.Ref;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.ast.Rule;
import dev.gatehouse.engine.ast.Scalar;
import dev.gatehouse.engine.ast.SetCompr;
import dev.gatehouse.engine.ast.SetTerm;
import dev.gatehouse.engine.ast.TemplateString;
import dev.gatehouse.engine.ast.Term;
import dev.gatehouse.engine.ast.Var;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.StringValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Recursive-descent parser over the token list; one instance per source. */
final class Parser {
  private static final int MAX_DEPTH = 1_000;
  static final Set<String> KEYWORDS = Set.of("package", "import", "as", "default", "else", "not", "with",
      "some", "true", "false", "null", "if", "contains", "in", "every", "and", "or");

  /** Thrown to abandon parsing at the first syntax error. */
  static final class Failure extends RuntimeException {
    final ParseProblem problem;
    /** A second error opa reports at the same place (what the enclosing construct expected), or null. */
    final ParseProblem context;

    Failure(ParseProblem problem) {
      this(problem, null);
    }

    Failure(ParseProblem problem, ParseProblem context) {
      super(problem.message(), null, false, false);
      this.problem = problem;
      this.context = context;
    }
  }

  private final String file;
  private final Lexer lexer;
  private final List<Token> toks;
  private final RegoVersion version;
  private int p;
  private int depth;
  private boolean noBar;
  private int wildcards;
  private boolean kwIf;
  private boolean kwContains;
  private boolean kwIn;
  private boolean kwEvery;
  /** OPA 1.22's logical operators and `not { body }`, enabled by future.keywords.{and,or,not} or rego.v2. */
  private boolean kwAnd;
  private boolean kwOr;
  private boolean kwNot;

  /** Errors that do not stop parsing (opa goes on after them); null in sub-parsers. */
  private List<ParseProblem> problems;

  /**
   * v1's rule requirements (`if` before a body, `contains` for partial sets) in a v0 module: set
   * by {@code import rego.v1}/{@code rego.v2}, or from the start for opa's {@code --v0-v1}
   * (modules that must be valid in both versions). The module stays v0 otherwise: keywords still
   * need their imports.
   */
  private boolean v1Rules;

  Parser(String file, String src, RegoVersion version, List<ParseProblem> problems, boolean v1Rules) {
    this(file, src, version, problems);
    this.v1Rules = v1Rules;
  }

  Parser(String file, String src, RegoVersion version, List<ParseProblem> problems) {
    this.problems = problems;
    this.file = file;
    this.version = version;
    this.lexer = new Lexer(file, src, problems);
    this.toks = lexer.tokenize();
    boolean v1 = version == RegoVersion.V1;
    kwIf = kwContains = kwIn = kwEvery = v1;
  }

  private Parser(Parser parent, String src) {
    this.file = parent.file;
    this.version = parent.version;
    this.lexer = new Lexer(parent.file, src, new ArrayList<>());
    this.toks = lexer.tokenize();
    this.kwIf = parent.kwIf;
    this.kwContains = parent.kwContains;
    this.kwIn = parent.kwIn;
    this.kwEvery = parent.kwEvery;
    this.kwAnd = parent.kwAnd;
    this.kwOr = parent.kwOr;
    this.kwNot = parent.kwNot;
    this.v1Rules = parent.v1Rules;
    this.wildcards = parent.wildcards + 1_000;
  }

  List<Comment> comments() {
    return lexer.comments();
  }

  // ---- token helpers

  private Token tok() {
    return toks.get(p);
  }

  private Token peek(int ahead) {
    return toks.get(Math.min(p + ahead, toks.size() - 1));
  }

  private Token advance() {
    Token t = toks.get(p);
    if (p < toks.size() - 1) {
      p++;
    }
    return t;
  }

  private Location loc(Token t) {
    return new Location(file, t.row(), t.col(), t.offset());
  }

  private Failure error(Token t, String message) {
    return new Failure(new ParseProblem(message, loc(t)));
  }

  private Failure unexpected(Token t) {
    return unexpected(t, null);
  }

  private Failure unexpected(Token t, String expected) {
    String what;
    if (t.type() == TokenType.IDENT && KEYWORDS.contains(t.text()) && isKeywordActive(t.text())) {
      what = "unexpected " + t.text() + " keyword";
    } else if (t.type() == TokenType.ILLEGAL) {
      return error(t, "illegal token");
    } else {
      what = "unexpected " + t.type().display + " token";
    }
    return error(t, expected == null ? what : what + ": expected " + expected);
  }

  private Token expect(TokenType type) {
    Token t = tok();
    if (t.type() != type) {
      throw unexpected(t, type.display);
    }
    return advance();
  }

  private boolean isKeywordActive(String word) {
    switch (word) {
      case "if": return kwIf;
      case "contains": return kwContains;
      case "in": return kwIn;
      case "every": return kwEvery;
      case "and": return kwAnd;
      case "or": return kwOr;
      default: return true;
    }
  }

  /** The token a problem was reported at (the current one when none starts there). */
  private Token tokenAt(Location at) {
    for (Token t : toks) {
      if (t.offset() == at.offset() && t.row() == at.row()) {
        return t;
      }
    }
    return tok();
  }

  private boolean refFollowsAt(Token t) {
    Token next = toks.get(Math.min(toks.indexOf(t) + 1, toks.size() - 1));
    return (next.is(TokenType.DOT) || next.is(TokenType.LBRACK)) && next.offset() == t.end();
  }

  /** True when the current identifier is immediately followed by `.` or `[` (keywords inside refs). */
  private boolean refFollows() {
    Token next = peek(1);
    return (next.is(TokenType.DOT) || next.is(TokenType.LBRACK)) && next.offset() == tok().end();
  }

  /** True at an active keyword; a keyword directly followed by `.` or `[` starts a ref instead. */
  private boolean atKeyword(String word) {
    Token t = tok();
    return t.type() == TokenType.IDENT && t.text().equals(word) && isKeywordActive(word) && !refFollows();
  }

  private void enter(Token t) {
    if (++depth > MAX_DEPTH) {
      throw error(t, "expression nested too deeply (more than " + MAX_DEPTH + " levels)");
    }
  }

  private void leave() {
    depth--;
  }

  // ---- module

  Module parseModule() {
    Token t = tok();
    if (!t.isIdent("package")) {
      throw error(t, "package expected");
    }
    advance();
    Ref path = parsePackagePath();
    Package pkg = new Package(path, loc(t));
    List<Import> imports = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    while (!tok().is(TokenType.EOF)) {
      Token start = tok();
      if (!start.newlineBefore()) {
        throw unexpected(start);
      }
      if (start.isIdent("import") && !refFollows()) {
        imports.add(parseImport());
      } else if (start.isIdent("package") && !refFollows()) {
        throw error(start, "unexpected package keyword");
      } else {
        rules.addAll(parseRule());
      }
    }
    List<Annotations> annotations = new ArrayList<>();
    List<Rule> annotated = AnnotationParser.attach(file, comments(), pkg, rules, annotations);
    return new Module(pkg, imports, annotated, annotations, comments(), version, file);
  }

  private Ref parsePackagePath() {
    Token first = tok();
    if (!first.is(TokenType.IDENT)) {
      throw unexpected(first, "identifier");
    }
    advance();
    List<Term> terms = new ArrayList<>();
    terms.add(new Var("data", loc(first)));
    terms.add(new Scalar(StringValue.of(first.text()), loc(first)));
    while (true) {
      Token t = tok();
      if (t.is(TokenType.DOT) && !t.newlineBefore()) {
        advance();
        Token name = tok();
        if (!name.is(TokenType.IDENT)) {
          throw unexpected(name, "identifier");
        }
        advance();
        terms.add(new Scalar(StringValue.of(name.text()), loc(name)));
      } else if (t.is(TokenType.LBRACK) && !t.newlineBefore()) {
        advance();
        Token s = tok();
        if (!s.is(TokenType.STRING) && !s.is(TokenType.RAW_STRING)) {
          throw error(s, "unexpected " + s.type().display + " token: expected string");
        }
        advance();
        terms.add(new Scalar(StringValue.of(s.text()), loc(s)));
        expect(TokenType.RBRACK);
      } else {
        break;
      }
    }
    return new Ref(terms, loc(first));
  }

  private Import parseImport() {
    Token start = advance();
    Token first = tok();
    if (!first.is(TokenType.IDENT)) {
      throw unexpected(first, "identifier");
    }
    Term t = parsePostfix(parseVarOrKeywordFree(advance()), false);
    Ref path = t instanceof Ref r ? r : new Ref(List.of(t), t.location());
    if (!(path.head() instanceof Var root)
        || !Set.of("data", "input", "future", "rego").contains(root.name())) {
      throw error(first, "invalid import path: path must begin with input, data, future, or rego");
    }
    String dotted = path.toDottedName();
    if (root.name().equals("future")) {
      if (!dotted.startsWith("future.keywords")) {
        throw error(first, "invalid import, must be `future.keywords`");
      }
      enableFutureKeyword(dotted, first);
    } else if (root.name().equals("rego")) {
      if (dotted.equals("rego.v2")) {
        kwIf = kwContains = kwIn = kwEvery = kwAnd = kwOr = kwNot = true;
        v1Rules = true;
      } else if (dotted.equals("rego.v1")) {
        kwIf = kwContains = kwIn = kwEvery = true;
        v1Rules = true;
      } else {
        throw error(first, "invalid import `" + dotted + "`, must be one of: `rego.v1`, `rego.v2`");
      }
    }
    Var alias = null;
    if (tok().isIdent("as") && !tok().newlineBefore()) {
      advance();
      Token a = tok();
      if (!a.is(TokenType.IDENT)) {
        throw unexpected(a, "var");
      }
      advance();
      alias = new Var(a.text(), loc(a));
    }
    return new Import(path, alias, loc(start));
  }

  private void enableFutureKeyword(String dotted, Token at) {
    if (dotted.equals("future.keywords")) {
      kwIf = kwContains = kwIn = kwEvery = kwAnd = kwOr = kwNot = true;
      return;
    }
    switch (dotted.substring("future.keywords.".length())) {
      case "if": kwIf = true; break;
      case "contains": kwContains = true; break;
      case "in": kwIn = true; break;
      case "every": kwEvery = true; kwIn = true; break;
      case "and": kwAnd = true; break;
      case "or": kwOr = true; break;
      case "not": kwNot = true; break;
      default: throw error(at, "unexpected keyword, must be one of [and contains every if in not or]");
    }
  }

  // ---- rules

  private List<Rule> parseRule() {
    Token start = tok();
    boolean isDefault = false;
    if (start.isIdent("default") && !refFollows()) {
      isDefault = true;
      advance();
    }
    Token nameTok = tok();
    if (!nameTok.is(TokenType.IDENT)) {
      throw unexpected(nameTok);
    }
    if (KEYWORDS.contains(nameTok.text()) && isKeywordActive(nameTok.text()) && !refFollows()) {
      throw unexpected(nameTok);
    }
    advance();
    Ref ref;
    List<Term> args = null;
    try {
      ref = parseHeadRef(nameTok);
      if (tok().is(TokenType.LPAREN) && !tok().newlineBefore()) {
        args = parseArgs(TokenType.RPAREN);
        if (args.isEmpty()) {
          // `f() := 1` defines a plain rule f in OPA, not a function of no arguments
          args = null;
        }
      }
    } catch (Failure f) {
      if (f.context != null) {
        throw f;
      }
      // opa adds what it was parsing: the head's name (its ref and arguments)
      Failure context = unexpected(tokenAt(f.problem.location()), "rule head name");
      throw new Failure(f.problem, new ParseProblem(context.problem.message(), f.problem.location()));
    }
    Location headLoc = loc(nameTok);

    if (isDefault) {
      Token op = tok();
      if (!op.is(TokenType.ASSIGN) && !op.is(TokenType.UNIFY)) {
        throw error(op, "default rules must use = or := operator");
      }
      advance();
      Term value = parseHeadTerm(op.is(TokenType.ASSIGN)
          ? "default rule value term (e.g., default " + ref + " := <VALUE>)"
          : "rule value term (e.g., " + ref + "[<nil>] = <VALUE> { ... })");
      validateDefaultValue(value, loc(start));
      Head head = new Head(ref, args, null, value, op.is(TokenType.ASSIGN), headLoc);
      Body body = trueBody(headLoc);
      return List.of(new Rule(true, head, body, null, List.of(), loc(start)));
    }

    Term key = null;
    Term value = null;
    boolean assign = false;
    Token t = tok();
    if (atKeyword("contains") && !t.newlineBefore()) {
      advance();
      key = parseHeadTerm("rule key term (e.g., " + ref + " contains <VALUE> { ... })");
    } else if ((t.is(TokenType.ASSIGN) || t.is(TokenType.UNIFY)) && !t.newlineBefore()) {
      advance();
      assign = t.is(TokenType.ASSIGN);
      value = parseHeadTerm(!assign ? "rule value term (e.g., " + ref + "[<nil>] = <VALUE> { ... })"
          : args != null ? "function value term (e.g., " + ref + "(...) := <VALUE> { ... })"
          : "rule value term (e.g., " + ref + " := <VALUE> { ... })");
    }

    boolean withIf = atKeyword("if");
    if (atKeyword("with")) {
      throw error(tok(), "expressions using with keyword cannot be used for rule head");
    }
    Body body = parseOptionalRuleBody(headLoc);
    boolean hasBody = body != null;
    if (args == null && key == null && value == null && !hasBody
        && !(version == RegoVersion.V0 && (hasBracketLast || ref.size() > 1))) {
      throw error(nameTok, ref.size() == 1 ? "var cannot be used for rule name" : "ref cannot be used for rule name");
    }
    if (body == null) {
      body = trueBody(headLoc);
    }

    Head head;
    if (key != null) {
      head = new Head(ref, null, key, null, false, headLoc);
    } else if (value == null && args == null && version == RegoVersion.V0 && hasBracketLast && !withIf
        && ref.size() == 2) {
      // v0 `p[x] { ... }`: a partial set with key x (with `if`, `p[x] if ...` is an object of trues, as in v1)
      if (v1Rules) { // recorded, not thrown: opa goes on and reports the missing `if` as well
        problems.add(new ParseProblem("`contains` keyword is required for partial set rules", loc(start)));
      }
      Ref base = new Ref(ref.terms().subList(0, ref.size() - 1), ref.location());
      head = new Head(base, null, ref.get(ref.size() - 1), null, false, headLoc);
    } else {
      head = new Head(ref, args, null, value == null ? new Scalar(BooleanValue.TRUE, headLoc) : value, assign, headLoc);
    }

    Rule elseRule = parseElseChain(head);
    List<Rule> out = new ArrayList<>();
    out.add(new Rule(false, head, body, elseRule, List.of(), loc(start)));
    // Several bodies for one head: `p { a } { b }` defines p twice.
    while (tok().is(TokenType.LBRACE) && !tok().newlineBefore() && elseRule == null) {
      Body more = parseBraceBody();
      out.add(new Rule(false, head, more, null, List.of(), loc(start)));
    }
    return out;
  }

  private boolean hasBracketLast;

  /** opa's validateDefaultRuleValue: a default value is a constant (comprehensions aside). */
  private void validateDefaultValue(Term value, Location at) {
    List<ParseProblem> found = new ArrayList<>();
    invalidInDefault(value, at, found);
    if (found.isEmpty()) {
      return;
    }
    // opa reports each offending term of this rule, then stops parsing (the failure is
    // reported after the problems recorded so far: it carries the last one)
    if (problems == null) {
      throw new Failure(found.get(0));
    }
    problems.addAll(found.subList(0, found.size() - 1));
    throw new Failure(found.get(found.size() - 1));
  }

  private static void invalidInDefault(Term value, Location at, List<ParseProblem> found) {
    String bad = value instanceof Ref ? "ref" : value instanceof Var ? "var" : value instanceof Call ? "call" : null;
    if (bad != null) {
      found.add(new ParseProblem("illegal default rule (value cannot contain " + bad + ")", at));
    } else if (value instanceof ArrayTerm a) {
      a.elements().forEach(t -> invalidInDefault(t, at, found));
    } else if (value instanceof SetTerm st) {
      st.elements().forEach(t -> invalidInDefault(t, at, found));
    } else if (value instanceof ObjectTerm o) {
      for (ObjectTerm.Entry e : o.entries()) {
        invalidInDefault(e.key(), at, found);
        invalidInDefault(e.value(), at, found);
      }
    }
  }

  /**
   * A rule head's value or key: a term, where {@code k, v in xs} is a membership test as in
   * opa's parseTermInfixCall. When it does not parse, opa adds a second error saying what the
   * head expected (at the same place); {@code expected} is that text.
   */
  private Term parseHeadTerm(String expected) {
    try {
      return parseInExpr(true);
    } catch (Failure f) {
      if (f.context != null) {
        throw f;
      }
      Failure context = unexpected(tokenAt(f.problem.location()), expected);
      throw new Failure(f.problem, new ParseProblem(context.problem.message(), f.problem.location()));
    }
  }

  private Body trueBody(Location at) {
    Expr e = new Expr(new Expr.TermExpr(new Scalar(BooleanValue.TRUE, at)), false, List.of(), 0, at);
    return new Body(List.of(e), at);
  }

  /** Parses `if { ... }`, `if expr`, or (v0) `{ ... }`; null when the rule has no body. */
  private Body parseOptionalRuleBody(Location headLoc) {
    Token t = tok();
    if (atKeyword("if")) {
      advance();
      Failure bodyFailure = null;
      if (tok().is(TokenType.LBRACE)) {
        // `if {` is usually a body, but may be a single comprehension/object expression
        int save = p;
        Token open = tok();
        try {
          Body braced = parseBraceBody();
          if (isBareUnion(braced)) {
            // `p if {x | input.a[x]}` is a set comprehension, as in OPA
            throw error(open, "set comprehension");
          }
          if (!atLogical()) {
            return braced;
          }
          // `if { a } and b`: the braces are the first operand of a logical chain
          Operand chain = parseOrChain(new Operand(braced, true, loc(open)));
          Expr e = chain.body().exprs().get(0);
          List<dev.gatehouse.engine.ast.With> withs = parseWiths();
          return new Body(List.of(new Expr(e.kind(), false, withs, 0, loc(open))), loc(open));
        } catch (Failure f) {
          p = save;
          bodyFailure = f;
        }
      }
      Token first = tok();
      Expr e;
      try {
        e = parseLiteral(0);
      } catch (Failure f) {
        // neither a body nor a term: report the error that got further into the source (opa
        // parses a body here and reports what went wrong inside it)
        if (bodyFailure != null && bodyFailure.problem.location().offset() > f.problem.location().offset()) {
          throw bodyFailure;
        }
        throw f;
      }
      return new Body(List.of(e), loc(first));
    }
    // v0 allows the body to start on the next line (`p = x` then `{`): no statement starts with `{`
    if (t.is(TokenType.LBRACE) && (!t.newlineBefore() || version == RegoVersion.V0)) {
      if (version == RegoVersion.V1) {
        throw error(t, "`if` keyword is required before rule body");
      }
      if (v1Rules) { // a v0 module held to v1's rules: reported, and parsing goes on
        problems.add(new ParseProblem("`if` keyword is required before rule body", headLoc));
      }
      return parseBraceBody();
    }
    return null;
  }

  private Rule parseElseChain(Head head) {
    Token t = tok();
    if (!t.isIdent("else") || refFollows()) {
      return null;
    }
    advance();
    Term value = null;
    boolean assign = head.assign();
    Token op = tok();
    if (op.is(TokenType.ASSIGN) || op.is(TokenType.UNIFY)) {
      advance();
      assign = op.is(TokenType.ASSIGN);
      value = parseInExpr(true);
    }
    Location at = loc(t);
    Body body = parseOptionalRuleBody(at);
    if (body == null) {
      body = trueBody(at);
    }
    Head elseHead = new Head(head.ref(), head.args(), null,
        value == null ? new Scalar(BooleanValue.TRUE, at) : value, assign, at);
    Rule next = parseElseChain(head);
    return new Rule(false, elseHead, body, next, List.of(), at);
  }

  private Ref parseHeadRef(Token nameTok) {
    List<Term> terms = new ArrayList<>();
    terms.add(new Var(nameTok.text(), loc(nameTok)));
    hasBracketLast = false;
    while (true) {
      Token t = tok();
      if (t.is(TokenType.DOT) && !t.newlineBefore()) {
        advance();
        Token n = tok();
        if (!n.is(TokenType.IDENT)) {
          throw unexpected(n, "identifier");
        }
        advance();
        terms.add(new Scalar(StringValue.of(n.text()), loc(n)));
        hasBracketLast = false;
      } else if (t.is(TokenType.LBRACK) && !t.newlineBefore()) {
        advance();
        terms.add(parseTermExpr());
        expect(TokenType.RBRACK);
        hasBracketLast = true;
      } else {
        break;
      }
    }
    return new Ref(terms, loc(nameTok));
  }

  // ---- bodies and expressions

  private Body parseBraceBody() {
    Token open = expect(TokenType.LBRACE);
    Body b = parseExprList(TokenType.RBRACE, open);
    expect(TokenType.RBRACE);
    return b;
  }

  /** Expressions separated by `;` or line breaks, up to (not including) the closer. */
  Body parseExprList(TokenType closer, Token open) {
    List<Expr> exprs = new ArrayList<>();
    if (tok().is(closer)) {
      throw error(tok(), closer == TokenType.EOF ? "empty query" : "found empty body");
    }
    int index = 0;
    while (true) {
      exprs.add(parseLiteral(index++));
      Token t = tok();
      if (t.is(TokenType.SEMICOLON)) {
        advance();
        if (tok().is(closer)) {
          break;
        }
        continue;
      }
      if (t.is(closer)) {
        break;
      }
      if (t.newlineBefore()) {
        continue;
      }
      throw unexpected(t);
    }
    return new Body(exprs, open == null ? exprs.get(0).location() : loc(open));
  }

  private Expr parseLiteral(int index) {
    Token start = tok();
    Expr.Kind kind;
    boolean negated = false;
    if (start.isIdent("some") && !refFollows()) {
      kind = parseSome();
    } else if (atKeyword("every") && !refFollows()) {
      kind = parseEvery();
    } else if (kwAnd || kwOr || kwNot) {
      Operand first = parseOperand(null);
      if (atLogical()) {
        first = parseOrChain(first);
      }
      // A braced operand is only returned before and/or, so after folding the chain this is one expression.
      Expr single = first.body().exprs().get(0);
      if (!single.with().isEmpty()) {
        // `(a or b with ...)`: the group's own modifiers, possibly followed by more
        List<dev.gatehouse.engine.ast.With> withs = new ArrayList<>(single.with());
        withs.addAll(parseWiths());
        return new Expr(single.kind(), single.negated(), withs, index, loc(start));
      }
      kind = single.kind();
      negated = single.negated();
    } else {
      if (start.isIdent("not") && !refFollows()) {
        advance();
        negated = true;
      }
      kind = parseExprKind();
    }
    return new Expr(kind, negated, parseWiths(), index, loc(start));
  }

  private List<dev.gatehouse.engine.ast.With> parseWiths() {
    List<dev.gatehouse.engine.ast.With> withs = new ArrayList<>();
    while (atKeyword("with")) {
      Token w = advance();
      Term target = parsePostfix(parsePrimary(), false);
      Token as = tok();
      if (!as.isIdent("as")) {
        throw unexpected(as, "as");
      }
      advance();
      Term value = parseInExpr(true);
      withs.add(new dev.gatehouse.engine.ast.With(target, value, loc(w)));
    }
    return withs;
  }

  // ---- OPA 1.22 logical operators: `a and b`, `a or b`, `not { ... }`, `(a or b)`

  /** One operand of and/or: a one-expression body, or a braced body ({@code explicit}). */
  private record Operand(Body body, boolean explicit, Location location) {}

  private boolean atLogical() {
    return atKeyword("and") || atKeyword("or");
  }

  /**
   * Parses an operand. {@code op} is the operator it belongs to, or null for the first operand of
   * a literal, where braces are a body only if an operator follows (otherwise they are a term).
   */
  private Operand parseOperand(String op) {
    Token start = tok();
    enter(start);
    try {
      if (start.is(TokenType.LBRACE)) {
        int save = p;
        try {
          Body body = parseBraceBody();
          if (op != null || atLogical()) {
            return new Operand(body, true, loc(start));
          }
        } catch (Failure f) {
          if (op != null) {
            throw f;
          }
        }
        p = save;
      }
      boolean negated = start.isIdent("not") && !refFollows();
      if (negated) {
        advance();
        if (kwNot && tok().is(TokenType.LBRACE)) {
          Body body = parseBraceBody();
          return implicit(new Expr.NotBody(body), start);
        }
      }
      if (tok().is(TokenType.LPAREN) && (kwAnd || kwOr) && (!negated || kwNot)) {
        Body group = parseLogicalGroup(op != null || negated);
        if (group != null) {
          return negated ? implicit(new Expr.NotBody(group), start) : new Operand(group, false, loc(start));
        }
      }
      Expr.Kind kind = parseExprKind();
      if (negated && kwNot) {
        // with future.keywords.not, `not expr` negates a one-expression body: its operands are
        // evaluated inside the negation, as for `not { expr }`
        Location at = loc(start);
        return implicit(new Expr.NotBody(new Body(List.of(new Expr(kind, false, List.of(), 0, at)), at)), start);
      }
      Body body = new Body(List.of(new Expr(kind, negated, List.of(), 0, loc(start))), loc(start));
      return new Operand(body, false, loc(start));
    } finally {
      leave();
    }
  }

  private Operand implicit(Expr.Kind kind, Token start) {
    Location at = loc(start);
    return new Operand(new Body(List.of(new Expr(kind, false, List.of(), 0, at)), at), false, at);
  }

  /**
   * {@code ( operand and/or ... )}: returns the group as a one-expression body, or null (position
   * restored) when the parentheses hold an ordinary term such as {@code (a == b)}.
   */
  /**
   * {@code ( operand and/or ... )}: returns the group as a one-expression body, or null (position
   * restored) when the parentheses hold an ordinary term such as {@code (a == b)} or
   * {@code ({1, 2})}. {@code operandContext} says whether the group is already an operand of
   * and/or/not, where {@code (a with x)} is a group even without an operator after it.
   */
  private Body parseLogicalGroup(boolean operandContext) {
    int save = p;
    Token open = advance();
    try {
      if (tok().is(TokenType.RPAREN)) {
        p = save;
        return null;
      }
      Operand inner = parseOperand("(");
      if (atLogical()) {
        inner = parseOrChain(inner);
        List<dev.gatehouse.engine.ast.With> withs = parseWiths();
        expect(TokenType.RPAREN);
        Expr e = inner.body().exprs().get(0);
        if (!withs.isEmpty()) {
          e = new Expr(e.kind(), e.negated(), withs, 0, e.location());
        }
        return new Body(List.of(e), loc(open));
      }
      if (!inner.explicit() && atKeyword("with")) {
        // `(a with x)`: a one-operand group whose modifiers bind to that operand
        List<dev.gatehouse.engine.ast.With> withs = parseWiths();
        expect(TokenType.RPAREN);
        if (!operandContext && !atLogical()) {
          p = save;
          return null;
        }
        Expr e = inner.body().exprs().get(0);
        return new Body(List.of(new Expr(e.kind(), e.negated(), withs, 0, e.location())), loc(open));
      }
      Expr single = inner.explicit() ? null : inner.body().exprs().get(0);
      if (single != null && tok().is(TokenType.RPAREN) && (isLogical(inner.body()) || single.negated())) {
        // `((a or b))` and `(not a)`
        expect(TokenType.RPAREN);
        return new Body(List.of(single), loc(open));
      }
      // `({ ... })` is a value, and `(a == b)` a parenthesised term
      p = save;
      return null;
    } catch (Failure f) {
      p = save;
      return null;
    }
  }

  private boolean isBareUnion(Body b) {
    return b.size() == 1 && b.exprs().get(0).kind() instanceof Expr.CallExpr ce && bareUnions.contains(ce.call());
  }

  private static boolean isLogical(Body b) {
    return b.size() == 1 && (b.exprs().get(0).kind() instanceof Expr.Logical
        || b.exprs().get(0).kind() instanceof Expr.NotBody);
  }

  /** Folds `or` chains over `and` chains (and binds tighter), left-associative. */
  private Operand parseOrChain(Operand lhs) {
    if (atKeyword("and")) {
      lhs = parseAndChain(lhs);
    }
    while (atKeyword("or")) {
      advance();
      Operand rhs = parseOperand("or");
      if (atKeyword("and")) {
        rhs = parseAndChain(rhs);
      }
      lhs = combine(false, lhs, rhs);
    }
    return lhs;
  }

  private Operand parseAndChain(Operand lhs) {
    while (atKeyword("and")) {
      advance();
      lhs = combine(true, lhs, parseOperand("and"));
    }
    return lhs;
  }

  private static Operand combine(boolean and, Operand lhs, Operand rhs) {
    Expr.Logical l = new Expr.Logical(and, lhs.body(), rhs.body(), lhs.explicit(), rhs.explicit());
    Expr e = new Expr(l, false, List.of(), 0, lhs.location());
    return new Operand(new Body(List.of(e), lhs.location()), false, lhs.location());
  }

  private Expr.Kind parseExprKind() {
    Token start = tok();
    Term lhs = parseInExpr(true);
    Token t = tok();
    if (t.is(TokenType.ASSIGN) || t.is(TokenType.UNIFY)) {
      advance();
      Term rhs = parseInExpr(true);
      String op = t.is(TokenType.ASSIGN) ? "assign" : "eq";
      return new Expr.CallExpr(new Call(operator(op, loc(t)), List.of(lhs, rhs), loc(start)));
    }
    if (lhs instanceof Call c) {
      return new Expr.CallExpr(c);
    }
    return new Expr.TermExpr(lhs);
  }

  private Expr.Kind parseSome() {
    Token start = advance();
    List<Term> symbols = new ArrayList<>();
    symbols.add(parseRelational());
    while (tok().is(TokenType.COMMA)) {
      advance();
      symbols.add(parseRelational());
    }
    if (atKeyword("in")) {
      Token in = advance();
      Term domain = parseRelational();
      if (symbols.size() > 2) {
        throw error(in, "unexpected , token: expected in");
      }
      String op = symbols.size() == 1 ? "internal.member_2" : "internal.member_3";
      List<Term> args = new ArrayList<>(symbols);
      args.add(domain);
      Call member = new Call(operator(op, loc(in)), args, loc(start));
      return new Expr.SomeDecl(List.of(member));
    }
    for (Term s : symbols) {
      if (!(s instanceof Var)) {
        throw error(start, "expected var");
      }
    }
    return new Expr.SomeDecl(symbols);
  }

  private Expr.Kind parseEvery() {
    Token start = advance();
    Term first = parseRelational();
    Term second = null;
    if (tok().is(TokenType.COMMA)) {
      advance();
      second = parseRelational();
    }
    if (!atKeyword("in")) {
      throw unexpected(tok(), "in");
    }
    advance();
    Term domain = parseRelational();
    if (!(first instanceof Var) || (second != null && !(second instanceof Var))) {
      throw error(start, "unexpected term in every: expected var");
    }
    Body body = parseBraceBody();
    Var key = second == null ? null : (Var) first;
    Var value = second == null ? (Var) first : (Var) second;
    return new Expr.Every(key, value, domain, body);
  }

  // ---- terms by precedence: in < relational < | < & < + - < * / % < unary < postfix

  Term parseTermExpr() {
    return parseInExpr(false);
  }

  private Term parseInExpr(boolean allowPair) {
    Token start = tok();
    enter(start);
    try {
      Term lhs = parseRelational();
      if (allowPair && tok().is(TokenType.COMMA) && kwIn) {
        // `k, v in xs` as a statement
        int save = p;
        advance();
        Term second = parseRelational();
        if (atKeyword("in")) {
          Token in = advance();
          Term domain = parseRelational();
          lhs = new Call(operator("internal.member_3", loc(in)), List.of(lhs, second, domain), lhs.location());
        } else {
          p = save;
          return lhs;
        }
      }
      while (atKeyword("in")) {
        Token in = advance();
        Term rhs = parseRelational();
        lhs = new Call(operator("internal.member_2", loc(in)), List.of(lhs, rhs), lhs.location());
      }
      return lhs;
    } finally {
      leave();
    }
  }

  private Term parseRelational() {
    Term lhs = parseOr();
    while (true) {
      Token t = tok();
      String op;
      switch (t.type()) {
        case EQUAL: op = "equal"; break;
        case NOT_EQUAL: op = "neq"; break;
        case LT: op = "lt"; break;
        case LTE: op = "lte"; break;
        case GT: op = "gt"; break;
        case GTE: op = "gte"; break;
        default: return lhs;
      }
      advance();
      Term rhs = parseOr();
      lhs = new Call(operator(op, loc(t)), List.of(lhs, rhs), lhs.location());
    }
  }

  private Term parseOr() {
    Term lhs = parseAnd();
    while (tok().is(TokenType.BAR) && !noBar) {
      Token t = advance();
      Term rhs = parseAnd();
      lhs = new Call(operator("or", loc(t)), List.of(lhs, rhs), lhs.location());
      bareUnions.add(lhs);
    }
    return lhs;
  }

  /** `a | b` unions written infix and not parenthesised: `{x | y}` then reads as a comprehension. */
  private final java.util.Set<Term> bareUnions = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  private Term parseAnd() {
    Term lhs = parseArith();
    while (tok().is(TokenType.AMP)) {
      Token t = advance();
      Term rhs = parseArith();
      lhs = new Call(operator("and", loc(t)), List.of(lhs, rhs), lhs.location());
    }
    return lhs;
  }

  private Term parseArith() {
    Term lhs = parseFactor();
    while (tok().is(TokenType.PLUS) || tok().is(TokenType.MINUS)) {
      Token t = advance();
      Term rhs = parseFactor();
      lhs = new Call(operator(t.is(TokenType.PLUS) ? "plus" : "minus", loc(t)), List.of(lhs, rhs), lhs.location());
    }
    return lhs;
  }

  private Term parseFactor() {
    Term lhs = parseUnary();
    while (tok().is(TokenType.STAR) || tok().is(TokenType.SLASH) || tok().is(TokenType.PERCENT)) {
      Token t = advance();
      String op = t.is(TokenType.STAR) ? "mul" : t.is(TokenType.SLASH) ? "div" : "rem";
      Term rhs = parseUnary();
      lhs = new Call(operator(op, loc(t)), List.of(lhs, rhs), lhs.location());
    }
    return lhs;
  }

  private Term parseUnary() {
    Token t = tok();
    if (t.is(TokenType.MINUS)) {
      enter(t);
      try {
        advance();
        Token n = tok();
        if (n.is(TokenType.NUMBER)) {
          advance();
          Term num = number("-" + n.text(), t);
          return parsePostfix(num, true);
        }
        // opa's grammar: a minus is a negative number or negates a reference (or call) that
        // starts with a name; -(x), -[1], --1 and -"a" are not terms
        if (!n.is(TokenType.IDENT) || KEYWORDS.contains(n.text()) && !n.text().equals("contains")
            && isKeywordActive(n.text()) && !refFollowsAt(n)) {
          throw unexpected(n, "number");
        }
        Term operand = parsePostfix(parsePrimary(), true);
        return new Call(operator("minus", loc(t)), List.of(new Scalar(NumberValue.ZERO, loc(t)), operand), loc(t));
      } finally {
        leave();
      }
    }
    return parsePostfix(parsePrimary(), true);
  }

  private Term number(String text, Token at) {
    if (text.startsWith(".") || text.startsWith("-.")) {
      text = text.replaceFirst("\\.", "0.");
    }
    try {
      return new Scalar(NumberValue.parse(text), loc(at));
    } catch (NumberFormatException e) {
      throw error(at, "invalid number: " + text);
    }
  }

  private Term parsePrimary() {
    Token t = tok();
    switch (t.type()) {
      case NUMBER:
        advance();
        return number(t.text(), t);
      case STRING:
      case RAW_STRING:
        advance();
        return new Scalar(StringValue.of(t.text()), loc(t));
      case TEMPLATE:
        advance();
        return parseTemplate(t);
      case IDENT:
        advance();
        return parseIdentTerm(t);
      case LBRACK:
        return parseArray();
      case LBRACE:
        return parseBraced();
      case LPAREN: {
        enter(t);
        boolean saved = noBar;
        noBar = false;
        try {
          advance();
          Term inner = parseInExpr(true);
          expect(TokenType.RPAREN);
          bareUnions.remove(inner);
          return inner;
        } finally {
          noBar = saved;
          leave();
        }
      }
      default:
        throw unexpected(t);
    }
  }

  private Term parseIdentTerm(Token t) {
    String name = t.text();
    boolean asRef = (tok().is(TokenType.DOT) || tok().is(TokenType.LBRACK)) && tok().offset() == t.end();
    if (asRef) {
      return new Var(name, loc(t));
    }
    switch (name) {
      case "true": return new Scalar(BooleanValue.TRUE, loc(t));
      case "false": return new Scalar(BooleanValue.FALSE, loc(t));
      case "null": return new Scalar(NullValue.INSTANCE, loc(t));
      default: break;
    }
    if (name.equals("set") && tok().is(TokenType.LPAREN) && peek(1).is(TokenType.RPAREN) && !tok().newlineBefore()) {
      advance();
      advance();
      return new SetTerm(List.of(), loc(t));
    }
    // `contains` is a keyword only in rule heads: anywhere else it is a name, as in opa
    if (KEYWORDS.contains(name) && isKeywordActive(name) && !name.equals("contains")) {
      boolean callable = tok().is(TokenType.LPAREN) && !tok().newlineBefore();
      if (!(callable && (name.equals("contains") || name.equals("in") || name.equals("every") || name.equals("if")
          || name.equals("and") || name.equals("or")))) {
        throw unexpected(t);
      }
    }
    return parseVarOrKeywordFree(t);
  }

  private Term parseVarOrKeywordFree(Token t) {
    if (t.text().equals("_")) {
      return new Var("$_" + (wildcards++), loc(t));
    }
    return new Var(t.text(), loc(t));
  }

  /** Dots, brackets and calls after a term. Calls only when allowCall and the term names a function. */
  private Term parsePostfix(Term term, boolean allowCall) {
    while (true) {
      Token t = tok();
      if (t.newlineBefore()) {
        return term;
      }
      if (t.is(TokenType.DOT)) {
        advance();
        Token n = tok();
        if (!n.is(TokenType.IDENT)) {
          throw unexpected(n, "identifier");
        }
        advance();
        term = extend(term, new Scalar(StringValue.of(n.text()), loc(n)));
      } else if (t.is(TokenType.LBRACK)) {
        advance();
        boolean saved = noBar;
        noBar = false;
        Term key;
        try {
          key = parseTermExpr();
        } finally {
          noBar = saved;
        }
        expect(TokenType.RBRACK);
        term = extend(term, key);
      } else if (t.is(TokenType.LPAREN) && allowCall && isCallable(term)) {
        List<Term> args = parseArgs(TokenType.RPAREN);
        Ref op = term instanceof Ref r ? r : new Ref(List.of(term), term.location());
        term = new Call(op, args, term.location());
      } else {
        return term;
      }
    }
  }

  private static boolean isCallable(Term t) {
    if (t instanceof Var) {
      return true;
    }
    if (t instanceof Ref r && r.head() instanceof Var) {
      for (int i = 1; i < r.size(); i++) {
        if (!(r.get(i) instanceof Scalar s && s.value() instanceof StringValue)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static Term extend(Term base, Term part) {
    if (base instanceof Ref r) {
      List<Term> terms = new ArrayList<>(r.terms());
      terms.add(part);
      return new Ref(terms, r.location());
    }
    return new Ref(List.of(base, part), base.location());
  }

  private List<Term> parseArgs(TokenType closer) {
    Token open = advance();
    enter(open);
    boolean saved = noBar;
    noBar = false;
    try {
      List<Term> args = new ArrayList<>();
      if (tok().is(closer)) {
        advance();
        return args;
      }
      while (true) {
        args.add(parseTermExpr());
        if (tok().is(TokenType.COMMA)) {
          advance();
          if (tok().is(closer)) {
            advance();
            return args;
          }
          continue;
        }
        expect(closer);
        return args;
      }
    } finally {
      noBar = saved;
      leave();
    }
  }

  private Term parseArray() {
    Token open = advance();
    enter(open);
    boolean saved = noBar;
    try {
      if (tok().is(TokenType.RBRACK)) {
        advance();
        return new ArrayTerm(List.of(), loc(open));
      }
      noBar = true;
      Term first = parseTermExpr();
      noBar = false;
      if (tok().is(TokenType.BAR)) {
        advance();
        Body body = parseExprList(TokenType.RBRACK, open);
        expect(TokenType.RBRACK);
        return new ArrayCompr(first, body, loc(open));
      }
      List<Term> elems = new ArrayList<>();
      elems.add(first);
      parseRest(elems, TokenType.RBRACK);
      return new ArrayTerm(elems, loc(open));
    } finally {
      noBar = saved;
      leave();
    }
  }

  private void parseRest(List<Term> elems, TokenType closer) {
    while (true) {
      if (tok().is(TokenType.COMMA)) {
        advance();
        if (tok().is(closer)) {
          advance();
          return;
        }
        elems.add(parseTermExpr());
        continue;
      }
      expect(closer);
      return;
    }
  }

  private Term parseBraced() {
    Token open = advance();
    enter(open);
    boolean saved = noBar;
    try {
      if (tok().is(TokenType.RBRACE)) {
        advance();
        return new ObjectTerm(List.of(), loc(open));
      }
      noBar = true;
      Term first = parseTermExpr();
      if (tok().is(TokenType.COLON)) {
        advance();
        Term value = parseTermExpr();
        noBar = false;
        if (tok().is(TokenType.BAR)) {
          advance();
          Body body = parseExprList(TokenType.RBRACE, open);
          expect(TokenType.RBRACE);
          return new ObjectCompr(first, value, body, loc(open));
        }
        List<ObjectTerm.Entry> entries = new ArrayList<>();
        entries.add(new ObjectTerm.Entry(first, value));
        while (true) {
          if (tok().is(TokenType.COMMA)) {
            advance();
            if (tok().is(TokenType.RBRACE)) {
              advance();
              break;
            }
            Term k = parseTermExpr();
            expect(TokenType.COLON);
            Term v = parseTermExpr();
            entries.add(new ObjectTerm.Entry(k, v));
            continue;
          }
          expect(TokenType.RBRACE);
          break;
        }
        return new ObjectTerm(entries, loc(open));
      }
      noBar = false;
      if (tok().is(TokenType.BAR)) {
        advance();
        Body body = parseExprList(TokenType.RBRACE, open);
        expect(TokenType.RBRACE);
        return new SetCompr(first, body, loc(open));
      }
      List<Term> elems = new ArrayList<>();
      elems.add(first);
      parseRest(elems, TokenType.RBRACE);
      return new SetTerm(elems, loc(open));
    } finally {
      noBar = saved;
      leave();
    }
  }

  private Term parseTemplate(Token t) {
    String content = t.text();
    boolean raw = content.charAt(0) == '`';
    String body = content.substring(1);
    List<Term> parts = new ArrayList<>();
    List<List<dev.gatehouse.engine.ast.With>> modifiers = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == '\\' && raw && i + 1 < body.length() && body.charAt(i + 1) == '{') {
        literal.append('{');
        i += 2;
        continue;
      }
      if (c == '\\' && !raw && i + 1 < body.length()) {
        literal.append(c).append(body.charAt(i + 1));
        i += 2;
        continue;
      }
      if (c == '{') {
        int end = matchingBrace(body, i);
        if (end < 0) {
          throw error(t, "unterminated template expression");
        }
        flushLiteral(parts, modifiers, literal, raw, t);
        String exprSrc = body.substring(i + 1, end);
        if (exprSrc.isBlank()) {
          throw error(t, "empty template expression");
        }
        Parser sub = new Parser(this, exprSrc);
        Term expr = sub.parseTermExpr();
        List<dev.gatehouse.engine.ast.With> withs = sub.parseWiths();
        if (!sub.tok().is(TokenType.EOF)) {
          throw sub.unexpected(sub.tok());
        }
        parts.add(expr);
        modifiers.add(withs);
        i = end + 1;
        continue;
      }
      literal.append(c);
      i++;
    }
    flushLiteral(parts, modifiers, literal, raw, t);
    return new TemplateString(parts, modifiers, raw, loc(t));
  }

  private void flushLiteral(List<Term> parts, List<List<dev.gatehouse.engine.ast.With>> modifiers,
      StringBuilder literal, boolean raw, Token t) {
    if (literal.length() == 0) {
      return;
    }
    String text = raw ? literal.toString() : lexer.decodeTemplateLiteral(literal.toString(), t.offset(), t.row(), t.col());
    parts.add(new Scalar(StringValue.of(text), loc(t)));
    modifiers.add(List.of());
    literal.setLength(0);
  }

  private static int matchingBrace(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        i++;
        while (i < s.length() && s.charAt(i) != '"') {
          if (s.charAt(i) == '\\') {
            i++;
          }
          i++;
        }
      } else if (c == '`') {
        i++;
        while (i < s.length() && s.charAt(i) != '`') {
          i++;
        }
      } else if (c == '{') {
        depth++;
      } else if (c == '}') {
        if (--depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  static Ref operator(String name, Location at) {
    String[] parts = name.split("\\.");
    List<Term> terms = new ArrayList<>();
    terms.add(new Var(parts[0], at));
    for (int i = 1; i < parts.length; i++) {
      terms.add(new Scalar(StringValue.of(parts[i]), at));
    }
    return new Ref(terms, at);
  }

  // ---- entry points for queries and terms

  Body parseQueryBody() {
    Body b = parseExprList(TokenType.EOF, null);
    if (!tok().is(TokenType.EOF)) {
      throw unexpected(tok());
    }
    return b;
  }

  Term parseSingleTerm() {
    Term t = parseTermExpr();
    if (!tok().is(TokenType.EOF)) {
      throw unexpected(tok());
    }
    return t;
  }
}
