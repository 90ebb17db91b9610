package dev.gatehouse.engine.format;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.RegoVersion;
import dev.gatehouse.engine.format.Layout.Expr;
import dev.gatehouse.engine.format.Layout.ExprKind;
import dev.gatehouse.engine.format.Layout.Loc;
import dev.gatehouse.engine.format.Layout.Term;
import dev.gatehouse.engine.format.Layout.TermKind;
import dev.gatehouse.engine.parse.RegoParser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Formats Rego source exactly as {@code opa fmt} (OPA v1.22) does: same layout, comment
 * placement, blank lines, wrapping and import handling, byte for byte.
 */
public final class RegoFormatter {
  /** What the output must parse as. */
  public enum Target {
    /** Rego v1 in, Rego v1 out (the default of {@code opa fmt}). */
    V1,
    /** Rego v0 in, Rego v0 out ({@code --v0-compatible}). */
    V0,
    /** Rego v0 in, out compatible with both v0 and v1 ({@code --rego-v1} / {@code --v0-v1}). */
    V0_V1
  }

  private static final List<String> KEYWORDS_V0 = List.of("not", "package", "import", "as", "default", "else",
      "with", "null", "true", "false", "some");
  private static final List<String> KEYWORDS_V1 = List.of("not", "package", "import", "as", "default", "else",
      "with", "null", "true", "false", "some", "if", "contains", "in", "every");

  private RegoFormatter() {}

  /**
   * Parses and formats one module.
   *
   * @throws RegoException with {@code rego_parse_error}s when the source does not parse for the target
   */
  public static String format(String file, String source, Target target) {
    RegoVersion parseAs = target == Target.V1 ? RegoVersion.V1 : RegoVersion.V0;
    Module module = RegoParser.parseModule(file, source, parseAs);
    SourceText st = new SourceText(source);
    Layout.Module lm = new TreeBuilder(st, parseAs == RegoVersion.V0).build(module);
    boolean maxV1 = target != Target.V0;
    boolean minV1 = target == Target.V1;

    boolean contains = maxV1;
    boolean ifs = maxV1;
    boolean refHeads = false;
    List<String> futureKeywords = new ArrayList<>();
    for (Layout.Import imp : lm.imports) {
      String dotted = importPath(imp);
      if (dotted.startsWith("future.keywords.")) {
        futureKeywords.add(dotted.substring("future.keywords.".length()));
      }
      switch (dotted) {
        case "rego.v1", "rego.v2", "future.keywords" -> {
          contains = true;
          ifs = true;
        }
        case "future.keywords.contains" -> contains = true;
        case "future.keywords.if" -> ifs = true;
        default -> { }
      }
    }
    for (Layout.Rule r : lm.rules) {
      int len = r.head.ref.size();
      if (len > 2 || (len == 2 && r.head.key != null && r.head.value == null)) {
        refHeads = true;
      }
    }
    boolean regoV2Imported = lm.imports.stream().anyMatch(i -> importPath(i).equals("rego.v2"));
    Set<String> keywords = new LinkedHashSet<>(maxV1 || regoV2Imported ? KEYWORDS_V1 : KEYWORDS_V0);
    if (regoV2Imported) {
      keywords.add("and");
      keywords.add("or");
    } else {
      keywords.addAll(futureKeywords);
    }
    boolean notBodies = lm.imports.stream().map(RegoFormatter::importPath)
        .anyMatch(p -> p.equals("rego.v2") || p.equals("future.keywords") || p.equals("future.keywords.not"));
    Writer.Opts opts = new Writer.Opts(contains, ifs, refHeads, maxV1, keywords, true, notBodies);

    Set<String> extra = new LinkedHashSet<>();
    for (Layout.Rule r : lm.rules) {
      for (Layout.Rule x = r; x != null; x = x.elseRule) {
        collectKeywordUses(x.body, extra);
        collectKeywordUses(x.head, extra);
      }
    }
    List<Layout.Import> imports = formatImports(lm.imports, minV1, maxV1, futureKeywords, extra);

    Writer w = new Writer(opts);
    w.writeModule(lm, imports);
    if (!w.errors.isEmpty()) {
      throw new RegoException(List.of(new RegoError("rego_format_error", String.join("; ", w.errors),
          new Location(file, 0, 0, 0))));
    }
    return w.output();
  }

  private static String importPath(Layout.Import imp) {
    StringBuilder sb = new StringBuilder();
    for (Term t : imp.path) {
      if (!sb.isEmpty()) {
        sb.append('.');
      }
      sb.append(t.text);
    }
    return sb.toString();
  }

  // ---- directive imports

