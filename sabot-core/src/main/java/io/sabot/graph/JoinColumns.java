package io.sabot.graph;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The naming rule for a join's output, in one place for lowering ({@code plan.JoinLowering}) and
 * the optimizer (its rules and {@code SchemaResolver}): every stream column keeps its name; every
 * reference column but the keys follows, and a name already taken gets {@code _right} (again,
 * until it is free). It lives in {@code graph} because it is part of what a HASH_JOIN means,
 * not of how it runs.
 */
public final class JoinColumns {
  private JoinColumns() {}

  /** Reference column name to its output name, in reference order, keys left out. */
  public static Map<String, String> referenceOutputNames(List<String> streamColumns,
                                                         List<String> referenceColumns,
                                                         List<String> referenceKeys) {
    Set<String> taken = new HashSet<>(streamColumns);
    Map<String, String> out = new LinkedHashMap<>();
    for (String c : referenceColumns) {
      if (referenceKeys.contains(c)) continue;
      String name = c;
      while (taken.contains(name)) name = name + "_right";
      taken.add(name);
      out.put(c, name);
    }
    return out;
  }
}
