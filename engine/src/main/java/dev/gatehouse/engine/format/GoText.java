package dev.gatehouse.engine.format;

import dev.gatehouse.engine.format.Layout.Term;
import java.util.stream.Collectors;

/** Text forms OPA's formatter borrows from Go: quoted strings and the canonical string of a term. */
final class GoText {
  private GoText() {}

  /** Go's strconv.Quote: printable characters kept, the rest escaped. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        case 0x07 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case 0x0b -> sb.append("\\v");
        default -> {
          if (cp < 0x20 || cp == 0x7f) {
            sb.append(String.format("\\x%02x", cp));
          } else if (!isPrintable(cp)) {
            sb.append(cp > 0xffff ? String.format("\\U%08x", cp) : String.format("\\u%04x", cp));
          } else {
            sb.appendCodePoint(cp);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private static boolean isPrintable(int cp) {
    int type = Character.getType(cp);
    return !(type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
        || type == Character.SURROGATE || type == Character.PRIVATE_USE || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR || (type == Character.SPACE_SEPARATOR && cp != ' '));
  }

  /** Escapes the unescaped `{` of a template string's literal part. */
  static String escapeTemplate(String s) {
    if (s.isEmpty()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 4);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{' && (i == 0 || s.charAt(i - 1) != '\\')) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** The canonical (unformatted) string of a term, as OPA's Term.String() gives it. */
  static String termString(Term t) {
    return switch (t.kind) {
      case NULL, BOOLEAN, NUMBER -> t.text;
      case STRING -> quote(t.text);
      case VAR -> t.text;
      case REF -> {
        StringBuilder sb = new StringBuilder(termString(t.items.get(0)));
        for (int i = 1; i < t.items.size(); i++) {
          Term p = t.items.get(i);
          if (p.kind == Layout.TermKind.STRING && p.text.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            sb.append('.').append(p.text);
          } else {
            sb.append('[').append(termString(p)).append(']');
          }
        }
        yield sb.toString();
      }
      case ARRAY -> t.items.stream().map(GoText::termString).collect(Collectors.joining(", ", "[", "]"));
      case SET -> t.items.isEmpty() ? "set()"
          : t.items.stream().map(GoText::termString).collect(Collectors.joining(", ", "{", "}"));
      case OBJECT -> t.entries.stream().map(e -> termString(e[0]) + ": " + termString(e[1]))
          .collect(Collectors.joining(", ", "{", "}"));
      case CALL -> t.items.subList(1, t.items.size()).stream().map(GoText::termString)
          .collect(Collectors.joining(", ", termString(t.items.get(0)) + "(", ")"));
      default -> t.loc.text;
    };
  }
}