  private static List<Layout.Import> formatImports(List<Layout.Import> imps, boolean minV1, boolean maxV1,
      List<String> futureKeywords, Set<String> extra) {
    List<Layout.Import> out = new ArrayList<>(imps);
    boolean regoV2Imported = out.stream().anyMatch(i -> importPath(i).equals("rego.v2"));
    if (regoV2Imported) {
      // rego.v2 makes rego.v1 and every future import redundant
      out.removeIf(i -> importPath(i).equals("rego.v1") || importPath(i).startsWith("future."));
      return out;
    }
    if (!minV1 && maxV1) {
      ensureImport(out, "rego.v1");
    }
    boolean regoV1Imported = out.stream().anyMatch(i -> importPath(i).equals("rego.v1"));
    if (maxV1 || regoV1Imported) {
      if (!regoV1Imported) {
        for (String kw : futureKeywords) {
          ensureFutureKeyword(out, kw);
        }
      } else {
        out.removeIf(i -> importPath(i).startsWith("future."));
      }
      // `not`, `and` and `or` are the only keywords v1 still imports from the future
      for (String kw : extra) {
        if (kw.equals("not") || kw.equals("and") || kw.equals("or")) {
          ensureFutureKeyword(out, kw);
        }
      }
    } else {
      for (String kw : extra) {
        ensureFutureKeyword(out, kw);
      }
    }
    return out;
  }

  private static void ensureFutureKeyword(List<Layout.Import> imps, String kw) {
    for (Layout.Import i : imps) {
      String p = importPath(i);
      if (p.equals("future.keywords") || p.equals("future.keywords." + kw)
          || (p.equals("future.keywords.every") && kw.equals("in"))) {
        return;
      }
    }
    ensureImport(imps, "future.keywords." + kw);
  }

  private static void ensureImport(List<Layout.Import> imps, String dotted) {
    for (Layout.Import i : imps) {
      if (importPath(i).equals(dotted)) {
        return;
      }
    }
    int maxRow = 0;
    for (Layout.Import i : imps) {
      String p = importPath(i);
      if ((p.startsWith("future.") || p.equals("future") || p.equals("rego.v1")) && !i.loc.synthetic) {
        maxRow = Math.max(maxRow, i.loc.row);
      } else if ((p.startsWith("future.") || p.equals("rego.v1")) && i.loc.synthetic) {
        maxRow = Math.max(maxRow, i.loc.row);
      }
    }
    Layout.Import imp = new Layout.Import();
    imp.loc = new Loc(maxRow == 0 ? 1 : maxRow + 1, 1, 0, "import " + dotted);
    imp.loc.synthetic = true;
    String[] parts = dotted.split("\\.");
    for (int k = 0; k < parts.length; k++) {
      Term t = new Term(k == 0 ? TermKind.VAR : TermKind.STRING, new Loc(imp.loc.row, 1, 0, parts[k]));
      t.loc.synthetic = true;
      t.text = parts[k];
      imp.path.add(t);
    }
    imps.add(imp);
  }

  private static void collectKeywordUses(Layout.Head h, Set<String> out) {
    for (Term t : h.args) {
      collectKeywordUses(t, out);
    }
    if (h.key != null) {
      collectKeywordUses(h.key, out);
    }
    if (h.value != null) {
      collectKeywordUses(h.value, out);
    }
  }

  private static void collectKeywordUses(List<Expr> body, Set<String> out) {
    if (body == null) {
      return;
    }
    for (Expr e : body) {
      if (e.kind == ExprKind.CALL) {
        String op = e.call.get(0).dotted();
        if ("internal.member_2".equals(op) || "internal.member_3".equals(op)) {
          out.add("in");
        }
        e.call.forEach(t -> collectKeywordUses(t, out));
      } else if (e.kind == ExprKind.EVERY) {
        out.add("every");
        collectKeywordUses(e.domain, out);
        collectKeywordUses(e.body, out);
      } else if (e.kind == ExprKind.NOT) {
        out.add("not");
        collectKeywordUses(e.body, out);
      } else if (e.kind == ExprKind.LOGICAL) {
        out.add(e.and ? "and" : "or");
        if (e.negated) {
          out.add("not");
        }
        collectKeywordUses(e.body, out);
        collectKeywordUses(e.rhs, out);
      } else if (e.kind == ExprKind.TERM) {
        collectKeywordUses(e.term, out);
      } else {
        e.symbols.forEach(t -> collectKeywordUses(t, out));
      }
      for (Layout.With w : e.withs) {
        collectKeywordUses(w.value, out);
      }
    }
  }

  private static void collectKeywordUses(Term t, Set<String> out) {
    if (t == null) {
      return;
    }
    t.items.forEach(x -> collectKeywordUses(x, out));
    for (Term[] e : t.entries) {
      collectKeywordUses(e[0], out);
      collectKeywordUses(e[1], out);
    }
    collectKeywordUses(t.head, out);
    collectKeywordUses(t.key, out);
    collectKeywordUses(t.body, out);
    for (Object p : t.parts) {
      if (p instanceof Expr x) {
        collectKeywordUses(List.of(x), out);
      } else if (p instanceof Term pt) {
        collectKeywordUses(pt, out);
      }
    }
  }

}
