package io.sabot.graph;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The naming rule for a join's output, in one place for the planner and the optimizer (here, in
 * the logical model, since both need it and the optimizer sits below the planner): every
 * stream column keeps its name; every reference column but the keys follows, and a name already
 * taken gets {@code _right} (again, until it is free).
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

  /** A join parameter holding one column name or a list of them, as a list. */
  public static List<String> keyList(Object parameter) {
    if (parameter instanceof String) return List.of((String) parameter);
    if (parameter instanceof List) {
      return ((List<?>) parameter).stream().map(String::valueOf).collect(java.util.stream.Collectors.toList());
    }
    return List.of();
  }
}
