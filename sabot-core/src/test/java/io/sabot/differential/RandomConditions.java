package io.sabot.differential;

import io.sabot.types.ColumnType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random FILTER parameters over a table's columns: single predicates with every operator (bool
 * columns only with the ones the engine accepts for them), and {@code all}/{@code any} nested up to
 * two levels. Literals come from the column's domain, so conditions keep some rows and drop others.
 */
final class RandomConditions {
  private static final String[] OPERATORS = {"==", "!=", ">", ">=", "<", "<=", "in", "not in",
      "is null", "is not null"};
  private static final String[] BOOL_OPERATORS = {"==", "!=", "in", "not in", "is null",
      "is not null"};

  private RandomConditions() {}

  static Map<String, Object> condition(Random r, Table t) {
    return condition(r, t, 0);
  }

  private static Map<String, Object> condition(Random r, Table t, int depth) {
    if (depth < 2 && r.nextInt(4) == 0) {
      List<Map<String, Object>> parts = new ArrayList<>();
      int n = 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) parts.add(condition(r, t, depth + 1));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(r.nextBoolean() ? "all" : "any", parts);
      return m;
    }
    Table.Col col = column(r, t);
    String[] ops = col.type() == ColumnType.BOOL ? BOOL_OPERATORS : OPERATORS;
    String op = ops[r.nextInt(ops.length)];
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("column", col.name());
    m.put("operator", op);
    if (op.equals("in") || op.equals("not in")) {
      List<Object> values = new ArrayList<>();
      int n = 1 + r.nextInt(3);
      for (int i = 0; i < n; i++) values.add(col.domain().literal(r));
      m.put("value", values);
    } else if (!op.startsWith("is ")) {
      m.put("value", col.domain().literal(r));
    }
    return m;
  }

  /** Half of the time a column a join brought in, when there is one. */
  private static Table.Col column(Random r, Table t) {
    List<Table.Col> joined = new ArrayList<>();
    for (Table.Col c : t.cols()) {
      if (c.origin() > 0) joined.add(c);
    }
    List<Table.Col> from = !joined.isEmpty() && r.nextBoolean() ? joined : t.cols();
    return from.get(r.nextInt(from.size()));
  }
}
