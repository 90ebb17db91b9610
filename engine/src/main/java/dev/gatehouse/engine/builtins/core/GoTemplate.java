package dev.gatehouse.engine.builtins.core;

import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code strings.render_template}: Go's text/template, without method calls (as OPA's fork).
 * Supported: text, comments, trim markers, pipelines with fields, variables, literals, parentheses
 * and the builtin functions (and, or, not, len, index, slice, print, printf, println, eq, ne, lt,
 * le, gt, ge, html, js, urlquery); if / else if / else, range (with else, break, continue), with,
 * define / template / block. Data is what OPA passes: the variables as JSON (objects become maps,
 * sets arrays, numbers json.Number text). Missing keys print {@code <undefined>}.
 */
final class GoTemplate {
  private GoTemplate() {}

  static Value render(BuiltinContext c, Value[] a) {
    String text = Args.str(a, 0);
    ObjectValue vars = Args.obj(a, 1);
    // OPA hands the variables over by decoding their Rego text as JSON: sets and non-string keys
    // fail there, with encoding/json's message
    Object data = toGo(GoJson.unmarshal(RegoText.of(vars)));
    Map<String, List<Node>> defs = new HashMap<>();
    List<Node> root = new Parser(text, defs).parseRoot();
    StringBuilder out = new StringBuilder();
    Exec ex = new Exec(text, defs, out, c);
    ex.walk(data, root, new Scope(null, "$", data));
    return StringValue.of(out.toString().replace("<no value>", "<undefined>"));
  }

  // ---- Go values

  /** A JSON number as ast.As decodes it (json.Number: a string type holding the literal). */
  record JsonNumber(String text) {}

  /** Go's invalid reflect.Value: a missing map key. */
  private static final Object MISSING = new Object() {
    @Override
    public String toString() {
      return "<no value>";
    }
  };

  private static Object toGo(Value v) {
    if (v instanceof StringValue s) {
      return s.value();
    }
    if (v instanceof NumberValue n) {
      return new JsonNumber(n.text());
    }
    if (v instanceof BooleanValue b) {
      return b.value();
    }
    if (v instanceof NullValue) {
      return null;
    }
    if (v instanceof ArrayValue arr) {
      List<Object> out = new ArrayList<>(arr.size());
      for (Value e : arr.elements()) {
        out.add(toGo(e));
      }
      return out;
    }
    if (v instanceof SetValue s) {
      List<Object> out = new ArrayList<>(s.size());
      for (Value e : s) {
        out.add(toGo(e));
      }
      return out;
    }
    ObjectValue o = (ObjectValue) v;
    TreeMap<String, Object> m = new TreeMap<>();
    o.forEach((k, val) -> m.put(k instanceof StringValue ks ? ks.value() : jsonKey(k), toGo(val)));
    return m;
  }

  private static String jsonKey(Value k) {
    return dev.gatehouse.engine.value.Json.write(k);
  }

