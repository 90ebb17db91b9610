package dev.gatehouse.engine.compile;

import dev.gatehouse.engine.RegoError;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.ast.ArrayCompr;
import dev.gatehouse.engine.ast.ArrayTerm;
import dev.gatehouse.engine.ast.Body;
import dev.gatehouse.engine.ast.Call;
import dev.gatehouse.engine.ast.Expr;
import dev.gatehouse.engine.ast.Import;
import dev.gatehouse.engine.ast.Location;
import dev.gatehouse.engine.ast.Module;
import dev.gatehouse.engine.ast.RegoVersion;
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
import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinRegistry;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles parsed modules into the rule tree of {@link Ir} rules: resolves names (locals to frame
 * slots, rule names and imports to data paths, calls to builtins or functions), and reorders every
 * body so each expression runs once its inputs are bound (OPA's safety analysis).
 */
public final class Compiler {
  /** Where a name that is not a local refers to. */
  private record Global(Ir.Root root, List<String> path) {}

  private static final class ModuleInfo {
    final Module module;
    final List<String> pkg;
    final Map<String, Global> imports = new HashMap<>();

    ModuleInfo(Module module, List<String> pkg) {
      this.module = module;
      this.pkg = pkg;
    }
  }

  private final BuiltinRegistry builtins;
  private final RuleTree tree = new RuleTree();
  private final Map<List<String>, Set<String>> ruleNames = new HashMap<>();
  private final List<RegoError> errors = new ArrayList<>();

  private dev.gatehouse.engine.types.Type inputType;

  /** Calls of undefined functions in the rule being compiled: each is reported. */
  private final List<RegoError> undefinedCalls = new ArrayList<>();

  /** The input document's type for the type checker (from opa check -s); null: unknown. */
  public void inputType(dev.gatehouse.engine.types.Type t) {
    inputType = t;
  }

  public Compiler(BuiltinRegistry builtins) {
    this.builtins = builtins;
  }

  public RuleTree tree() {
    return tree;
  }

  /** Reuses an already compiled rule tree (for compiling queries against a policy). */
  public void adopt(RuleTree compiled) {
    this.adopted = compiled;
    collectNames(compiled.root, new ArrayList<>());
  }

  private RuleTree adopted;

  private void collectNames(RuleTree.Node node, List<String> path) {
    if (node.isFunction()) {
      functionNodes.put(List.copyOf(path), true);
    }
    for (RuleTree.Node c : node.children.values()) {
      path.add(c.name);
      collectNames(c, path);
      path.remove(path.size() - 1);
    }
  }

  /** Compiles the modules into the rule tree; throws with every error found. */
  public void compileModules(List<Module> modules) {
    metadata = new MetadataIndex(modules);
    List<ModuleInfo> infos = new ArrayList<>();
    for (Module m : modules) {
      ModuleInfo info = new ModuleInfo(m, stringPath(m.pkg().path(), 1));
      for (Import imp : m.imports()) {
        Ref path = imp.path();
        String root = ((Var) path.head()).name();
        if (root.equals("data") || root.equals("input")) {
          info.imports.put(imp.boundName(), new Global(root.equals("data") ? Ir.Root.DATA : Ir.Root.INPUT,
              stringPath(path, 1)));
        }
      }
      infos.add(info);
      tree.ensure(info.pkg).pkg = true;
      for (Rule r : m.rules()) {
        ruleNames.computeIfAbsent(info.pkg, k -> new LinkedHashSet<>()).add(r.head().name());
        List<String> nodePath = new ArrayList<>(info.pkg);
        nodePath.addAll(groundPrefix(r.head().ref()));
        tree.ensure(nodePath);
      }
    }
    // Pass 1 placed nodes; mark function nodes (and their arity) before bodies are compiled, so calls resolve.
    for (ModuleInfo info : infos) {
      for (Rule r : info.module.rules()) {
        if (r.head().isFunction()) {
          List<String> nodePath = new ArrayList<>(info.pkg);
          nodePath.addAll(groundPrefix(r.head().ref()));
          functionNodes.put(nodePath, true);
          functionArity.put(nodePath, r.head().args().size());
        }
      }
    }
    for (ModuleInfo info : infos) {
      for (Rule r : info.module.rules()) {
        try {
          compileRule(info, r);
        } catch (CompileFailure f) {
          errors.add(f.error);
        } catch (RegoException e) { // unsafe variables: every rule's are reported, as opa does
          errors.addAll(e.errors());
        }
      }
    }
    checkConflicts(tree.root);
    if (errors.isEmpty()) {
      errors.addAll(RecursionCheck.check(tree));
    }
    if (errors.isEmpty()) {
      errors.addAll(TypeCheck.zeroArgCalls(tree, zeroArgCalls));
      errors.addAll(TypeCheck.checkRules(tree, inputType));
    }
    if (!errors.isEmpty()) {
      throw new RegoException(errors);
    }
  }

  private MetadataIndex metadata = new MetadataIndex(List.of());

  /** A call without arguments of a rule that is not a function (see RuleCompiler.zeroArgRuleCall). */
  record ZeroArgCall(List<String> path, Location location) {}

  private final List<ZeroArgCall> zeroArgCalls = new ArrayList<>();
  private final Map<List<String>, Boolean> functionNodes = new HashMap<>();
  private final Map<List<String>, Integer> functionArity = new HashMap<>();

  private static final class CompileFailure extends RuntimeException {
    final RegoError error;

    CompileFailure(RegoError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }
  }

  private static CompileFailure fail(String code, String message, Location at) {
    return new CompileFailure(new RegoError(code, message, at));
  }

  static List<String> stringPath(Ref ref, int from) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < ref.size(); i++) {
      Term t = ref.get(i);
      if (t instanceof Scalar s && s.value() instanceof StringValue str) {
        out.add(str.value());
      } else {
        break;
      }
    }
    return out;
  }

  /** The rule name plus the leading string operands of its head ref. */
  private static List<String> groundPrefix(Ref headRef) {
    List<String> out = new ArrayList<>();
    out.add(((Var) headRef.head()).name());
    out.addAll(stringPath(headRef, 1));
    return out;
  }

  private void checkConflicts(RuleTree.Node node) {
    checkLeafRuleHasNoRulesBelow(node);
    Ir.RuleKind kind = null;
    boolean conflicting = false;
    for (Ir.Rule r : node.rules) {
      Ir.RuleKind k = r.kind() == Ir.RuleKind.COMPLETE && r.suffix().length > 0 ? null : r.kind();
      if (k == null) {
        continue;
      }
      if (kind != null && kind != k) {
        // opa reports the conflict at the node's first rule
        errors.add(new RegoError("rego_type_error", "conflicting rules data." + String.join(".", node.path) + " found",
            node.rules.get(0).location()));
        conflicting = true; // e.g. a constant and a function of the same name: no arity to compare
        break;
      }
      kind = k;
    }
    if (!conflicting && node.isFunction()) {
      int arity = -1;
      for (Ir.Rule r : node.rules) {
        if (arity >= 0 && r.args().length != arity) {
          errors.add(new RegoError("rego_type_error", "conflicting rules data." + String.join(".", node.path) + " found",
              node.rules.get(0).location()));
          break;
        }
        arity = r.args().length;
      }
    }
    for (RuleTree.Node c : node.children.values()) {
      checkConflicts(c);
    }
  }

  /** A rule defining a whole value (no variable in its head ref) cannot have rules inside that value. */
  private void checkLeafRuleHasNoRulesBelow(RuleTree.Node node) {
    Ir.Rule leaf = null;
    for (Ir.Rule r : node.rules) {
      if (r.suffix().length == 0 && r.kind() != Ir.RuleKind.FUNCTION) {
        leaf = r;
        break;
      }
    }
    if (leaf == null && node.defaultRule != null && node.defaultRule.kind() != Ir.RuleKind.FUNCTION) {
      leaf = node.defaultRule;
    }
    if (leaf == null) {
      return;
    }
    Ir.Rule below = firstRuleBelow(node);
    if (below != null) {
      errors.add(new RegoError("rego_type_error", "rule data." + String.join(".", node.path) + " conflicts with:\n  rule data."
          + String.join(".", pathOf(below)) + " at " + below.module() + ":" + below.location().row(), leaf.location()));
    }
  }

  private final Map<Ir.Rule, List<String>> rulePaths = new IdentityHashMap<>();

  private List<String> pathOf(Ir.Rule r) {
    return rulePaths.getOrDefault(r, List.of());
  }

  private Ir.Rule firstRuleBelow(RuleTree.Node node) {
    for (RuleTree.Node c : node.children.values()) {
      if (!c.rules.isEmpty()) {
        return c.rules.get(0);
      }
      if (c.defaultRule != null) {
        return c.defaultRule;
      }
      Ir.Rule deeper = firstRuleBelow(c);
      if (deeper != null) {
        return deeper;
      }
    }
    return null;
  }

  // ---- rules

  private void compileRule(ModuleInfo info, Rule rule) {
    List<String> prefix = groundPrefix(rule.head().ref());
    List<String> nodePath = new ArrayList<>(info.pkg);
    nodePath.addAll(prefix);
    RuleTree.Node node = tree.ensure(nodePath);
    undefinedCalls.clear();
    Ir.Rule compiled;
    try {
      compiled = new RuleCompiler(info, null).rule(rule, prefix.size());
    } catch (CompileFailure f) {
      if (undefinedCalls.isEmpty()) {
        throw f;
      }
      List<RegoError> all = new ArrayList<>(undefinedCalls);
      all.add(f.error);
      throw new RegoException(all);
    }
    if (!undefinedCalls.isEmpty()) {
      throw new RegoException(new ArrayList<>(undefinedCalls));
    }
    rulePaths.put(compiled, nodePath);
    if (rule.isDefault()) {
      if (node.defaultRule != null) {
        throw fail("rego_type_error", "multiple default rules data." + String.join(".", nodePath) + " found",
            rule.location());
      }
      node.defaultRule = compiled;
    } else {
      node.rules.add(compiled);
    }
  }

  /** Compiles an ad-hoc query; returns the body and the slots of its user-visible variables. */
  public CompiledQuery compileQuery(Body query, List<String> pkg, List<Import> imports) {
    ModuleInfo info = new ModuleInfo(null, pkg);
    for (Import imp : imports) {
      String root = ((Var) imp.path().head()).name();
      if (root.equals("data") || root.equals("input")) {
        info.imports.put(imp.boundName(), new Global(root.equals("data") ? Ir.Root.DATA : Ir.Root.INPUT,
            stringPath(imp.path(), 1)));
      }
    }
    RuleCompiler rc = new RuleCompiler(info, null);
    undefinedCalls.clear();
    try {
      Ir.Body body = rc.topBody(query);
      errors.addAll(undefinedCalls);
      Map<String, Integer> vars = new LinkedHashMap<>();
      for (Map.Entry<String, Integer> e : rc.rootScope.namesInOrder().entrySet()) {
        if (!e.getKey().startsWith("$")) {
          vars.put(e.getKey(), e.getValue());
        }
      }
      if (errors.isEmpty()) {
        errors.addAll(TypeCheck.checkQuery(adopted != null ? adopted : tree, body, rc.slots));
      }
      if (!errors.isEmpty()) {
        throw new RegoException(errors);
      }
      return new CompiledQuery(body, rc.slots, vars);
    } catch (CompileFailure f) {
      errors.addAll(undefinedCalls);
      errors.add(f.error);
      throw new RegoException(errors);
    }
  }

  /** A compiled query: its body, frame size, and its named variables' slots. */
  public record CompiledQuery(Ir.Body body, int frameSize, Map<String, Integer> vars) {}

  /** Compiles one rule (or query) with its own frame of slots. */
  private final class RuleCompiler {
    final ModuleInfo info;
    int slots;
    Scope scope;
    OrderedScope rootScope;
    final Map<Object, BitSet> comprehensionLocals = new IdentityHashMap<>();

    RuleCompiler(ModuleInfo info, Scope parent) {
      this.info = info;
      this.rootScope = new OrderedScope(parent);
      this.scope = rootScope;
    }

    int newSlot(Scope s, String name) {
      int slot = slots++;
      s.declare(name, slot);
      return slot;
    }

    /** The rule whose annotations rego.metadata.* calls see (an else branch sees its first rule's). */
    Rule annotated;

    /** Compiling an else branch (not indexed: see RuleIndex). */
    boolean elseBranch;

    Ir.Rule rule(Rule rule, int prefixLen) {
      if (annotated == null) {
        annotated = rule;
      }
      var head = rule.head();
      // Declare everything the rule body and head use at body level.
      Set<String> used = new LinkedHashSet<>();
      Set<String> declared = new LinkedHashSet<>();
      if (head.args() != null) {
        // function parameters are locals even where a rule of the package has the same name
        Set<String> params = new LinkedHashSet<>();
        for (Term a : head.args()) {
          collectPatternVars(a, params);
        }
        for (String name : params) {
          slotNames.put(newSlot(scope, name), name);
        }
      }
      collectBodyVars(rule.body(), used, declared);
      List<Term> suffixAst = head.ref().terms().subList(prefixLen, head.ref().size());
      for (Term t : suffixAst) {
        collectVars(t, used);
      }
      if (head.key() != null) {
        collectVars(head.key(), used);
      }
      if (head.value() != null) {
        collectVars(head.value(), used);
      }
      declareAll(scope, used, declared);

      Ir.T[] args = null;
      BitSet bound = new BitSet();
      List<Ir.E> argChecks = new ArrayList<>();
      if (head.args() != null) {
        args = new Ir.T[head.args().size()];
        for (int i = 0; i < args.length; i++) {
          args[i] = term(head.args().get(i));
          if (!isPattern(args[i])) {
            // A parameter such as $"{x} {input.y}" is computed after the body binds x, then
            // compared with the argument.
            int slot = newSlot(scope, "$arg" + i);
            Ir.Local param = new Ir.Local(slot, "$arg" + i);
            argChecks.add(new Ir.Unify(param, args[i], head.args().get(i).location()));
            args[i] = param;
          }
          bound.or(Safety.patternSlots(args[i]));
        }
      }
      Set<String> headUses = new LinkedHashSet<>();
      for (Term t : suffixAst) {
        collectVars(t, headUses);
      }
      if (head.key() != null) {
        collectVars(head.key(), headUses);
      }
      if (head.value() != null) {
        collectVars(head.value(), headUses);
      }
      if (head.args() != null) {
        for (Term a : head.args()) {
          collectVars(a, headUses);
        }
      }
      pendingHeadUses = headUses;
      Ir.Body body = body(rule.body(), bound, argChecks);
      BitSet afterBody = Safety.boundAfter(body, bound, comprehensionLocals);
      Ir.T[] suffix = new Ir.T[suffixAst.size()];
      for (int i = 0; i < suffix.length; i++) {
        suffix[i] = term(suffixAst.get(i));
        checkHeadSafe(suffix[i], afterBody, head.location());
      }
      Ir.T key = head.key() == null ? null : term(head.key());
      Ir.T value = head.value() == null ? null : term(head.value());
      if (key != null) {
        checkHeadSafe(key, afterBody, head.location());
      }
      if (value != null) {
        checkHeadSafe(value, afterBody, head.location());
      }
      Ir.RuleKind kind = head.isFunction() ? Ir.RuleKind.FUNCTION
          : head.isMultiValue() ? Ir.RuleKind.MULTI_VALUE : Ir.RuleKind.COMPLETE;
      Ir.Rule elseRule = null;
      if (rule.elseRule() != null) {
        RuleCompiler elseCompiler = new RuleCompiler(info, null);
        elseCompiler.annotated = annotated;
        elseCompiler.elseBranch = true;
        elseRule = elseCompiler.rule(rule.elseRule(), prefixLen);
      }
      String file = info.module == null ? "" : info.module.file();
      Ir.InputRequirement[] requires = rule.isDefault() || elseRule != null || elseBranch ? null
          : RuleIndex.requirements(body);
      return new Ir.Rule(kind, rule.isDefault(), suffix, args, key, value, body, elseRule, slots,
          rule.location(), file, rule.annotations(), requires);
    }

    private boolean isConstant(Ir.T t) {
      if (t instanceof Ir.Const) {
        return true;
      }
      if (t instanceof Ir.Arr a) {
        for (Ir.T e : a.elems()) {
          if (!isConstant(e)) {
            return false;
          }
        }
        return true;
      }
      if (t instanceof Ir.Obj o) {
        for (int i = 0; i < o.keys().length; i++) {
          if (!isConstant(o.keys()[i]) || !isConstant(o.values()[i])) {
            return false;
          }
        }
        return true;
      }
      if (t instanceof Ir.SetT s) {
        for (Ir.T e : s.elems()) {
          if (!isConstant(e)) {
            return false;
          }
        }
        return true;
      }
      return false;
    }

    private void checkHeadSafe(Ir.T t, BitSet bound, Location at) {
      BitSet need = Safety.allSlots(t, comprehensionLocals);
      need.andNot(bound);
      need.andNot(Safety.refOperandSlots(t));
      if (!need.isEmpty()) {
        throw fail("rego_unsafe_var_error", "var " + nameOf(need.nextSetBit(0)) + " is unsafe", at);
      }
    }

    String nameOf(int slot) {
      return slotNames.getOrDefault(slot, "$" + slot);
    }

    final Map<Integer, String> slotNames = new HashMap<>();

    Ir.Body topBody(Body query) {
      Set<String> used = new LinkedHashSet<>();
      Set<String> declared = new LinkedHashSet<>();
      collectBodyVars(query, used, declared);
      declareAll(scope, used, declared);
      return body(query, new BitSet());
    }

    /**
     * Declares the body's unification variables up front; names introduced by {@code :=} or
     * {@code some} are declared where they appear (see {@link #declareHere}), so a comprehension
     * written before the declaration has its own variable, as in OPA.
     */
    private void declareAll(Scope s, Set<String> used, Set<String> declared) {
      for (String name : used) {
        Integer outer = s.lookup(name);
        if (declared.contains(name) || outer != null && !closureOnly.contains(outer) || isGlobal(name)) {
          continue;
        }
        slotNames.put(newSlot(s, name), name);
      }
    }

    /**
     * Slots of {@code some x} declarations whose body uses x only inside comprehensions: as in
     * opa (which drops the declaration and checks closures against the variables the enclosing
     * body mentions), each comprehension then has its own x.
     */
    private final Set<Integer> closureOnly = new java.util.HashSet<>();

    /** Variables the body being compiled mentions outside closures (and its head's). */
    private Set<String> bodyUses = Set.of();

    /** Head variables of the next body compiled (a rule's head, a comprehension's). */
    private Set<String> pendingHeadUses = Set.of();

    /** Declares the variables of a := target or some declaration in the current scope. */
    private void declareHere(Term t) {
      Set<String> names = new LinkedHashSet<>();
      collectVars(t, names);
      for (String name : names) {
        if (!scope.declaredHere(name)) {
          slotNames.put(newSlot(scope, name), name);
        }
      }
    }

    boolean isGlobal(String name) {
      if (name.equals("input") || name.equals("data")) {
        return true;
      }
      if (info.imports.containsKey(name)) {
        return true;
      }
      Set<String> names = ruleNames.get(info.pkg);
      return names != null && names.contains(name);
    }

    /** Compiles a body in the current scope and orders it for safety. */
    Ir.Body body(Body b, BitSet bound) {
      return body(b, bound, List.of());
    }

    /** Compiles a body plus extra expressions (placed by the safety ordering like the others). */
    Ir.Body body(Body b, BitSet bound, List<Ir.E> extra) {
      List<Ir.E> exprs = new ArrayList<>();
      List<NegatedVars> outerNegated = negatedVars;
      negatedVars = new ArrayList<>();
      Set<String> outerUses = bodyUses;
      Set<String> uses = new java.util.HashSet<>(pendingHeadUses);
      collectBodyVars(b, uses, new java.util.HashSet<>());
      pendingHeadUses = Set.of();
      bodyUses = uses;
      try {
        for (Expr e : b.exprs()) {
          List<Ir.E> outer = hoisted;
          hoisted = new ArrayList<>();
          Ir.E compiled = expr(e);
          exprs.addAll(hoisted);
          hoisted = outer;
          exprs.add(compiled);
        }
        exprs.addAll(extra);
        checkNegatedVars(exprs, bound);
      } finally {
        negatedVars = outerNegated;
        bodyUses = outerUses;
      }
      return Safety.reorder(exprs, bound, comprehensionLocals, this::nameOf);
    }

    /** The variables of a negated expression as written (before terms were lifted out of it). */
    private record NegatedVars(BitSet slots, Location location) {}

    private List<NegatedVars> negatedVars = new ArrayList<>();

    /** Expressions lifted out of negations: they must not make the negation's own variables safe. */
    private final Set<Ir.E> liftedFromNegation = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * OPA checks safety before it lifts terms out of negations: a variable of a negated
     * expression (a wildcard too) that no other expression of the body binds is unsafe.
     */
    private void checkNegatedVars(List<Ir.E> exprs, BitSet bound) {
      if (negatedVars.isEmpty()) {
        return;
      }
      BitSet bindable = (BitSet) bound.clone();
      for (Ir.E e : exprs) {
        if (!liftedFromNegation.contains(e) && !(e instanceof Ir.Not)
            && !(e instanceof Ir.WithE w && (w.inner() instanceof Ir.Not || liftedFromNegation.contains(w.inner())))) {
          bindable.or(Safety.binds(e, comprehensionLocals));
        }
      }
      List<RegoError> unsafe = new ArrayList<>();
      for (NegatedVars n : negatedVars) {
        BitSet missing = (BitSet) n.slots().clone();
        missing.andNot(bindable);
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (int s = missing.nextSetBit(0); s >= 0; s = missing.nextSetBit(s + 1)) {
          String name = nameOf(s);
          if (!name.startsWith("$") || name.startsWith("$_")) {
            names.add(name.startsWith("$_") ? "_" : name);
          }
        }
        for (String name : names) {
          unsafe.add(new RegoError("rego_unsafe_var_error", "var " + name + " is unsafe", n.location()));
        }
      }
      if (!unsafe.isEmpty()) {
        throw new RegoException(unsafe);
      }
    }

    /** Binds t to a fresh local in an expression run before the current one (under its modifiers). */
    private Ir.Local hoist(Ir.T t, Location at) {
      String name = "$t" + slots;
      Ir.Local tmp = new Ir.Local(newSlot(scope, name), name);
      Ir.E bind = new Ir.Unify(tmp, t, at);
      hoisted.add(currentWiths.isEmpty() ? bind : new Ir.WithE(bind, currentWiths, at));
      return tmp;
    }

    /** Expressions lifted out of the expression being compiled, to run before it. */
    private List<Ir.E> hoisted = new ArrayList<>();

    private boolean isPattern(Ir.T t) {
      if (t instanceof Ir.Local || t instanceof Ir.Const) {
        return true;
      }
      if (t instanceof Ir.Arr a) {
        for (Ir.T e : a.elems()) {
          if (!isPattern(e)) {
            return false;
          }
        }
        return true;
      }
      if (t instanceof Ir.Obj o) {
        for (int i = 0; i < o.keys().length; i++) {
          if (!(o.keys()[i] instanceof Ir.Const) || !isPattern(o.values()[i])) {
            return false;
          }
        }
        return true;
      }
      return false;
    }

    /**
     * In {@code foo == input.foos[foo]} the reference binds foo by iteration while another
     * argument reads it: the reference is lifted into {@code $t = input.foos[foo]} ahead of the
     * call, as OPA's compiler does, so the iteration runs first.
     */
    private void hoistBindingRefs(Ir.T[] args, Location at) {
      for (int i = 0; i < args.length; i++) {
        if (!(args[i] instanceof Ir.Ref)) {
          continue;
        }
        BitSet binds = Safety.refOperandSlots(args[i]);
        if (binds.isEmpty()) {
          continue;
        }
        boolean readElsewhere = false;
        for (int j = 0; j < args.length && !readElsewhere; j++) {
          if (j != i) {
            BitSet reads = Safety.allSlots(args[j], comprehensionLocals);
            reads.andNot(Safety.refOperandSlots(args[j]));
            readElsewhere = reads.intersects(binds);
          }
        }
        if (readElsewhere) {
          args[i] = hoist(args[i], at);
        }
      }
    }


    /** A nested scope (comprehension or every body): returns the compiled body and records its locals. */
    Ir.Body nestedBody(Body b, Object owner, List<Term> extraUsed, List<Var> declaredVars) {
      Scope saved = scope;
      scope = new Scope(saved);
      try {
        Set<String> used = new LinkedHashSet<>();
        Set<String> declared = new LinkedHashSet<>();
        for (Var v : declaredVars) {
          declared.add(v.name());
        }
        collectBodyVars(b, used, declared);
        for (Term t : extraUsed) {
          collectVars(t, used);
        }
        declareAll(scope, used, declared);
        BitSet outer = new BitSet();
        outer.set(0, slots);
        outer.andNot(scope.own);
        BitSet bound = (BitSet) outer.clone();
        for (Var v : declaredVars) {
          bound.set(scope.lookup(v.name()));
        }
        Set<String> headUses = new LinkedHashSet<>();
        for (Term t : extraUsed) {
          collectVars(t, headUses);
        }
        pendingHeadUses = headUses;
        Ir.Body body = body(b, bound);
        comprehensionLocals.put(owner, (BitSet) scope.own.clone());
        return body;
      } finally {
        scope = saved;
      }
    }

    Ir.E expr(Expr e) {
      List<Ir.With> withs = new ArrayList<>();
      for (With w : e.with()) {
        withs.add(with(w));
      }
      List<Ir.With> outerWiths = currentWiths;
      currentWiths = withs;
      Ir.E out;
      try {
        out = exprKind(e);
        if (e.negated()) {
          // opa lifts nested calls before its safety check and the other terms after it
          out = liftNegated(out, true);
          negatedVars.add(new NegatedVars(Safety.allSlotsOf(out, comprehensionLocals), e.location()));
          List<Ir.E> before = hoisted;
          hoisted = new ArrayList<>();
          out = liftNegated(out, false);
          liftedFromNegation.addAll(hoisted);
          before.addAll(hoisted);
          hoisted = before;
        }
      } finally {
        currentWiths = outerWiths;
      }
      if (e.negated()) {
        out = new Ir.Not(out, e.location());
      }
      if (!withs.isEmpty()) {
        out = new Ir.WithE(out, withs, e.location());
      }
      return out;
    }

    /** The modifiers of the expression being compiled (hoisted expressions run under them too). */
    private List<Ir.With> currentWiths = List.of();

    /**
     * Lifts sub-terms out of a negated expression, into expressions run before the negation,
     * exactly where OPA's compiler does (its RewriteExprTerms, RewriteEquals and
     * RewriteDynamicTerms stages): an undefined lifted term makes the body fail instead of the
     * negation succeed, and a lifted term that iterates runs the negation once per value.
     * First every nested call, and a reference's composite or call head, anywhere in the
     * operands; then each argument of a call (a reference whole, after its own operands), or,
     * for {@code =} and {@code ==}, only the operands of references and the elements of
     * collections. Comprehensions are lifted whole except as a side of an equality.
     */
    private Ir.E liftNegated(Ir.E inner, boolean calls) {
      if (inner instanceof Ir.TermE t) {
        Location at = t.location();
        return new Ir.TermE(calls ? liftCalls(t.term(), at) : liftInTerm(t.term(), at), at);
      }
      if (inner instanceof Ir.Unify u) {
        Location at = u.location();
        return calls ? new Ir.Unify(liftCalls(u.left(), at), liftCalls(u.right(), at), at)
            : new Ir.Unify(liftInTerm(u.left(), at), liftInTerm(u.right(), at), at);
      }
      if (inner instanceof Ir.CallE c) {
        Location at = c.location();
        Ir.T[] args = c.args().clone();
        Ir.T out = c.out();
        boolean equality = c.callee() instanceof Ir.BuiltinCallee b && b.name().equals("equal") && out == null
            && args.length == 2;
        for (int i = 0; i < args.length; i++) {
          args[i] = calls ? liftCalls(args[i], at) : equality ? liftInTerm(args[i], at) : liftOne(args[i], at);
        }
        if (out != null) {
          out = calls ? liftCalls(out, at) : liftOne(out, at);
        }
        return new Ir.CallE(c.callee(), args, out, at);
      }
      if (calls && inner instanceof Ir.Every ev && !(ev.domain() instanceof Ir.Local)
          && !(ev.domain() instanceof Ir.Const)) {
        return new Ir.Every(ev.key(), ev.value(), hoist(liftCalls(ev.domain(), ev.location()), ev.location()),
            ev.body(), ev.location());
      }
      return inner;
    }

    /** OPA's RewriteExprTerms: nested calls, and composite or call heads of references, become locals. */
    private Ir.T liftCalls(Ir.T t, Location at) {
      if (t instanceof Ir.CallT c) {
        Ir.T[] args = c.args().clone();
        for (int i = 0; i < args.length; i++) {
          args[i] = liftCalls(args[i], at);
        }
        return hoist(new Ir.CallT(c.callee(), args, c.location()), at);
      }
      if (t instanceof Ir.Ref r) {
        Ir.T head = r.head() == null ? null : liftCalls(r.head(), at);
        Ir.T[] ops = r.ops().clone();
        for (int i = 0; i < ops.length; i++) {
          ops[i] = liftCalls(ops[i], at);
        }
        if (head instanceof Ir.Arr || head instanceof Ir.Obj || head instanceof Ir.SetT
            || head instanceof Ir.ArrCompr || head instanceof Ir.SetCompr || head instanceof Ir.ObjCompr) {
          head = hoist(head, at);
        }
        return new Ir.Ref(r.root(), head, ops, r.location());
      }
      if (t instanceof Ir.Arr a) {
        return new Ir.Arr(liftEach(a.elems(), at, true));
      }
      if (t instanceof Ir.SetT s) {
        return new Ir.SetT(liftEach(s.elems(), at, true));
      }
      if (t instanceof Ir.Obj o) {
        return new Ir.Obj(liftEach(o.keys(), at, true), liftEach(o.values(), at, true));
      }
      return t;
    }

    /** OPA's rewriteDynamicsInTerm: a reference keeps its place (its operands are lifted). */
    private Ir.T liftInTerm(Ir.T t, Location at) {
      if (t instanceof Ir.Ref r) {
        return new Ir.Ref(r.root(), r.head(), liftEach(r.ops(), at, false), r.location());
      }
      if (t instanceof Ir.ArrCompr || t instanceof Ir.SetCompr || t instanceof Ir.ObjCompr) {
        return t;
      }
      return liftOne(t, at);
    }

    /** OPA's rewriteDynamicsOne: references and comprehensions become locals, collections per element. */
    private Ir.T liftOne(Ir.T t, Location at) {
      if (t instanceof Ir.Ref r) {
        return hoist(new Ir.Ref(r.root(), r.head(), liftEach(r.ops(), at, false), r.location()), at);
      }
      if (t instanceof Ir.ArrCompr || t instanceof Ir.SetCompr || t instanceof Ir.ObjCompr) {
        return hoist(t, at);
      }
      if (t instanceof Ir.Arr a) {
        return new Ir.Arr(liftEach(a.elems(), at, false));
      }
      if (t instanceof Ir.SetT s) {
        return new Ir.SetT(liftEach(s.elems(), at, false));
      }
      if (t instanceof Ir.Obj o) {
        return new Ir.Obj(liftEach(o.keys(), at, false), liftEach(o.values(), at, false));
      }
      return t;
    }

    private Ir.T[] liftEach(Ir.T[] ts, Location at, boolean calls) {
      Ir.T[] out = ts.clone();
      for (int i = 0; i < out.length; i++) {
        out[i] = calls ? liftCalls(out[i], at) : liftOne(out[i], at);
      }
      return out;
    }

    private Ir.With with(With w) {
      Term target = w.target();
      Ir.T value = null;
      Ir.Callee mock = null;
      Term v = w.value();
      String mockName = functionName(v);
      if (mockName != null) {
        mock = resolveCallee(v instanceof Ref r ? r : new Ref(List.of(v), v.location()), false);
      }
      if (mock == null) {
        value = term(v);
      }
      Ref ref = target instanceof Ref r ? r : new Ref(List.of(target), target.location());
      if (ref.head() instanceof Var head) {
        if (head.name().equals("input") && scope.lookup("input") == null) {
          return new Ir.With(Ir.WithTarget.INPUT, stringPath(ref, 1), null, value, mock);
        }
        if (head.name().equals("data") && scope.lookup("data") == null) {
          List<String> path = stringPath(ref, 1);
          // functionNodes knows every function of every module before any body is compiled; the
          // tree's nodes only once their own module has been (a test file may load first)
          if (functionNodes.containsKey(path)) {
            return new Ir.With(Ir.WithTarget.FUNCTION, path, "data." + String.join(".", path), value, mock);
          }
          return new Ir.With(Ir.WithTarget.DATA, path, null, value, mock);
        }
      }
      Ir.Callee callee = resolveCallee(ref, false);
      if (callee == null) {
        // A rule or import in this package used as a target: replace that document.
        Ir.T t = term(target);
        if (t instanceof Ir.Ref r && r.root() == Ir.Root.DATA) {
          List<String> path = new ArrayList<>();
          for (Ir.T op : r.ops()) {
            if (op instanceof Ir.Const c && c.value() instanceof StringValue s) {
              path.add(s.value());
            }
          }
          return new Ir.With(Ir.WithTarget.DATA, path, null, value, mock);
        }
        if (t instanceof Ir.Ref r && r.root() == Ir.Root.INPUT) {
          List<String> path = new ArrayList<>();
          for (Ir.T op : r.ops()) {
            if (op instanceof Ir.Const c && c.value() instanceof StringValue s) {
              path.add(s.value());
            }
          }
          return new Ir.With(Ir.WithTarget.INPUT, path, null, value, mock);
        }
        // opa's type checker reports this, at the target
        throw fail("rego_type_error", "with keyword target must reference existing input, data, or a function",
            w.target().location() != null ? w.target().location() : w.location());
      }
      List<String> path = callee instanceof Ir.FunctionCallee f ? f.path() : List.of();
      return new Ir.With(Ir.WithTarget.FUNCTION, path, callee.name(), value, mock);
    }

    /** The dotted name if the term names a function or builtin, else null. */
    private String functionName(Term v) {
      if (v instanceof Var var) {
        if (scope.lookup(var.name()) != null) {
          return null;
        }
        Set<String> names = ruleNames.get(info.pkg);
        if (names != null && names.contains(var.name())) {
          List<String> path = new ArrayList<>(info.pkg);
          path.add(var.name());
          return functionNodes.containsKey(path) ? var.name() : null;
        }
        return builtins.get(var.name()) != null ? var.name() : null;
      }
      if (v instanceof Ref r && r.head() instanceof Var head && scope.lookup(head.name()) == null) {
        Ir.Callee c = resolveCallee(r, false);
        return c == null ? null : c.name();
      }
      return null;
    }

    private Ir.E exprKind(Expr e) {
      Expr.Kind k = e.kind();
      if (k instanceof Expr.TermExpr te) {
        return new Ir.TermE(term(te.term()), e.location());
      }
      if (k instanceof Expr.CallExpr ce) {
        Call call = ce.call();
        String op = call.name();
        if (op.equals("assign")) {
          Ir.T right = term(call.args().get(1));
          declareHere(call.args().get(0));
          return new Ir.Unify(term(call.args().get(0)), right, e.location());
        }
        if (op.equals("eq")) {
          return new Ir.Unify(term(call.args().get(0)), term(call.args().get(1)), e.location());
        }
        Ir.Const meta = metadataCall(call, 1);
        if (meta != null) {
          return call.args().isEmpty() ? new Ir.TermE(meta, e.location())
              : new Ir.Unify(term(call.args().get(0)), meta, e.location());
        }
        Ir.T ruleRef = zeroArgRuleCall(call);
        if (ruleRef != null) {
          return new Ir.TermE(ruleRef, e.location());
        }
        Ir.Callee callee = resolveCallee(call.operator(), true);
        int arity = arity(callee);
        List<Term> args = call.args();
        Ir.T out = null;
        int n = args.size();
        if (arity >= 0 && n == arity + 1) {
          out = term(args.get(n - 1));
          n--;
        } else if (arity >= 0 && n != arity) {
          throw arityError(callee, arity, n, e.location());
        }
        Ir.T[] irArgs = new Ir.T[n];
        for (int i = 0; i < n; i++) {
          irArgs[i] = term(args.get(i));
        }
        if (!e.negated() && e.with().isEmpty()) {
          hoistBindingRefs(irArgs, e.location());
        }
        return new Ir.CallE(callee, irArgs, out, e.location());
      }
      if (k instanceof Expr.SomeDecl sd) {
        if (sd.symbols().size() == 1 && sd.symbols().get(0) instanceof Call member) {
          List<Term> a = member.args();
          Ir.T domain = term(a.get(a.size() - 1));
          for (int i = 0; i < a.size() - 1; i++) {
            declareHere(a.get(i));
          }
          if (a.size() == 2) {
            return new Ir.SomeIn(null, term(a.get(0)), domain, e.location());
          }
          return new Ir.SomeIn(term(a.get(0)), term(a.get(1)), domain, e.location());
        }
        for (Term sym : sd.symbols()) {
          declareHere(sym);
          if (sym instanceof Var v && !bodyUses.contains(v.name())) {
            closureOnly.add(scope.lookup(v.name()));
          }
        }
        return new Ir.Nop(e.location());
      }
      if (k instanceof Expr.NotBody nb) {
        Object owner = new Object();
        Ir.NotBody out = new Ir.NotBody(nestedBody(nb.body(), owner, List.of(), List.of()), e.location());
        comprehensionLocals.put(out, comprehensionLocals.remove(owner));
        return out;
      }
      if (k instanceof Expr.Logical l) {
        Object lhsOwner = new Object();
        Object rhsOwner = new Object();
        Ir.Body lhs = nestedBody(l.lhs(), lhsOwner, List.of(), List.of());
        Ir.Body rhs = nestedBody(l.rhs(), rhsOwner, List.of(), List.of());
        Ir.Logical out = new Ir.Logical(l.and(), lhs, rhs, e.location());
        BitSet locals = comprehensionLocals.remove(lhsOwner);
        locals.or(comprehensionLocals.remove(rhsOwner));
        comprehensionLocals.put(out, locals);
        return out;
      }
      Expr.Every ev = (Expr.Every) k;
      Ir.T domain = term(ev.domain());
      Object owner = new Object();
      List<Var> decls = new ArrayList<>();
      if (ev.key() != null) {
        decls.add(ev.key());
      }
      decls.add(ev.value());
      Scope saved = scope;
      Ir.Body[] bodyHolder = new Ir.Body[1];
      Ir.Local[] kv = new Ir.Local[2];
      // every's variables are local to its body
      scope = new Scope(saved);
      try {
        if (ev.key() != null) {
          int ks = newSlot(scope, ev.key().name());
          slotNames.put(ks, ev.key().name());
          kv[0] = new Ir.Local(ks, ev.key().name());
        }
        int vs = newSlot(scope, ev.value().name());
        slotNames.put(vs, ev.value().name());
        kv[1] = new Ir.Local(vs, ev.value().name());
        Scope everyScope = scope;
        bodyHolder[0] = nestedBody(ev.body(), owner, List.of(), List.of());
        BitSet locals = comprehensionLocals.get(owner);
        locals.or(everyScope.own);
      } finally {
        scope = saved;
      }
      Ir.Every every = new Ir.Every(kv[0], kv[1], domain, bodyHolder[0], e.location());
      comprehensionLocals.put(every, comprehensionLocals.remove(owner));
      return every;
    }

    /** rego.metadata.chain() / rule() as the constant they are for this rule; null for other calls. */
    private Ir.Const metadataCall(Call c, int maxArgs) {
      String name = c.name();
      if (!(name.equals("rego.metadata.chain") || name.equals("rego.metadata.rule")) || c.args().size() > maxArgs
          || scope.lookup("rego") != null) {
        return null;
      }
      if (annotated == null || info.module == null) {
        return new Ir.Const(name.endsWith("chain") ? ArrayValue.EMPTY : ObjectValue.EMPTY);
      }
      return new Ir.Const(name.endsWith("chain") ? metadata.chain(info.pkg, annotated) : metadata.rule(annotated));
    }

    private RuntimeException arityError(Ir.Callee callee, int arity, int got, Location at) {
      return fail("rego_type_error", callee.name() + ": " + (got > arity ? "too many arguments" : "too few arguments"),
          at);
    }

    private int arity(Ir.Callee c) {
      if (c instanceof Ir.BuiltinCallee b) {
        if (b.builtin().decl().variadic() != null) {
          return -1;
        }
        return b.builtin().decl().args().size();
      }
      Integer known = functionArity.get(((Ir.FunctionCallee) c).path());
      if (known != null) {
        return known;
      }
      RuleTree.Node n = (adopted != null ? adopted : tree).find(((Ir.FunctionCallee) c).path());
      if (n != null) {
        for (Ir.Rule r : n.rules) {
          return r.args().length;
        }
        if (n.defaultRule != null) {
          return n.defaultRule.args().length;
        }
      }
      return -1;
    }

    /**
     * {@code f()} where f is a rule, not a function: OPA evaluates the call to the rule's value,
     * and its type checker accepts it only while the rule's type is unknown (it depends on
     * input or data); {@link TypeCheck#zeroArgCalls} reports the others. Null for other calls.
     */
    private Ir.T zeroArgRuleCall(Call c) {
      if (!c.args().isEmpty() || resolveCallee(c.operator(), false) != null) {
        return null;
      }
      List<String> path = globalPath(c.operator());
      if (path == null || functionNodes.containsKey(path) || (adopted != null ? adopted : tree).find(path) == null) {
        return null;
      }
      zeroArgCalls.add(new ZeroArgCall(List.copyOf(path), c.location()));
      return term(c.operator());
    }

    /** The data path a reference to a rule, import or data names; null for locals and builtins. */
    private List<String> globalPath(Ref op) {
      if (!(op.head() instanceof Var head) || scope.lookup(head.name()) != null) {
        return null;
      }
      String name = head.name();
      if (name.equals("data")) {
        return stringPath(op, 1);
      }
      if (info.imports.containsKey(name) && info.imports.get(name).root() == Ir.Root.DATA) {
        List<String> path = new ArrayList<>(info.imports.get(name).path());
        path.addAll(stringPath(op, 1));
        return path;
      }
      Set<String> names = ruleNames.get(info.pkg);
      if (names != null && names.contains(name)) {
        List<String> path = new ArrayList<>(info.pkg);
        path.add(name);
        path.addAll(stringPath(op, 1));
        return path;
      }
      return null;
    }

    /** Resolves a call operator to a builtin or a user function; throws if unknown and required. */
    Ir.Callee resolveCallee(Ref op, boolean required) {
      String dotted = op.toDottedName();
      if (op.head() instanceof Var head && scope.lookup(head.name()) == null) {
        List<String> path = null;
        String name = head.name();
        if (name.equals("data")) {
          path = stringPath(op, 1);
        } else if (info.imports.containsKey(name) && info.imports.get(name).root() == Ir.Root.DATA) {
          path = new ArrayList<>(info.imports.get(name).path());
          path.addAll(stringPath(op, 1));
        } else {
          Set<String> names = ruleNames.get(info.pkg);
          if (names != null && names.contains(name)) {
            path = new ArrayList<>(info.pkg);
            path.add(name);
            path.addAll(stringPath(op, 1));
          }
        }
        if (path != null && functionNodes.containsKey(path)) {
          return new Ir.FunctionCallee(List.copyOf(path), "data." + String.join(".", path));
        }
        Builtin b = builtins.get(dotted);
        if (b != null) {
          if (b.deprecated() && info.module != null && info.module.regoVersion() == RegoVersion.V1) {
            // v1 has no deprecated builtins; v0 modules may still call them
            throw fail("rego_type_error", "deprecated built-in function calls in expression: " + dotted, op.location());
          }
          return new Ir.BuiltinCallee(b, dotted);
        }
      }
      if (required) {
        // as opa: one error per call, and the rest of the rule is still checked
        undefinedCalls.add(new RegoError("rego_type_error", "undefined function " + dotted, op.location()));
        return new Ir.FunctionCallee(List.of("$undefined", dotted), dotted);
      }
      return null;
    }

    // ---- terms

    Ir.T term(Term t) {
      Ir.T override = headOverrides.get(t);
      if (override != null) {
        return override;
      }
      if (t instanceof Scalar s) {
        return new Ir.Const(s.value());
      }
      if (t instanceof Var v) {
        return var(v);
      }
      if (t instanceof Ref r) {
        return ref(r);
      }
      if (t instanceof ArrayTerm a) {
        Ir.T[] elems = terms(a.elements());
        return allConst(elems) ? new Ir.Const(ArrayValue.wrap(constValues(elems))) : new Ir.Arr(elems);
      }
      if (t instanceof SetTerm s) {
        Ir.T[] elems = terms(s.elements());
        return allConst(elems) ? new Ir.Const(SetValue.of(constValues(elems))) : new Ir.SetT(elems);
      }
      if (t instanceof ObjectTerm o) {
        Ir.T[] keys = new Ir.T[o.entries().size()];
        Ir.T[] values = new Ir.T[keys.length];
        for (int i = 0; i < keys.length; i++) {
          keys[i] = term(o.entries().get(i).key());
          values[i] = term(o.entries().get(i).value());
        }
        if (allConst(keys) && allConst(values)) {
          ObjectValue.Builder b = ObjectValue.builder();
          for (int i = 0; i < keys.length; i++) {
            b.put(((Ir.Const) keys[i]).value(), ((Ir.Const) values[i]).value());
          }
          return new Ir.Const(b.build());
        }
        return new Ir.Obj(keys, values);
      }
      if (t instanceof ArrayCompr c) {
        Object owner = new Object();
        Ir.T[] head = new Ir.T[1];
        Ir.Body body = comprehension(c.body(), owner, List.of(c.head()), () -> head[0] = term(c.head()));
        Ir.ArrCompr out = new Ir.ArrCompr(head[0], body);
        comprehensionLocals.put(out, comprehensionLocals.remove(owner));
        return out;
      }
      if (t instanceof SetCompr c) {
        Object owner = new Object();
        Ir.T[] head = new Ir.T[1];
        Ir.Body body = comprehension(c.body(), owner, List.of(c.head()), () -> head[0] = term(c.head()));
        Ir.SetCompr out = new Ir.SetCompr(head[0], body);
        comprehensionLocals.put(out, comprehensionLocals.remove(owner));
        return out;
      }
      if (t instanceof ObjectCompr c) {
        Object owner = new Object();
        Ir.T[] kv = new Ir.T[2];
        Ir.Body body = comprehension(c.body(), owner, List.of(c.key(), c.value()), () -> {
          kv[0] = term(c.key());
          kv[1] = term(c.value());
        });
        Ir.ObjCompr out = new Ir.ObjCompr(kv[0], kv[1], body, c.location());
        comprehensionLocals.put(out, comprehensionLocals.remove(owner));
        return out;
      }
      if (t instanceof Call c) {
        Ir.Const meta = metadataCall(c, 0);
        if (meta != null) {
          return meta;
        }
        Ir.T ruleRef = zeroArgRuleCall(c);
        if (ruleRef != null) {
          return ruleRef;
        }
        Ir.Callee callee = resolveCallee(c.operator(), true);
        int arity = arity(callee);
        if (arity >= 0 && c.args().size() != arity) {
          throw arityError(callee, arity, c.args().size(), c.location());
        }
        return new Ir.CallT(callee, terms(c.args()), c.location());
      }
      TemplateString ts = (TemplateString) t;
      Ir.T[] parts = terms(ts.parts());
      for (int i = 0; i < parts.length; i++) {
        if (!ts.modifiers().get(i).isEmpty()) {
          List<Ir.With> withs = new ArrayList<>();
          for (With w : ts.modifiers().get(i)) {
            withs.add(with(w));
          }
          parts[i] = new Ir.Modified(parts[i], withs);
        }
      }
      return new Ir.Template(parts);
    }

    private Ir.Body comprehension(Body body, Object owner, List<Term> headTerms, Runnable compileHead) {
      Scope saved = scope;
      scope = new Scope(saved);
      try {
        Set<String> used = new LinkedHashSet<>();
        Set<String> declared = new LinkedHashSet<>();
        collectBodyVars(body, used, declared);
        for (Term h : headTerms) {
          collectVars(h, used);
        }
        declareAll(scope, used, declared);
        BitSet bound = new BitSet();
        bound.set(0, slots);
        bound.andNot(scope.own);
        // opa's RewriteComprehensionTerms: a head that needs evaluation (a reference or a
        // comprehension in it) becomes `$h = head` at the end of the body, so a reference in
        // the head can bind variables the body reads
        List<Ir.E> extra = new ArrayList<>();
        for (Term h : headTerms) {
          if (requiresEval(h)) {
            headOverrides.put(h, liftHeadTerms(term(h), extra, h.location()));
          }
        }
        Set<String> headUses = new LinkedHashSet<>();
        for (Term h : headTerms) {
          collectVars(h, headUses);
        }
        pendingHeadUses = headUses;
        Ir.Body b = body(body, bound, extra);
        compileHead.run();
        BitSet after = Safety.boundAfter(b, bound, comprehensionLocals);
        for (Term h : headTerms) {
          // head variables must be bound by the body
          BitSet need = Safety.allSlots(term(h), comprehensionLocals);
          need.andNot(after);
          if (!need.isEmpty()) {
            throw fail("rego_unsafe_var_error", "var " + nameOf(need.nextSetBit(0)) + " is unsafe", h.location());
          }
        }
        comprehensionLocals.put(owner, (BitSet) scope.own.clone());
        return b;
      } finally {
        scope = saved;
        headTerms.forEach(headOverrides::remove);
      }
    }

    /**
     * The references, calls and comprehensions of a comprehension head become locals bound by
     * expressions of the body ({@code $h = o[k]}); collections keep their shape around them.
     */
    private Ir.T liftHeadTerms(Ir.T t, List<Ir.E> extra, Location at) {
      if (t instanceof Ir.Ref || t instanceof Ir.CallT || t instanceof Ir.ArrCompr || t instanceof Ir.SetCompr
          || t instanceof Ir.ObjCompr) {
        String name = "$h" + slots;
        Ir.Local tmp = new Ir.Local(newSlot(scope, name), name);
        extra.add(new Ir.Unify(tmp, t, at));
        return tmp;
      }
      if (t instanceof Ir.Arr a) {
        Ir.T[] elems = a.elems().clone();
        for (int i = 0; i < elems.length; i++) {
          elems[i] = liftHeadTerms(elems[i], extra, at);
        }
        return new Ir.Arr(elems);
      }
      if (t instanceof Ir.SetT st) {
        Ir.T[] elems = st.elems().clone();
        for (int i = 0; i < elems.length; i++) {
          elems[i] = liftHeadTerms(elems[i], extra, at);
        }
        return new Ir.SetT(elems);
      }
      if (t instanceof Ir.Obj o) {
        Ir.T[] keys = o.keys().clone();
        Ir.T[] values = o.values().clone();
        for (int i = 0; i < keys.length; i++) {
          keys[i] = liftHeadTerms(keys[i], extra, at);
          values[i] = liftHeadTerms(values[i], extra, at);
        }
        return new Ir.Obj(keys, values);
      }
      return t;
    }

    /** Comprehension head terms already compiled into their body (see comprehension()). */
    private final Map<Term, Ir.T> headOverrides = new IdentityHashMap<>();

    private static boolean requiresEval(Term t) {
      if (t instanceof Ref || t instanceof ArrayCompr || t instanceof SetCompr || t instanceof ObjectCompr) {
        return true;
      }
      if (t instanceof ArrayTerm a) {
        return a.elements().stream().anyMatch(RuleCompiler::requiresEval);
      }
      if (t instanceof SetTerm st) {
        return st.elements().stream().anyMatch(RuleCompiler::requiresEval);
      }
      if (t instanceof ObjectTerm o) {
        return o.entries().stream().anyMatch(e -> requiresEval(e.key()) || requiresEval(e.value()));
      }
      return t instanceof Call; // its operator is a reference
    }

    private Ir.T[] terms(List<Term> ts) {
      Ir.T[] out = new Ir.T[ts.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = term(ts.get(i));
      }
      return out;
    }

    private boolean allConst(Ir.T[] ts) {
      for (Ir.T t : ts) {
        if (!(t instanceof Ir.Const)) {
          return false;
        }
      }
      return true;
    }

    private Value[] constValues(Ir.T[] ts) {
      Value[] out = new Value[ts.length];
      for (int i = 0; i < ts.length; i++) {
        out[i] = ((Ir.Const) ts[i]).value();
      }
      return out;
    }

    private Ir.T var(Var v) {
      Integer slot = scope.lookup(v.name());
      if (slot != null) {
        return new Ir.Local(slot, v.name());
      }
      Global g = global(v.name());
      if (g != null) {
        return globalRef(g, List.of(), v.location());
      }
      int s = newSlot(scope, v.name());
      slotNames.put(s, v.name());
      return new Ir.Local(s, v.name());
    }

    private Global global(String name) {
      if (name.equals("input")) {
        return new Global(Ir.Root.INPUT, List.of());
      }
      if (name.equals("data")) {
        return new Global(Ir.Root.DATA, List.of());
      }
      Global imp = info.imports.get(name);
      if (imp != null) {
        return imp;
      }
      Set<String> names = ruleNames.get(info.pkg);
      if (names != null && names.contains(name)) {
        List<String> path = new ArrayList<>(info.pkg);
        path.add(name);
        return new Global(Ir.Root.DATA, path);
      }
      return null;
    }

    private Ir.T globalRef(Global g, List<Ir.T> more, Location at) {
      Ir.T[] ops = new Ir.T[g.path().size() + more.size()];
      int i = 0;
      for (String s : g.path()) {
        ops[i++] = new Ir.Const(StringValue.of(s));
      }
      for (Ir.T m : more) {
        ops[i++] = m;
      }
      return new Ir.Ref(g.root(), null, ops, at);
    }

    private Ir.T ref(Ref r) {
      List<Ir.T> ops = new ArrayList<>();
      for (int i = 1; i < r.size(); i++) {
        ops.add(term(r.get(i)));
      }
      Term head = r.head();
      if (head instanceof Var v && scope.lookup(v.name()) == null) {
        Global g = global(v.name());
        if (g != null) {
          return globalRef(g, ops, r.location());
        }
      }
      Ir.T h = term(head);
      if (h instanceof Ir.Ref inner) {
        Ir.T[] merged = new Ir.T[inner.ops().length + ops.size()];
        System.arraycopy(inner.ops(), 0, merged, 0, inner.ops().length);
        for (int i = 0; i < ops.size(); i++) {
          merged[inner.ops().length + i] = ops.get(i);
        }
        return new Ir.Ref(inner.root(), inner.head(), merged, r.location());
      }
      return new Ir.Ref(Ir.Root.TERM, h, ops.toArray(new Ir.T[0]), r.location());
    }
  }

  /** A scope that remembers declaration order, for reporting query bindings in order. */
  private static final class OrderedScope extends Scope {
    private final Map<String, Integer> ordered = new LinkedHashMap<>();

    OrderedScope(Scope parent) {
      super(parent);
    }

    @Override
    void declare(String name, int slot) {
      super.declare(name, slot);
      ordered.put(name, slot);
    }

    Map<String, Integer> namesInOrder() {
      return ordered;
    }
  }

  // ---- variable collection on the AST

  /** Variables used at this body's level (not inside nested comprehensions or every bodies). */
  static void collectBodyVars(Body b, Set<String> used, Set<String> declared) {
    for (Expr e : b.exprs()) {
      Expr.Kind k = e.kind();
      if (k instanceof Expr.TermExpr te) {
        collectVars(te.term(), used);
      } else if (k instanceof Expr.CallExpr ce) {
        Call c = ce.call();
        if (c.name().equals("assign")) {
          collectVars(c.args().get(0), declared);
        }
        for (Term a : c.args()) {
          collectVars(a, used);
        }
      } else if (k instanceof Expr.SomeDecl sd) {
        for (Term s : sd.symbols()) {
          if (s instanceof Var v) {
            declared.add(v.name());
          } else if (s instanceof Call member) {
            List<Term> a = member.args();
            for (int i = 0; i < a.size() - 1; i++) {
              collectVars(a.get(i), declared);
            }
            collectVars(a.get(a.size() - 1), used);
          }
        }
      } else if (k instanceof Expr.Every ev) {
        collectVars(ev.domain(), used);
      }
      for (With w : e.with()) {
        if (!(w.value() instanceof Var) && !(w.value() instanceof Ref)) {
          collectVars(w.value(), used);
        }
      }
    }
  }

  /** Variables a term binds when used as a pattern: bare, array elements, object values. */
  static void collectPatternVars(Term t, Set<String> out) {
    if (t instanceof Var v) {
      out.add(v.name());
    } else if (t instanceof ArrayTerm a) {
      for (Term x : a.elements()) {
        collectPatternVars(x, out);
      }
    } else if (t instanceof ObjectTerm o) {
      for (ObjectTerm.Entry e : o.entries()) {
        collectPatternVars(e.value(), out);
      }
    }
  }

  static void collectVars(Term t, Set<String> out) {
    if (t instanceof Var v) {
      out.add(v.name());
    } else if (t instanceof Ref r) {
      for (Term x : r.terms()) {
        collectVars(x, out);
      }
    } else if (t instanceof ArrayTerm a) {
      for (Term x : a.elements()) {
        collectVars(x, out);
      }
    } else if (t instanceof SetTerm s) {
      for (Term x : s.elements()) {
        collectVars(x, out);
      }
    } else if (t instanceof ObjectTerm o) {
      for (ObjectTerm.Entry e : o.entries()) {
        collectVars(e.key(), out);
        collectVars(e.value(), out);
      }
    } else if (t instanceof Call c) {
      for (Term x : c.args()) {
        collectVars(x, out);
      }
    } else if (t instanceof TemplateString ts) {
      for (Term x : ts.parts()) {
        collectVars(x, out);
      }
    }
  }
}
