package dev.gatehouse.engine.compile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The virtual document tree: one node per data path segment that holds rules (at the node or
 * below). Rules sit at the node named by the ground prefix of their head reference.
 */
public final class RuleTree {
  /** A node; mutable only while the compiler builds it. */
  public static final class Node {
    // name and children are read by the evaluator, which walks the tree; only the compiler adds
    // children (the evaluator treats the map as read-only)
    public final String name;
    final List<String> path;
    public final Map<String, Node> children = new LinkedHashMap<>();
    final List<Ir.Rule> rules = new ArrayList<>();
    Ir.Rule defaultRule;
    /** True when some module declares this package: it is an object even without rules. */
    boolean pkg;

    Node(String name, List<String> path) {
      this.name = name;
      this.path = path;
    }

    public Node child(String key) {
      return children.get(key);
    }

    public boolean hasRules() {
      return !rules.isEmpty() || defaultRule != null;
    }

    public List<Ir.Rule> rules() {
      return rules;
    }

    public Ir.Rule defaultRule() {
      return defaultRule;
    }

    public List<String> path() {
      return path;
    }

    public boolean isFunction() {
      for (Ir.Rule r : rules) {
        if (r.kind() == Ir.RuleKind.FUNCTION) {
          return true;
        }
      }
      return defaultRule != null && defaultRule.kind() == Ir.RuleKind.FUNCTION;
    }

    public boolean isPackage() {
      return pkg;
    }

    /** True when this node or one below it holds rules or is a declared package. */
    public boolean isDefinedBelow() {
      if (pkg || hasRules()) {
        return true;
      }
      for (Node c : children.values()) {
        if (c.isDefinedBelow()) {
          return true;
        }
      }
      return false;
    }

    /** True when a node strictly below this one holds rules. */
    public boolean hasRuleDescendants() {
      for (Node c : children.values()) {
        if (c.hasRulesBelow()) {
          return true;
        }
      }
      return false;
    }

    /** True when this node or any below it holds rules. */
    public boolean hasRulesBelow() {
      if (hasRules()) {
        return true;
      }
      for (Node c : children.values()) {
        if (c.hasRulesBelow()) {
          return true;
        }
      }
      return false;
    }
  }

  final Node root = new Node("data", List.of());

  public Node root() {
    return root;
  }

  Node ensure(List<String> path) {
    Node n = root;
    for (int i = 0; i < path.size(); i++) {
      String seg = path.get(i);
      Node c = n.children.get(seg);
      if (c == null) {
        c = new Node(seg, List.copyOf(path.subList(0, i + 1)));
        n.children.put(seg, c);
      }
      n = c;
    }
    return n;
  }

  /** The node at path, or null. */
  public Node find(List<String> path) {
    Node n = root;
    for (String seg : path) {
      n = n.children.get(seg);
      if (n == null) {
        return null;
      }
    }
    return n;
  }
}