  /** fmt's %v of a Go value. */
  static String print(Object v) {
    if (v == MISSING) {
      return "<no value>";
    }
    if (v == null) {
      return "<nil>";
    }
    if (v instanceof JsonNumber n) {
      return n.text();
    }
    if (v instanceof Double d) {
      return GoFloat.format(d, 'g', -1);
    }
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(' ');
        }
        sb.append(print(l.get(i)));
      }
      return sb.append(']').toString();
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("map[");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(' ');
        }
        first = false;
        sb.append(e.getKey()).append(':').append(print(e.getValue()));
      }
      return sb.append(']').toString();
    }
    return String.valueOf(v);
  }

  private static boolean isStringKind(Object v) {
    return v instanceof String || v instanceof JsonNumber;
  }

  private static String goTypeName(Object v) {
    if (v == null || v == MISSING) {
      return "<nil>";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof JsonNumber) {
      return "json.Number";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (v instanceof Long) {
      return "int";
    }
    if (v instanceof Integer) {
      return "int32";
    }
    if (v instanceof Double) {
      return "float64";
    }
    if (v instanceof List) {
      return "[]interface {}";
    }
    return "map[string]interface {}";
  }

  // ---- syntax tree

  private sealed interface Node permits Text, Action, If, Range, With, Break, Continue, Call {}

  private record Text(String text) implements Node {}

  /** A pipeline: optional variable declarations, then commands joined by '|'. */
  private record Pipe(List<String> decl, boolean assign, List<List<Arg>> cmds, int pos) {}

  private record Action(Pipe pipe) implements Node {}

  private record If(Pipe pipe, List<Node> list, List<Node> elseList) implements Node {}

  private record Range(Pipe pipe, List<Node> list, List<Node> elseList) implements Node {}

  private record With(Pipe pipe, List<Node> list, List<Node> elseList) implements Node {}

  private record Break(int pos) implements Node {}

  private record Continue(int pos) implements Node {}

  /** {{template "name" pipeline}}. */
  private record Call(String name, Pipe pipe, int pos) implements Node {}

  /** A command operand: a term followed by zero or more field names. */
  private sealed interface Arg permits Dot, Field, Variable, Literal, Func, SubPipe, Chain {}

  private record Dot(int pos) implements Arg {}

  private record Field(List<String> names, int pos) implements Arg {}

  private record Variable(String name, List<String> fields, int pos) implements Arg {}

  private record Literal(Object value, String text, int pos) implements Arg {}

  private record Func(String name, int pos) implements Arg {}

  private record SubPipe(Pipe pipe, int pos) implements Arg {}

  private record Chain(Arg base, List<String> fields, int pos) implements Arg {}

  // ---- lexer + parser

  private static final class Parser {
    private final String src;
    private final Map<String, List<Node>> defs;
    private int pos;
    /** Tokens of the action being parsed. */
    private List<Tok> toks;
    private int ti;

    Parser(String src, Map<String, List<Node>> defs) {
      this.src = src;
      this.defs = defs;
    }

    private record Tok(char kind, String text, int pos) {}

    /** Variables in scope while parsing: Go rejects undeclared ones at parse time. */
    private final java.util.ArrayDeque<List<String>> vars = new java.util.ArrayDeque<>(List.of(new ArrayList<>(List.of("$"))));

    private void requireDeclared(String name, int at) {
      for (List<String> scope : vars) {
        if (scope.contains(name)) {
          return;
        }
      }
      throw err(line(at), "undefined variable " + GoFmt.goQuote(name));
    }

    private static final char IDENT = 'i';
    private static final char FIELD = 'f';
    private static final char VAR = 'v';
    private static final char STR = 's';
    private static final char NUM = 'n';
    private static final char CHAR = 'c';
    private static final char DECLARE = ':';
    private static final char ASSIGN = '=';
    private static final char EOF = 'e';

    List<Node> parseRoot() {
      List<Node> nodes = new ArrayList<>();
      String end = parseList(nodes, true);
      if (end != null) {
        throw err(line(pos), "unexpected {{" + end + "}}");
      }
      return nodes;
    }

    /** Parses nodes until {{end}} or {{else ...}}; returns "end", "else" or null at EOF. */
    private String parseList(List<Node> out, boolean top) {
      while (pos < src.length()) {
        int open = src.indexOf("{{", pos);
        if (open < 0) {
          out.add(new Text(src.substring(pos)));
          pos = src.length();
          break;
        }
        int bodyStart = open + 2;
        boolean trimLeft = bodyStart + 1 < src.length() && src.charAt(bodyStart) == '-' && isSpace(src.charAt(bodyStart + 1));
        String text = src.substring(pos, open);
        if (trimLeft) {
          text = stripTrailingSpace(text);
          bodyStart += 2;
        }
        if (!text.isEmpty()) {
          out.add(new Text(text));
        }
        // find the closing delimiter, skipping string literals
        int close = findClose(bodyStart);
        int bodyEnd = close;
        boolean trimRight = close - 2 >= bodyStart && src.charAt(close - 1) == '-' && isSpace(src.charAt(close - 2));
        if (trimRight) {
          bodyEnd = close - 2;
        }
        pos = close + 2;
        if (trimRight) {
          while (pos < src.length() && isSpace(src.charAt(pos))) {
            pos++;
          }
        }
        String body = src.substring(bodyStart, bodyEnd);
        String trimmed = body.strip();
        if (trimmed.startsWith("/*")) {
          if (!trimmed.endsWith("*/")) {
            throw err(line(open), "unclosed comment");
          }
          continue;
        }
        toks = lex(body, bodyStart);
        ti = 0;
        Tok first = peek();
        if (first.kind == EOF) {
          throw err(line(open), "missing value for command");
        }
        if (first.kind == IDENT) {
          switch (first.text) {
            case "end" -> {
              next();
              expectEnd("end");
              if (top) {
                throw err(line(open), "unexpected {{end}}");
              }
              return "end";
            }
            case "else" -> {
              if (top) {
                throw err(line(open), "unexpected {{else}}");
              }
              return "else";
            }
            case "if", "with" -> {
              next();
              out.add(control(first.text, open));
              continue;
            }
            case "range" -> {
              next();
              out.add(control("range", open));
              continue;
            }
            case "break" -> {
              next();
              expectEnd("break");
              out.add(new Break(open));
              continue;
            }
            case "continue" -> {
              next();
              expectEnd("continue");
              out.add(new Continue(open));
              continue;
            }
            case "define" -> {
              next();
              String name = stringArg("define");
              expectEnd("define");
              List<Node> body2 = new ArrayList<>();
              java.util.ArrayDeque<List<String>> saved = new java.util.ArrayDeque<>(vars);
              vars.clear();
              vars.push(new ArrayList<>(List.of("$")));
              String e = parseList(body2, false);
              vars.clear();
              vars.addAll(saved);
              if (!"end".equals(e)) {
                throw err(line(open), "unexpected EOF");
              }
              defs.put(name, body2);
              continue;
            }
            case "template", "block" -> {
              next();
              int namePos = peek().pos;
              String name = stringArg(first.text);
              Pipe p = peek().kind == EOF ? null : pipeline(false);
              expectEnd(first.text);
              if (first.text.equals("block")) {
                List<Node> body2 = new ArrayList<>();
                String e = parseList(body2, false);
                if (!"end".equals(e)) {
                  throw err(line(open), "unexpected EOF");
                }
                defs.put(name, body2);
              }
              out.add(new Call(name, p, namePos));
              continue;
            }
            default -> { }
          }
        }
        Pipe p = pipeline(true);
        expectEnd("command");
        out.add(new Action(p));
      }
      return null;
    }

    private Node control(String kind, int open) {
      vars.push(new ArrayList<>());
      Pipe p = pipeline(true, kind);
      expectEnd(kind);
      List<Node> list = new ArrayList<>();
      String e = parseList(list, false);
      List<Node> elseList = null;
      if ("else".equals(e)) {
        // {{else}} or {{else if ...}} / {{else with ...}}
        next();
        Tok t = peek();
        if ((kind.equals("if") && t.kind == IDENT && t.text.equals("if"))
            || (kind.equals("with") && t.kind == IDENT && t.text.equals("with"))) {
          next();
          elseList = List.of(control(kind, open));
          vars.pop();
          return make(kind, p, list, elseList);
        }
        expectEnd("else");
        elseList = new ArrayList<>();
        e = parseList(elseList, false);
      }
      if (!"end".equals(e)) {
        throw err(line(open), "unexpected EOF");
      }
      vars.pop();
      return make(kind, p, list, elseList);
    }

    private static Node make(String kind, Pipe p, List<Node> list, List<Node> elseList) {
      return switch (kind) {
        case "if" -> new If(p, list, elseList);
        case "with" -> new With(p, list, elseList);
        default -> new Range(p, list, elseList);
      };
    }

    private String stringArg(String ctx) {
      Tok t = next();
      if (t.kind != STR) {
        throw err(line(t.pos), "unexpected \"" + t.text + "\" in " + ctx);
      }
      return (String) unquote(t);
    }

    private void expectEnd(String ctx) {
      Tok t = peek();
      if (t.kind != EOF) {
        throw err(line(t.pos), "unexpected \"" + t.text + "\" in " + ctx);
      }
    }

    private Pipe pipeline(boolean allowDecl) {
      return pipeline(allowDecl, "command");
    }

    private Pipe pipeline(boolean allowDecl, String context) {
      List<String> decl = new ArrayList<>();
      boolean assign = false;
      int start = peek().pos;
      // declarations: $x := / $x = / $i, $x :=
      if (allowDecl && peek().kind == VAR) {
        int save = ti;
        List<String> vars = new ArrayList<>();
        vars.add(next().text);
        if (peek().kind == ',') {
          next();
          if (peek().kind == VAR) {
            vars.add(next().text);
          }
        }
        if (peek().kind == DECLARE || peek().kind == ASSIGN) {
          assign = next().kind == ASSIGN;
          decl = vars;
          if (!assign) {
            this.vars.peek().addAll(vars);
          } else {
            for (String v : vars) {
              requireDeclared(v, start);
            }
          }
        } else {
          ti = save;
        }
      }
      List<List<Arg>> cmds = new ArrayList<>();
      while (true) {
        List<Arg> cmd = new ArrayList<>();
        while (peek().kind != EOF && peek().kind != '|' && peek().kind != ')') {
          cmd.add(operand());
        }
        if (cmd.isEmpty()) {
          throw err(line(peek().pos), "missing value for " + context);
        }
        cmds.add(cmd);
        if (peek().kind == '|') {
          next();
          continue;
        }
        break;
      }
      return new Pipe(decl, assign, cmds, start);
    }

    private Arg operand() {
      Arg t = term();
      List<String> fields = new ArrayList<>();
      int chainPos = -1;
      while (peek().kind == FIELD && peek().pos == lastEnd) {
        Tok f = next();
        if (chainPos < 0) {
          chainPos = f.pos;
        }
        fields.addAll(splitFields(f.text));
      }
      if (fields.isEmpty()) {
        return t;
      }
      // like Go, a chained node sits where its first chained field starts
      if (t instanceof Field f) {
        List<String> all = new ArrayList<>(f.names());
        all.addAll(fields);
        return new Field(all, chainPos);
      }
      if (t instanceof Variable v) {
        List<String> all = new ArrayList<>(v.fields());
        all.addAll(fields);
        return new Variable(v.name(), all, chainPos);
      }
      return new Chain(t, fields, chainPos);
    }

    private int lastEnd;

    private Arg term() {
      Tok t = next();
      switch (t.kind) {
        case '.':
          return new Dot(t.pos);
        case FIELD:
          return new Field(splitFields(t.text), t.pos);
        case VAR: {
          requireDeclared(t.text, t.pos);
          return new Variable(t.text, List.of(), t.pos);
        }
        case STR:
          return new Literal(unquote(t), t.text, t.pos);
        case CHAR:
          return new Literal(unquote(t), t.text, t.pos);
        case NUM:
          return new Literal(number(t), t.text, t.pos);
        case '(': {
          Pipe p = pipeline(true);
          Tok close = next();
          if (close.kind != ')') {
            throw err(line(close.pos), "unclosed left paren");
          }
          return new SubPipe(p, t.pos);
        }
        case IDENT:
          switch (t.text) {
            case "true":
              return new Literal(Boolean.TRUE, t.text, t.pos);
            case "false":
              return new Literal(Boolean.FALSE, t.text, t.pos);
            case "nil":
              return new Literal(null, t.text, t.pos);
            default:
              if (!FUNCS.contains(t.text)) {
                throw err(line(t.pos), "function \"" + t.text + "\" not defined");
              }
              return new Func(t.text, t.pos);
          }
        default:
          throw err(line(t.pos), "unexpected \"" + t.text + "\" in operand");
      }
    }

    private static List<String> splitFields(String text) {
      List<String> out = new ArrayList<>();
      for (String p : text.substring(1).split("\\.")) {
        out.add(p);
      }
      return out;
    }

    private Object number(Tok t) {
      String s = t.text.replace("_", "");
      try {
        if (s.matches("[+-]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)")) {
          String body = s.replaceFirst("^[+-]", "");
          boolean neg = s.startsWith("-");
          long v;
          if (body.startsWith("0x") || body.startsWith("0X")) {
            v = Long.parseLong(body.substring(2), 16);
          } else if (body.startsWith("0b") || body.startsWith("0B")) {
            v = Long.parseLong(body.substring(2), 2);
          } else if (body.startsWith("0o") || body.startsWith("0O")) {
            v = Long.parseLong(body.substring(2), 8);
          } else if (body.length() > 1 && body.startsWith("0")) {
            v = Long.parseLong(body.substring(1), 8);
          } else {
            v = Long.parseLong(body);
          }
          return neg ? -v : v;
        }
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw err(line(t.pos), "illegal number syntax: \"" + t.text + "\"");
      }
    }

    private Object unquote(Tok t) {
      String s = t.text;
      if (s.startsWith("`")) {
        return s.substring(1, s.length() - 1);
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i < s.length() - 1; i++) {
        char c = s.charAt(i);
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = s.charAt(++i);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          case 'a' -> sb.append((char) 7);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'v' -> sb.append((char) 11);
          case 'x' -> {
            sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
            i += 2;
          }
          case 'u' -> {
            sb.appendCodePoint(Integer.parseInt(s.substring(i + 1, i + 5), 16));
            i += 4;
          }
          case 'U' -> {
            sb.appendCodePoint(Integer.parseInt(s.substring(i + 1, i + 9), 16));
            i += 8;
          }
          default -> sb.append(e);
        }
      }
      if (t.kind == CHAR) {
        return (long) sb.toString().codePointAt(0);
      }
      return sb.toString();
    }

    private Tok peek() {
      return toks.get(ti);
    }

    private Tok next() {
      Tok t = toks.get(ti);
      if (ti < toks.size() - 1) {
        ti++;
      }
      lastEnd = t.pos + t.text.length();
      return t;
    }

    private List<Tok> lex(String body, int base) {
      List<Tok> out = new ArrayList<>();
      int i = 0;
      int n = body.length();
      while (i < n) {
        char c = body.charAt(i);
        int start = i;
        if (isSpace(c)) {
          i++;
          continue;
        }
        if (c == '"' || c == '`' || c == '\'') {
          char q = c;
          i++;
          while (i < n && body.charAt(i) != q) {
            if (body.charAt(i) == '\\' && q != '`') {
              i++;
            }
            i++;
          }
          if (i >= n) {
            throw err(line(base + start), q == '`' ? "unterminated raw quoted string" : "unterminated quoted string");
          }
          i++;
          out.add(new Tok(q == '\'' ? CHAR : STR, body.substring(start, i), base + start));
          continue;
        }
        if (c == '.' && (i + 1 >= n || !isAlnum(body.charAt(i + 1)))) {
          if (i + 1 < n && Character.isDigit(body.charAt(i + 1))) {
            // .5 is a number
          } else {
            out.add(new Tok('.', ".", base + i));
            i++;
            continue;
          }
        }
        if (c == '.' && i + 1 < n && isAlnum(body.charAt(i + 1)) && !Character.isDigit(body.charAt(i + 1))) {
          i++;
          while (i < n && isAlnum(body.charAt(i))) {
            i++;
          }
          out.add(new Tok(FIELD, body.substring(start, i), base + start));
          continue;
        }
        if (c == '$') {
          i++;
          while (i < n && isAlnum(body.charAt(i))) {
            i++;
          }
          out.add(new Tok(VAR, body.substring(start, i), base + start));
          continue;
        }
        if (c == ':' && i + 1 < n && body.charAt(i + 1) == '=') {
          out.add(new Tok(DECLARE, ":=", base + i));
          i += 2;
          continue;
        }
        if (c == '=' || c == '|' || c == '(' || c == ')' || c == ',') {
          out.add(new Tok(c, String.valueOf(c), base + i));
          i++;
          continue;
        }
        if (Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < n && Character.isDigit(body.charAt(i + 1)))) {
          i++;
          while (i < n && (isAlnum(body.charAt(i)) || body.charAt(i) == '.'
              || ((body.charAt(i) == '-' || body.charAt(i) == '+') && "eEpP".indexOf(body.charAt(i - 1)) >= 0))) {
            i++;
          }
          out.add(new Tok(NUM, body.substring(start, i), base + start));
          continue;
        }
        if (Character.isLetter(c) || c == '_') {
          while (i < n && isAlnum(body.charAt(i))) {
            i++;
          }
          out.add(new Tok(IDENT, body.substring(start, i), base + start));
          continue;
        }
        throw err(line(base + i), "unexpected \"" + c + "\" in command");
      }
      out.add(new Tok(EOF, "", base + n));
      return out;
    }

    private int findClose(int from) {
      int i = from;
      while (i < src.length()) {
        char c = src.charAt(i);
        if (c == '"' || c == '`' || c == '\'') {
          char q = c;
          i++;
          while (i < src.length() && src.charAt(i) != q) {
            if (src.charAt(i) == '\\' && q != '`') {
              i++;
            }
            i++;
          }
          i++;
          continue;
        }
        if (src.startsWith("}}", i)) {
          return i;
        }
        i++;
      }
      throw err(line(from), "unclosed action");
    }

    private int line(int at) {
      int l = 1;
      for (int i = 0; i < at && i < src.length(); i++) {
        if (src.charAt(i) == '\n') {
          l++;
        }
      }
      return l;
    }

    private static BuiltinException err(int line, String msg) {
      return BuiltinException.error("template: template:" + line + ": " + msg);
    }
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isAlnum(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private static String stripTrailingSpace(String s) {
    int j = s.length();
    while (j > 0 && isSpace(s.charAt(j - 1))) {
      j--;
    }
    return s.substring(0, j);
  }

  private static final java.util.Set<String> FUNCS = java.util.Set.of("and", "call", "html", "index", "slice", "js",
      "len", "not", "or", "print", "printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne");

  // ---- execution

  /** Variables: a linked stack of name → value. */
  private static final class Scope {
    final Scope parent;
    final String name;
    Object value;

    Scope(Scope parent, String name, Object value) {
      this.parent = parent;
      this.name = name;
      this.value = value;
    }

    Scope find(String n) {
      for (Scope s = this; s != null; s = s.parent) {
        if (s.name.equals(n)) {
          return s;
        }
      }
      return null;
    }
  }

  private static final class BreakSignal extends RuntimeException {
    BreakSignal() {
      super(null, null, false, false);
    }
  }

  private static final class ContinueSignal extends RuntimeException {
    ContinueSignal() {
      super(null, null, false, false);
    }
  }

  private static final class Exec {
    private final String src;
    private final Map<String, List<Node>> defs;
    private final StringBuilder out;
    private final BuiltinContext ctx;
    private int depth;
    private int steps;
    /** The node being evaluated, for error messages (Go's state.at). */
    private int atPos;
    private String atText = "";

    Exec(String src, Map<String, List<Node>> defs, StringBuilder out, BuiltinContext ctx) {
      this.src = src;
      this.defs = defs;
      this.out = out;
      this.ctx = ctx;
    }

    /** Runs a list; returns the scope, which declarations in the list may have extended. */
    Scope walk(Object dot, List<Node> list, Scope vars) {
      for (Node n : list) {
        if ((++steps & 0xFF) == 0) {
          ctx.checkCancelled();
        }
        vars = node(dot, n, vars);
      }
      return vars;
    }

    private Scope node(Object dot, Node n, Scope vars) {
      if (n instanceof Text t) {
        out.append(t.text());
        return vars;
      }
      if (n instanceof Action a) {
        Scope[] holder = {vars};
        Object v = pipeline(dot, a.pipe(), holder);
        if (a.pipe().decl().isEmpty()) {
          out.append(print(v));
        }
        return holder[0];
      }
      if (n instanceof If i) {
        Scope[] holder = {vars};
        Object v = pipeline(dot, i.pipe(), holder);
        if (truth(v)) {
          walk(dot, i.list(), holder[0]);
        } else if (i.elseList() != null) {
          walk(dot, i.elseList(), holder[0]);
        }
        return vars;
      }
      if (n instanceof With w) {
        Scope[] holder = {vars};
        Object v = pipeline(dot, w.pipe(), holder);
        if (truth(v)) {
          walk(v, w.list(), holder[0]);
        } else if (w.elseList() != null) {
          walk(dot, w.elseList(), holder[0]);
        }
        return vars;
      }
      if (n instanceof Range r) {
        range(dot, r, vars);
        return vars;
      }
      if (n instanceof Break) {
        throw new BreakSignal();
      }
      if (n instanceof Continue) {
        throw new ContinueSignal();
      }
      Call call = (Call) n;
      List<Node> body = defs.get(call.name());
      if (body == null) {
        at(call.pos(), "{{template " + GoFmt.goQuote(call.name()) + (call.pipe() == null ? "" : " " + pipeText(call.pipe()))
            + "}}");
        throw error(call.pos(), "template " + GoFmt.goQuote(call.name()) + " not defined");
      }
      Object newDot = call.pipe() == null ? null : pipeline(dot, call.pipe(), new Scope[] {vars});
      if (++depth > 100_000) {
        throw error(call.pos(), "exceeded maximum template depth (100000)");
      }
      try {
        walk(newDot, body, new Scope(null, "$", newDot));
      } finally {
        depth--;
      }
      return vars;
    }

    private void range(Object dot, Range r, Scope vars) {
      Scope[] holder = {vars};
      Object val = pipeline(dot, r.pipe(), holder);
      List<String> decl = r.pipe().decl();
      List<Object[]> items = new ArrayList<>();
      if (val instanceof List<?> l) {
        for (int i = 0; i < l.size(); i++) {
          items.add(new Object[] {(long) i, l.get(i)});
        }
      } else if (val instanceof Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          items.add(new Object[] {e.getKey(), e.getValue()});
        }
      } else if (val instanceof Long count) {
        if (decl.size() > 1) {
          throw error(r.pipe().pos(), "can't use " + count + " to iterate over more than one variable");
        }
        for (long i = 0; i < count; i++) {
          items.add(new Object[] {null, i});
        }
      } else if (val != MISSING && val != null) {
        throw error(r.pipe().pos(), "range can't iterate over " + print(val));
      }
      if (items.isEmpty()) {
        if (r.elseList() != null) {
          walk(dot, r.elseList(), vars);
        }
        return;
      }
      try {
        for (Object[] item : items) {
          Scope s = holder[0];
          if (decl.size() == 1) {
            s = bind(s, decl.get(0), item[1], r.pipe().assign());
          } else if (decl.size() == 2) {
            s = bind(s, decl.get(0), item[0], r.pipe().assign());
            s = bind(s, decl.get(1), item[1], r.pipe().assign());
          }
          try {
            walk(item[1], r.list(), s);
          } catch (ContinueSignal e) {
            // next iteration
          }
        }
      } catch (BreakSignal e) {
        // leave the loop
      }
    }

    private Scope bind(Scope s, String name, Object v, boolean assign) {
      if (assign) {
        Scope existing = s.find(name);
        if (existing == null) {
          throw error(0, "undefined variable: " + name);
        }
        existing.value = v;
        return s;
      }
      return new Scope(s, name, v);
    }

    private Object pipeline(Object dot, Pipe p, Scope[] vars) {
      Object value = MISSING;
      boolean hasFinal = false;
      for (List<Arg> cmd : p.cmds()) {
        value = command(dot, cmd, hasFinal ? value : MISSING, hasFinal, vars[0]);
        // Go unwraps an empty interface here; a nil one is then no value at all
        if (value == null) {
          value = MISSING;
        }
        hasFinal = true;
      }
      for (String d : p.decl()) {
        if (p.assign()) {
          Scope existing = vars[0].find(d);
          if (existing == null) {
            throw error(p.pos(), "undefined variable: " + d);
          }
          existing.value = value;
        } else {
          vars[0] = new Scope(vars[0], d, value);
        }
      }
      return value;
    }

    private Object command(Object dot, List<Arg> cmd, Object fin, boolean hasFinal, Scope vars) {
      Arg first = cmd.get(0);
      at(argPos(first), commandText(cmd));
      if (first instanceof Func f) {
        List<Object> args = new ArrayList<>();
        for (int i = 1; i < cmd.size(); i++) {
          args.add(arg(dot, cmd.get(i), vars));
        }
        if (hasFinal) {
          args.add(fin);
        }
        at(argPos(first), commandText(cmd));
        return call(f, args, cmd, dot, vars);
      }
      if (cmd.size() > 1 || hasFinal) {
        throw error(argPos(first), "can't give argument to non-function " + argText(first));
      }
      return arg(dot, first, vars);
    }

    private Object arg(Object dot, Arg a, Scope vars) {
      if (a instanceof Dot) {
        return dot;
      }
      if (a instanceof Field f) {
        at(f.pos(), argText(f));
        return fields(dot, f.names(), f.pos());
      }
      if (a instanceof Variable v) {
        Scope s = vars.find(v.name());
        if (s == null) {
          throw error(v.pos(), "undefined variable: " + v.name());
        }
        if (!v.fields().isEmpty()) {
          at(v.pos(), argText(v));
        }
        return fields(s.value, v.fields(), v.pos());
      }
      if (a instanceof Literal l) {
        return l.value();
      }
      if (a instanceof SubPipe sp) {
        return pipeline(dot, sp.pipe(), new Scope[] {vars});
      }
      if (a instanceof Chain c) {
        return fields(arg(dot, c.base(), vars), c.fields(), c.pos());
      }
      Func f = (Func) a;
      return call(f, List.of(), List.of(f), dot, vars);
    }

    private Object fields(Object receiver, List<String> names, int pos) {
      Object cur = receiver;
      for (String name : names) {
        if (cur == MISSING) {
          return MISSING;
        }
        if (cur == null) {
          throw error(pos, "nil pointer evaluating interface {}." + name);
        }
        if (!(cur instanceof Map<?, ?>)) {
          throw error(pos, "can't evaluate field " + name + " in type interface {}");
        }
        if (cur instanceof Map<?, ?> m) {
          Object v = m.get(name);
          cur = v == null && !m.containsKey(name) ? MISSING : v;
        } else {
          throw error(pos, "can't evaluate field " + name + " in type " + goTypeName(cur));
        }
      }
      return cur;
    }

    private Object call(Func f, List<Object> args, List<Arg> cmd, Object dot, Scope vars) {
      String name = f.name();
      switch (name) {
        case "and", "or" -> {
          if (args.isEmpty()) {
            throw error(f.pos(), "wrong number of args for " + name + ": want at least 1 got 0");
          }
          for (int i = 0; i < args.size() - 1; i++) {
            boolean t = truth(args.get(i));
            if (name.equals("and") ? !t : t) {
              return args.get(i);
            }
          }
          return args.get(args.size() - 1);
        }
        case "not" -> {
          arity(f, args, 1);
          return !truth(args.get(0));
        }
        case "len" -> {
          arity(f, args, 1);
          Object v = args.get(0);
          if (v instanceof String s) {
            return (long) s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
          }
          if (v instanceof JsonNumber n) {
            return (long) n.text().length();
          }
          if (v instanceof List<?> l) {
            return (long) l.size();
          }
          if (v instanceof Map<?, ?> m) {
            return (long) m.size();
          }
          throw error(f.pos(), "error calling len: len of type " + goTypeName(v));
        }
        case "index" -> {
          if (args.isEmpty()) {
            throw error(f.pos(), "wrong number of args for index: want at least 1 got 0");
          }
          Object cur = args.get(0);
          for (int i = 1; i < args.size(); i++) {
            Object k = args.get(i);
            if (cur instanceof List<?> l) {
              if (!(k instanceof Long idx)) {
                throw error(f.pos(), "error calling index: cannot index slice/array with type " + goTypeName(k));
              }
              if (idx < 0 || idx >= l.size()) {
                throw error(f.pos(), "error calling index: index out of range: " + idx);
              }
              cur = l.get((int) (long) idx);
            } else if (cur instanceof Map<?, ?> m) {
              if (!(k instanceof String ks)) {
                throw error(f.pos(), "error calling index: value has type " + goTypeName(k)
                    + "; should be string");
              }
              cur = m.containsKey(ks) ? m.get(ks) : null;
            } else if (cur == null || cur == MISSING) {
              throw error(f.pos(), "error calling index: index of untyped nil");
            } else {
              throw error(f.pos(), "error calling index: can't index item of type " + goTypeName(cur));
            }
          }
          return cur;
        }
        case "slice" -> {
          if (args.isEmpty()) {
            throw error(f.pos(), "wrong number of args for slice: want at least 1 got 0");
          }
          Object v = args.get(0);
          long[] idx = new long[args.size() - 1];
          for (int i = 1; i < args.size(); i++) {
            if (!(args.get(i) instanceof Long l)) {
              throw error(f.pos(), "error calling slice: cannot index slice/array with type "
                  + goTypeName(args.get(i)));
            }
            idx[i - 1] = l;
          }
          if (v instanceof String s) {
            if (idx.length > 2) {
              throw error(f.pos(), "error calling slice: cannot 3-index slice a string");
            }
            long from = idx.length > 0 ? idx[0] : 0;
            long to = idx.length > 1 ? idx[1] : s.length();
            if (from < 0 || to < from || to > s.length()) {
              throw error(f.pos(), "error calling slice: index out of range: " + to);
            }
            return s.substring((int) from, (int) to);
          }
          if (v instanceof List<?> l) {
            long from = idx.length > 0 ? idx[0] : 0;
            long to = idx.length > 1 ? idx[1] : l.size();
            if (from < 0 || to < from || to > l.size()) {
              throw error(f.pos(), "error calling slice: index out of range: " + to);
            }
            return new ArrayList<>(l.subList((int) from, (int) to));
          }
          throw error(f.pos(), "error calling slice: can't slice item of type " + goTypeName(v));
        }
        case "print" -> {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < args.size(); i++) {
            if (i > 0 && !isStringKind(args.get(i)) && !isStringKind(args.get(i - 1))) {
              sb.append(' ');
            }
            sb.append(print(args.get(i)));
          }
          return sb.toString();
        }
        case "println" -> {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
              sb.append(' ');
            }
            sb.append(print(args.get(i)));
          }
          return sb.append('\n').toString();
        }
        case "printf" -> {
          if (args.isEmpty() || !(args.get(0) instanceof String fmt)) {
            throw error(f.pos(), "wrong number of args for printf: want at least 1 got " + args.size());
          }
          List<Object> fa = new ArrayList<>();
          for (int i = 1; i < args.size(); i++) {
            Object v = args.get(i);
            fa.add(v instanceof String || v instanceof Long || v instanceof Double ? v : print(v));
          }
          return GoFmt.sprintf(fmt, fa);
        }
        case "eq", "ne", "lt", "le", "gt", "ge" -> {
          return compare(f, name, args);
        }
        case "html" -> {
          return escapeHtml(printArgs(args));
        }
        case "js" -> {
          return escapeJs(printArgs(args));
        }
        case "urlquery" -> {
          return Encoding.queryEscape(printArgs(args));
        }
        default -> throw error(f.pos(), "error calling call: call of nil");
      }
    }

    private String printArgs(List<Object> args) {
      if (args.size() == 1 && args.get(0) instanceof String s) {
        return s;
      }
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < args.size(); i++) {
        if (i > 0 && !isStringKind(args.get(i)) && !isStringKind(args.get(i - 1))) {
          sb.append(' ');
        }
        sb.append(print(args.get(i)));
      }
      return sb.toString();
    }

    private void arity(Func f, List<Object> args, int n) {
      if (args.size() != n) {
        throw error(f.pos(), "wrong number of args for " + f.name() + ": want " + n + " got " + args.size());
      }
    }

    private Object compare(Func f, String op, List<Object> args) {
      if (op.equals("eq")) {
        if (args.size() < 2) {
          throw error(f.pos(), "error calling eq: missing argument for comparison");
        }
        Object x = args.get(0);
        for (int i = 1; i < args.size(); i++) {
          if (basicEquals(f, x, args.get(i))) {
            return true;
          }
        }
        return false;
      }
      if (args.size() != 2) {
        throw error(f.pos(), "wrong number of args for " + op + ": want 2 got " + args.size());
      }
      Object x = args.get(0);
      Object y = args.get(1);
      if (op.equals("ne")) {
        return !basicEquals(f, x, y);
      }
      int c = order(f, op, x, y);
      return switch (op) {
        case "lt" -> c < 0;
        case "le" -> c <= 0;
        case "gt" -> c > 0;
        default -> c >= 0;
      };
    }

    private boolean basicEquals(Func f, Object x, Object y) {
      if (x == null || x == MISSING || y == null || y == MISSING) {
        return (x == null || x == MISSING) && (y == null || y == MISSING);
      }
      char kx = kind(x);
      char ky = kind(y);
      if (kx == '?' || ky == '?') {
        throw error(f.pos(), "error calling eq: non-comparable type " + print(kx == '?' ? x : y) + ": "
            + goTypeName(kx == '?' ? x : y));
      }
      if (kx != ky) {
        throw error(f.pos(), "error calling eq: incompatible types for comparison: " + goTypeName(x) + " and "
            + goTypeName(y));
      }
      return switch (kx) {
        case 's' -> str(x).equals(str(y));
        case 'i' -> ((Long) x).longValue() == ((Long) y).longValue();
        case 'f' -> ((Double) x).doubleValue() == ((Double) y).doubleValue();
        default -> x.equals(y);
      };
    }

    private int order(Func f, String op, Object x, Object y) {
      char kx = kind(x);
      char ky = kind(y);
      if (kx == 'b' || kx == '?' || x == null || x == MISSING) {
        throw error(f.pos(), "error calling " + op + ": invalid type for comparison");
      }
      if (kx != ky) {
        throw error(f.pos(), "error calling " + op + ": incompatible types for comparison: " + goTypeName(x) + " and "
            + goTypeName(y));
      }
      return switch (kx) {
        case 's' -> StringValue.compareCodePoints(str(x), str(y));
        case 'i' -> Long.compare((Long) x, (Long) y);
        default -> Double.compare((Double) x, (Double) y);
      };
    }

    private static char kind(Object v) {
      if (v instanceof String || v instanceof JsonNumber) {
        return 's';
      }
      if (v instanceof Long) {
        return 'i';
      }
      if (v instanceof Double) {
        return 'f';
      }
      if (v instanceof Boolean) {
        return 'b';
      }
      return '?';
    }

    private static String str(Object v) {
      return v instanceof JsonNumber n ? n.text() : (String) v;
    }

    private static boolean truth(Object v) {
      if (v == null || v == MISSING) {
        return false;
      }
      if (v instanceof Boolean b) {
        return b;
      }
      if (v instanceof String s) {
        return !s.isEmpty();
      }
      if (v instanceof JsonNumber n) {
        return !n.text().isEmpty();
      }
      if (v instanceof Long l) {
        return l != 0;
      }
      if (v instanceof Double d) {
        return d != 0;
      }
      if (v instanceof List<?> l) {
        return !l.isEmpty();
      }
      return !((Map<?, ?>) v).isEmpty();
    }

    private static int argPos(Arg a) {
      if (a instanceof Dot d) {
        return d.pos();
      }
      if (a instanceof Field f) {
        return f.pos();
      }
      if (a instanceof Variable v) {
        return v.pos();
      }
      if (a instanceof Literal l) {
        return l.pos();
      }
      if (a instanceof SubPipe s) {
        return s.pos();
      }
      if (a instanceof Chain c) {
        return c.pos();
      }
      return ((Func) a).pos();
    }

    private String argText(Arg a) {
      if (a instanceof Dot) {
        return ".";
      }
      if (a instanceof Field f) {
        return "." + String.join(".", f.names());
      }
      if (a instanceof Variable v) {
        return v.name() + (v.fields().isEmpty() ? "" : "." + String.join(".", v.fields()));
      }
      if (a instanceof Literal l) {
        return l.text();
      }
      if (a instanceof Func f) {
        return f.name();
      }
      if (a instanceof Chain c) {
        return argText(c.base()) + "." + String.join(".", c.fields());
      }
      return "(" + pipeText(((SubPipe) a).pipe()) + ")";
    }

    private String pipeText(Pipe p) {
      StringBuilder sb = new StringBuilder();
      if (!p.decl().isEmpty()) {
        sb.append(String.join(", ", p.decl())).append(p.assign() ? " = " : " := ");
      }
      for (int i = 0; i < p.cmds().size(); i++) {
        if (i > 0) {
          sb.append(" | ");
        }
        sb.append(commandText(p.cmds().get(i)));
      }
      return sb.toString();
    }

    private void at(int pos, String text) {
      atPos = pos;
      atText = text;
    }

    private String commandText(List<Arg> cmd) {
      StringBuilder sb = new StringBuilder();
      for (Arg a : cmd) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(argText(a));
      }
      return sb.toString();
    }

    private BuiltinException error(int ignoredPos, String msg) {
      int pos = atPos;
      int line = 1;
      int col = 0;
      for (int i = 0; i < pos && i < src.length(); i++) {
        if (src.charAt(i) == '\n') {
          line++;
          col = 0;
        } else {
          col++;
        }
      }
      return BuiltinException.error("template: template:" + line + ":" + col + ": executing \"template\" at <" + atText
          + ">: " + msg);
    }
  }

  private static String escapeHtml(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("&#34;");
        case '\'' -> sb.append("&#39;");
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case 0 -> sb.append('\uFFFD');
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String escapeJs(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '\\' -> sb.append("\\\\");
        case '\'' -> sb.append("\\'");
        case '"' -> sb.append("\\\"");
        case '<' -> sb.append("\\u003C");
        case '>' -> sb.append("\\u003E");
        case '&' -> sb.append("\\u0026");
        case '=' -> sb.append("\\u003D");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (cp < ' ' || !GoFmt.isPrint(cp)) {
            sb.append(String.format("\\u%04X", cp));
          } else {
            sb.appendCodePoint(cp);
          }
        }
      }
    }
    return sb.toString();
  }
}
