package dev.gatehouse.engine.builtins.graphql.validate;

import dev.gatehouse.engine.builtins.graphql.ast.Argument;
import dev.gatehouse.engine.builtins.graphql.ast.ChildValue;
import dev.gatehouse.engine.builtins.graphql.ast.Definition;
import dev.gatehouse.engine.builtins.graphql.ast.DefinitionKind;
import dev.gatehouse.engine.builtins.graphql.ast.Field;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.FragmentSpread;
import dev.gatehouse.engine.builtins.graphql.ast.InlineFragment;
import dev.gatehouse.engine.builtins.graphql.ast.OperationDefinition;
import dev.gatehouse.engine.builtins.graphql.ast.Position;
import dev.gatehouse.engine.builtins.graphql.ast.Selection;
import dev.gatehouse.engine.builtins.graphql.ast.TypeRef;
import dev.gatehouse.engine.builtins.graphql.ast.ValueKind;
import dev.gatehouse.engine.builtins.graphql.ast.ValueNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Fields that share a response name must be mergeable: the same field with the same arguments,
 * unless their parents are distinct object types, and never of conflicting types; sub-selections
 * are compared likewise. Fragments are compared with the fields around them and with each other
 * (each pair once), in the order gqlparser compares them, which fixes the order of the errors.
 */
final class OverlappingFieldsCanBeMerged implements Rule {
  /** Fragment pairs compared so far, with whether they were compared as mutually exclusive. */
  private final Map<String, Map<String, Boolean>> comparedPairs = new HashMap<>();
  /** Fragments already compared with the current field set; shared and reset as gqlparser's is. */
  private Set<String> comparedFragments = new HashSet<>();
  private Walker w;

  private record Conflict(String responseName, String message, List<Conflict> sub, Position position) {
    void describe(StringBuilder sb) {
      if (sub.isEmpty()) {
        sb.append(message);
        return;
      }
      for (int i = 0; i < sub.size(); i++) {
        Conflict c = sub.get(i);
        sb.append("subfields \"").append(c.responseName).append("\" conflict because ");
        c.describe(sb);
        if (i != sub.size() - 1) {
          sb.append(" and ");
        }
      }
    }
  }

  /** Fields by response name, names in first-seen order. */
  private static final class FieldMap {
    final LinkedHashMap<String, List<Field>> byName = new LinkedHashMap<>();

    void push(Field f) {
      byName.computeIfAbsent(f.responseName(), k -> new ArrayList<>()).add(f);
    }
  }

  private record Collected(FieldMap fields, List<FragmentSpread> spreads) {}

  @Override
  public void onOperation(Walker walker, OperationDefinition op) {
    report(walker, op.selectionSet());
  }

  @Override
  public void onField(Walker walker, Field field) {
    // fragments walked on their own would repeat what their spreads in operations reported
    if (walker.currentOperation() != null) {
      report(walker, field.selectionSet());
    }
  }

  @Override
  public void onInlineFragment(Walker walker, InlineFragment fragment) {
    report(walker, fragment.selectionSet());
  }

  @Override
  public void onFragment(Walker walker, dev.gatehouse.engine.builtins.graphql.ast.FragmentDefinition fragment) {
    report(walker, fragment.selectionSet());
  }

  private void report(Walker walker, List<Selection> selectionSet) {
    this.w = walker;
    for (Conflict c : conflictsWithin(selectionSet)) {
      StringBuilder sb = new StringBuilder();
      c.describe(sb);
      w.report("Fields \"" + c.responseName + "\" conflict because " + sb
          + ". Use different aliases on the fields to fetch both if this was intentional.", c.position);
    }
  }

  private List<Conflict> conflictsWithin(List<Selection> selectionSet) {
    List<Conflict> conflicts = new ArrayList<>();
    if (selectionSet.isEmpty()) {
      return conflicts;
    }
    Collected c = collect(selectionSet);
    for (List<Field> fields : c.fields.byName.values()) {
      if (allIdenticalLeaves(fields)) {
        continue; // no pair among identical leaf fields can conflict
      }
      for (int i = 0; i < fields.size(); i++) {
        for (int j = i + 1; j < fields.size(); j++) {
          addIfConflict(conflicts, findConflict(false, fields.get(i), fields.get(j)));
        }
      }
    }
    comparedFragments = new HashSet<>();
    for (int i = 0; i < c.spreads.size(); i++) {
      FragmentSpread a = c.spreads.get(i);
      betweenFieldsAndFragment(conflicts, false, c.fields, a);
      for (int j = i + 1; j < c.spreads.size(); j++) {
        betweenFragments(conflicts, false, a, c.spreads.get(j));
      }
    }
    return conflicts;
  }

  private static void addIfConflict(List<Conflict> conflicts, Conflict c) {
    if (c != null) {
      conflicts.add(c);
    }
  }

