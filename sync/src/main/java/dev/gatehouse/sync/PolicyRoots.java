package dev.gatehouse.sync;

import dev.gatehouse.engine.bundle.Bundle;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Roots computed from a policy directory's content, so a policies bundle claims only what it holds
 * and leaves room for others (the grants bundle owns {@code gatehouse/grants}): the first two
 * segments of every package and of every data path ({@code gatehouse/sidecar},
 * {@code gatehouse/config}, …; one segment when that is all there is).
 */
public final class PolicyRoots {
  private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*)");

  private PolicyRoots() {}

  public static List<String> compute(Bundle bundle) {
    TreeSet<String> roots = new TreeSet<>();
    for (Bundle.ModuleFile m : bundle.modules()) {
      Matcher matcher = PACKAGE.matcher(m.source());
      if (matcher.find()) {
        String[] parts = matcher.group(1).split("\\.");
        roots.add(parts.length == 1 ? parts[0] : parts[0] + "/" + parts[1]);
      } else {
        return List.of(""); // a package we cannot read: claim everything rather than guess
      }
    }
    bundle.data().forEach((k, v) -> {
      String top = ((StringValue) k).value();
      if (v instanceof ObjectValue o && !o.isEmpty()) {
        o.forEach((k2, v2) -> roots.add(top + "/" + ((StringValue) k2).value()));
      } else {
        roots.add(top);
      }
    });
    // Drop roots inside other roots (a one-segment package next to two-segment ones).
    List<String> all = List.copyOf(roots);
    return all.stream().filter(r -> all.stream().noneMatch(o -> !o.equals(r) && r.startsWith(o + "/"))).toList();
  }
}
