package io.sabot.graph;

import io.sabot.error.InvalidJobException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SELECT: the columns it passes on, in this order, each possibly renamed
 * ({@code columns: [instrumentId, {price: px}]}).
 */
public record SelectSpec(List<SelectColumn> columns) implements OperatorSpec {
  public static final List<String> PARAMETERS = List.of("columns");

  public SelectSpec {
    columns = List.copyOf(columns);
  }

  /** Keeps the given columns under their own names. */
  public static SelectSpec of(List<String> names) {
    return new SelectSpec(names.stream().map(n -> new SelectColumn(n, n)).toList());
  }

  @Override
  public OperatorType type() {
    return OperatorType.SELECT;
  }

  /** Output name to input name. */
  public Map<String, String> inputNames() {
    Map<String, String> m = new LinkedHashMap<>();
    for (SelectColumn c : columns) m.put(c.to(), c.from());
    return m;
  }

  /** The output column names, in order. */
  public List<String> outputNames() {
    return columns.stream().map(SelectColumn::to).toList();
  }

  /**
   * Checks the columns against the input's; every missing one at once, as an
   * {@link InvalidJobException} naming the operator and the column.
   */
  public void checkAgainst(String operator, List<String> available) {
    List<String> errors = new ArrayList<>();
    for (SelectColumn c : columns) {
      if (!available.contains(c.from())) {
        errors.add("column=" + c.from() + " not found in operator " + operator + "; available: "
            + String.join(", ", available));
      }
    }
    if (!errors.isEmpty()) throw new InvalidJobException(errors);
  }

  @Override
  public Map<String, Object> toParameters() {
    List<Object> out = new ArrayList<>();
    for (SelectColumn c : columns) {
      out.add(c.from().equals(c.to()) ? c.from() : Map.of(c.from(), c.to()));
    }
    return Map.of("columns", out);
  }

  /** A new name may be any scalar ({@code {ts: 5}} names the column "5"), not a list or a map. */
  private static boolean isName(Object v) {
    return v != null && !(v instanceof Map) && !(v instanceof List) && !String.valueOf(v).isBlank();
  }

  static SelectSpec parse(OperatorParameters p) {
    p.checkKeys(PARAMETERS, "a SELECT");
    Object columns = p.raw("columns");
    if (!(columns instanceof List) || ((List<?>) columns).isEmpty()) {
      p.problem("columns", "must be a non-empty list of column names or {name: new_name} maps");
      return null;
    }
    List<SelectColumn> out = new ArrayList<>();
    for (Object c : (List<?>) columns) {
      String from;
      String to;
      if (c instanceof String && !((String) c).isBlank()) {
        from = (String) c;
        to = from;
      } else if (c instanceof Map && ((Map<?, ?>) c).size() == 1 && isName(
          ((Map<?, ?>) c).values().iterator().next())) {
        Map.Entry<?, ?> e = ((Map<?, ?>) c).entrySet().iterator().next();
        from = String.valueOf(e.getKey());
        to = String.valueOf(e.getValue()).trim();
      } else {
        p.problem("columns", "entry=" + c + " must be a column name or {name: new_name}");
        continue;
      }
      if (out.stream().anyMatch(s -> s.to().equals(to))) {
        p.problem("columns", "output column=" + to + " appears twice");
        continue;
      }
      out.add(new SelectColumn(from, to));
    }
    return p.isValid() ? new SelectSpec(out) : null;
  }
}