  /**
   * True when every field is a leaf with the same name, arguments, parent and definition: then
   * every pair compares clean, and skipping the pairs keeps repeated fields linear.
   */
  private boolean allIdenticalLeaves(List<Field> fields) {
    if (fields.size() < 3) {
      return false;
    }
    Field first = fields.get(0);
    Annotations.FieldInfo fi = w.notes.of(first);
    for (Field f : fields) {
      if (w.notes.of(f).objectDefinition != fi.objectDefinition) {
        return false;
      }
    }
    if (fi.objectDefinition == null) {
      return true; // findConflict ignores fields without a parent type
    }
    for (Field f : fields) {
      Annotations.FieldInfo info = w.notes.of(f);
      if (!f.selectionSet().isEmpty() || !f.name().equals(first.name()) || !sameDefinitionType(info, fi)
          || !sameArguments(f.arguments(), first.arguments()) || !sameArguments(first.arguments(), f.arguments())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameDefinitionType(Annotations.FieldInfo a, Annotations.FieldInfo b) {
    if (a.definition == null || b.definition == null) {
      return a.definition == null && b.definition == null;
    }
    return a.definition.type().equals(b.definition.type());
  }

  private void betweenFieldsAndFragment(List<Conflict> conflicts, boolean exclusive, FieldMap fields, FragmentSpread spread) {
    if (!comparedFragments.add(spread.name())) {
      return;
    }
    FragmentDefinition def = w.notes.of(spread).definition;
    if (def == null) {
      return;
    }
    Collected b = collect(def.selectionSet());
    if (sameFields(fields, b.fields)) {
      return; // a fragment's fields are not compared with themselves
    }
    w.enter();
    try {
      between(conflicts, exclusive, fields, b.fields);
      for (FragmentSpread nested : b.spreads) {
        if (!nested.name().equals(spread.name())) {
          betweenFieldsAndFragment(conflicts, exclusive, fields, nested);
        }
      }
    } finally {
      w.exit();
    }
  }

  private void betweenFragments(List<Conflict> conflicts, boolean exclusive, FragmentSpread a, FragmentSpread b) {
    if (a.name().equals(b.name()) || comparedPair(a.name(), b.name(), exclusive)) {
      return;
    }
    comparedPairs.computeIfAbsent(a.name(), k -> new HashMap<>()).put(b.name(), exclusive);
    comparedPairs.computeIfAbsent(b.name(), k -> new HashMap<>()).put(a.name(), exclusive);
    FragmentDefinition defA = w.notes.of(a).definition;
    FragmentDefinition defB = w.notes.of(b).definition;
    if (defA == null || defB == null) {
      return;
    }
    Collected ca = collect(defA.selectionSet());
    Collected cb = collect(defB.selectionSet());
    w.enter();
    try {
      between(conflicts, exclusive, ca.fields, cb.fields);
      for (FragmentSpread s : cb.spreads) {
        betweenFragments(conflicts, exclusive, a, s);
      }
      for (FragmentSpread s : ca.spreads) {
        betweenFragments(conflicts, exclusive, s, b);
      }
    } finally {
      w.exit();
    }
  }

  /** Compared as exclusive covers only exclusive comparisons; compared as not covers both. */
  private boolean comparedPair(String a, String b, boolean exclusive) {
    Map<String, Boolean> m = comparedPairs.get(a);
    if (m == null || !m.containsKey(b)) {
      return false;
    }
    return exclusive || !m.get(b);
  }

  private List<Conflict> betweenSubSelections(boolean exclusive, List<Selection> a, List<Selection> b) {
    List<Conflict> conflicts = new ArrayList<>();
    Collected ca = collect(a);
    Collected cb = collect(b);
    between(conflicts, exclusive, ca.fields, cb.fields);
    for (FragmentSpread s : cb.spreads) {
      comparedFragments = new HashSet<>();
      betweenFieldsAndFragment(conflicts, exclusive, ca.fields, s);
    }
    for (FragmentSpread s : ca.spreads) {
      comparedFragments = new HashSet<>();
      betweenFieldsAndFragment(conflicts, exclusive, cb.fields, s);
    }
    for (FragmentSpread sa : ca.spreads) {
      for (FragmentSpread sb : cb.spreads) {
        betweenFragments(conflicts, exclusive, sa, sb);
      }
    }
    return conflicts;
  }

  private void between(List<Conflict> conflicts, boolean exclusive, FieldMap a, FieldMap b) {
    for (Map.Entry<String, List<Field>> e : a.byName.entrySet()) {
      List<Field> others = b.byName.get(e.getKey());
      if (others == null) {
        continue;
      }
      for (Field fa : e.getValue()) {
        for (Field fb : others) {
          addIfConflict(conflicts, findConflict(exclusive, fa, fb));
        }
      }
    }
  }

  private Conflict findConflict(boolean parentsExclusive, Field a, Field b) {
    Annotations.FieldInfo ia = w.notes.of(a);
    Annotations.FieldInfo ib = w.notes.of(b);
    if (ia.objectDefinition == null || ib.objectDefinition == null) {
      return null;
    }
    boolean exclusive = parentsExclusive || (!ia.objectDefinition.name().equals(ib.objectDefinition.name())
        && ia.objectDefinition.kind().equals(DefinitionKind.OBJECT) && ib.objectDefinition.kind().equals(DefinitionKind.OBJECT)
        && ia.definition != null && ib.definition != null);
    String responseName = a.responseName();
    if (!exclusive) {
      if (!a.name().equals(b.name())) {
        return new Conflict(responseName, "\"" + a.name() + "\" and \"" + b.name() + "\" are different fields", List.of(),
            b.position());
      }
      if (!sameArguments(a.arguments(), b.arguments())) {
        return new Conflict(responseName, "they have differing arguments", List.of(), b.position());
      }
    }
    if (ia.definition != null && ib.definition != null && typesConflict(ia.definition.type(), ib.definition.type())) {
      return new Conflict(responseName, "they return conflicting types \"" + ia.definition.type() + "\" and \""
          + ib.definition.type() + "\"", List.of(), b.position());
    }
    w.enter();
    try {
      List<Conflict> sub = betweenSubSelections(exclusive, a.selectionSet(), b.selectionSet());
      return sub.isEmpty() ? null : new Conflict(responseName, null, sub, b.position());
    } finally {
      w.exit();
    }
  }

  /** Same number of arguments, each matched by name and value in the other list. */
  private static boolean sameArguments(List<Argument> a, List<Argument> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Argument x : a) {
      boolean matched = false;
      for (Argument y : b) {
        if (x.name().equals(y.name()) && sameValue(x.value(), y.value())) {
          matched = true;
          break;
        }
      }
      if (!matched) {
        return false;
      }
    }
    return true;
  }

  /** Equal kinds and text; object fields compared in name order, list elements in order. */
  private static boolean sameValue(ValueNode a, ValueNode b) {
    if (a.kindNumber() != b.kindNumber() || !a.raw().equals(b.raw()) || a.children().size() != b.children().size()) {
      return false;
    }
    List<ChildValue> ca = a.children();
    List<ChildValue> cb = b.children();
    if (a.kindNumber() == ValueKind.OBJECT.ordinal()) {
      ca = sortedByName(ca);
      cb = sortedByName(cb);
    }
    for (int i = 0; i < ca.size(); i++) {
      if (!ca.get(i).name().equals(cb.get(i).name()) || !sameValue(ca.get(i).value(), cb.get(i).value())) {
        return false;
      }
    }
    return true;
  }

  private static List<ChildValue> sortedByName(List<ChildValue> children) {
    List<ChildValue> sorted = new ArrayList<>(children);
    sorted.sort(Comparator.comparing(ChildValue::name, dev.gatehouse.engine.value.StringValue::compareCodePoints));
    return sorted;
  }

  private boolean typesConflict(TypeRef t1, TypeRef t2) {
    while (true) {
      if (t1.elem() != null) {
        if (t2.elem() == null) {
          return true;
        }
        t1 = t1.elem();
        t2 = t2.elem();
        continue;
      }
      if (t2.elem() != null || t1.nonNull() != t2.nonNull()) {
        return true;
      }
      Definition d1 = w.schema.type(t1.namedType());
      Definition d2 = w.schema.type(t2.namedType());
      if (d1 != null && d2 != null && d1.isLeafType() && d2.isLeafType()) {
        return !d1.name().equals(d2.name());
      }
      return false;
    }
  }

  private static Collected collect(List<Selection> selectionSet) {
    FieldMap fields = new FieldMap();
    List<FragmentSpread> spreads = new ArrayList<>();
    collectInto(selectionSet, fields, spreads);
    return new Collected(fields, spreads);
  }

  private static void collectInto(List<Selection> selections, FieldMap fields, List<FragmentSpread> spreads) {
    for (Selection s : selections) {
      if (s instanceof Field f) {
        fields.push(f);
      } else if (s instanceof InlineFragment inline) {
        collectInto(inline.selectionSet(), fields, spreads);
      } else if (s instanceof FragmentSpread spread) {
        spreads.add(spread);
      }
    }
  }

  /**
   * gqlparser compares the two field maps with reflect.DeepEqual: same response names in the same
   * order, and fields that are the same nodes or structurally equal (positions included, so
   * parsed fields from different places never are).
   */
  private boolean sameFields(FieldMap a, FieldMap b) {
    if (!new ArrayList<>(a.byName.keySet()).equals(new ArrayList<>(b.byName.keySet()))) {
      return false;
    }
    for (Map.Entry<String, List<Field>> e : a.byName.entrySet()) {
      List<Field> fa = e.getValue();
      List<Field> fb = b.byName.get(e.getKey());
      if (fa.size() != fb.size()) {
        return false;
      }
      for (int i = 0; i < fa.size(); i++) {
        Field x = fa.get(i);
        Field y = fb.get(i);
        if (x == y) {
          continue;
        }
        Annotations.FieldInfo ix = w.notes.of(x);
        Annotations.FieldInfo iy = w.notes.of(y);
        if (!Objects.equals(x.position(), y.position()) || ix.definition != iy.definition
            || ix.objectDefinition != iy.objectDefinition || !x.equals(y)) {
          return false;
        }
      }
    }
    return true;
  }
}
