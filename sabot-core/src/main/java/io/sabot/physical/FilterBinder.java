package io.sabot.physical;

import io.sabot.expr.CompareOp;
import io.sabot.expr.Condition;
import io.sabot.expr.Literals;
import io.sabot.types.ColumnType;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Binds a {@link Condition} to the columns of a pipeline: finds each column, checks that the
 * value fits its type (no silent casts: a string value on a numeric column is a plan error), and
 * picks the kernel. Problems are thrown as IllegalArgumentException with the message to show; the
 * caller adds the operator name.
 */
public final class FilterBinder {
  private final Map<String, ColumnBinding> columns;
  private final List<String> available;
  private final String where;
  private int nextSlot;

  /** Binds against {@code columns}; messages say "in operator {@code operatorName}". */
  public FilterBinder(List<ColumnBinding> columns, String operatorName) {
    this.where = " in operator " + operatorName;
    this.columns = columns.stream().collect(Collectors.toMap(ColumnBinding::name,
        Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
    this.available = columns.stream().map(ColumnBinding::name).collect(Collectors.toList());
  }

  public RowFilter bind(Condition c) {
    if (c instanceof Condition.All) {
      RowFilter[] parts = bindAll(((Condition.All) c).parts());
      return new AllOf(parts, nextSlot++);
    }
    if (c instanceof Condition.Any) {
      RowFilter[] parts = bindAll(((Condition.Any) c).parts());
      int slot = nextSlot;
      nextSlot += 4;
      return new AnyOf(parts, slot);
    }
    return bindPredicate((Condition.Predicate) c);
  }

  private RowFilter[] bindAll(List<Condition> parts) {
    RowFilter[] out = new RowFilter[parts.size()];
    for (int i = 0; i < out.length; i++) out[i] = bind(parts.get(i));
    return out;
  }

  private RowFilter bindPredicate(Condition.Predicate p) {
    ColumnBinding col = columns.get(p.column());
    if (col == null) {
      throw new IllegalArgumentException("column=" + p.column() + " not found" + where
          + "; available: "
          + String.join(", ", available));
    }
    CompareOp op = p.op();
    if (op == CompareOp.IS_NULL || op == CompareOp.IS_NOT_NULL) {
      return new NullCheck(col, op == CompareOp.IS_NULL);
    }
    List<Object> values = new ArrayList<>();
    if (op == CompareOp.IN || op == CompareOp.NOT_IN) {
      for (Object v : (List<?>) p.value()) {
        if (v == null) {
          throw new IllegalArgumentException("column=" + col.name() + where + ": the list of '" + op
              + "' contains null, which never compares equal; use 'is null' for nulls");
        }
        values.add(v);
      }
    } else {
      values.add(p.value());
    }
    switch (col.type()) {
      case STRING: return bindString(col, op, values);
      case BOOL: return bindBool(col, op, values);
      case FLOAT64: return bindNumeric(col, op, values, true);
      case TIMESTAMP: return bindTimestamp(col, op, values);
      default: return bindNumeric(col, op, values, requireWhole(col, values));
    }
  }

  /**
   * An int32 or int64 column is compared with whole numbers only: {@code price_int > 2.5} does
   * not fit the column, so it is a plan error rather than a silent comparison as float64. A whole
   * number written as a float ({@code 3.0}) fits. Returns false (compare as long) when all fit.
   */
  private boolean requireWhole(ColumnBinding col, List<Object> values) {
    for (Object v : values) {
      if (!(v instanceof Number)) throw typeMismatch(col, v);
      if (isIntegral((Number) v)) continue;
      double d = ((Number) v).doubleValue();
      String why = d == Math.rint(d) && !Double.isInfinite(d)
          ? " is a whole number too large to compare exactly (beyond 9.0e15 as a float; write it"
            + " without a decimal point or exponent)"
          : " is not a whole number; a filter value must fit the column's type (compare with a"
            + " whole number, or declare the column float64)";
      throw new IllegalArgumentException("column=" + col.name() + where + " has type " + col.type()
          + " but value=" + Literals.display(v) + why);
    }
    return false;
  }

  private static boolean isIntegral(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
        || n instanceof java.math.BigInteger) {
      return true;
    }
    double d = n.doubleValue();
    return d == Math.rint(d) && Math.abs(d) < 9.0e15;
  }

  private RowFilter bindNumeric(ColumnBinding col, CompareOp op, List<Object> values, boolean asDouble) {
    for (Object v : values) {
      if (!(v instanceof Number)) throw typeMismatch(col, v);
    }
    if (asDouble) {
      double[] d = values.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
      return op.isComparison() ? NumericCompare.ofDouble(col, op, d[0])
          : new NumericInList(col, op == CompareOp.NOT_IN, null, d);
    }
    long[] l = values.stream().mapToLong(v -> ((Number) v).longValue()).toArray();
    return op.isComparison() ? NumericCompare.ofLong(col, op, l[0])
        : new NumericInList(col, op == CompareOp.NOT_IN, l, null);
  }

  private RowFilter bindTimestamp(ColumnBinding col, CompareOp op, List<Object> values) {
    long[] l = new long[values.size()];
    for (int i = 0; i < l.length; i++) {
      Object v = values.get(i);
      if (v instanceof Number && isIntegral((Number) v)) {
        l[i] = ((Number) v).longValue();
      } else if (v instanceof String) {
        try {
          l[i] = Literals.parseTimestamp((String) v);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("column=" + col.name() + where + " is a timestamp but value="
              + Literals.display(v) + " is neither epoch milliseconds nor an ISO-8601 date-time");
        }
      } else {
        throw typeMismatch(col, v);
      }
    }
    return op.isComparison() ? NumericCompare.ofLong(col, op, l[0])
        : new NumericInList(col, op == CompareOp.NOT_IN, l, null);
  }

  private RowFilter bindBool(ColumnBinding col, CompareOp op, List<Object> values) {
    if (op != CompareOp.EQ && op != CompareOp.NE && op != CompareOp.IN && op != CompareOp.NOT_IN) {
      throw new IllegalArgumentException("column=" + col.name() + where + " is bool; operator '" + op
          + "' does not apply; use ==, !=, in, not in, is null or is not null");
    }
    long[] l = new long[values.size()];
    for (int i = 0; i < l.length; i++) {
      if (!(values.get(i) instanceof Boolean)) throw typeMismatch(col, values.get(i));
      l[i] = ((Boolean) values.get(i)) ? 1 : 0;
    }
    return op.isComparison() ? NumericCompare.ofLong(col, op, l[0])
        : new NumericInList(col, op == CompareOp.NOT_IN, l, null);
  }

  private RowFilter bindString(ColumnBinding col, CompareOp op, List<Object> values) {
    byte[][] bytes = new byte[values.size()][];
    for (int i = 0; i < bytes.length; i++) {
      Object v = values.get(i);
      if (!(v instanceof String)) throw typeMismatch(col, v);
      bytes[i] = ((String) v).getBytes(StandardCharsets.UTF_8);
    }
    return new StringCompare(col, op, bytes);
  }

  private IllegalArgumentException typeMismatch(ColumnBinding col, Object v) {
    String kind = v instanceof String ? "a string" : v instanceof Boolean ? "a bool"
        : v instanceof Number ? "a number" : v.getClass().getSimpleName();
    String hint = col.type() == ColumnType.STRING && v instanceof Number
        ? "; quote the value to compare as text" : "";
    return new IllegalArgumentException("column=" + col.name() + where + " has type " + col.type()
        + " but value=" + Literals.display(v) + " is " + kind + hint);
  }
}
