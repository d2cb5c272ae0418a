package io.sabot.differential;

import io.sabot.types.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A table of the row-at-a-time reference evaluator: named, typed columns and rows as plain Java
 * objects ({@code Integer} for int32, {@code Long} for int64, {@code Double}, {@code String},
 * {@code Boolean}; {@code null} is null).
 */
record Table(List<Col> cols, List<Object[]> rows) {

  /**
   * One column. {@code domain} says what values the generator draws for it (and for keys and
   * literals compared with it); {@code origin} is 0 for a stream column and j for a column brought
   * in by the j-th join. Neither matters to the evaluator's semantics: both only steer the
   * generator.
   */
  record Col(String name, ColumnType type, Domain domain, int origin) {
    Col withName(String newName) {
      return new Col(newName, type, domain, origin);
    }

    Col withOrigin(int newOrigin) {
      return new Col(name, type, domain, newOrigin);
    }
  }

  Table {
    cols = List.copyOf(cols);
    rows = List.copyOf(rows);
  }

  int indexOf(String name) {
    for (int i = 0; i < cols.size(); i++) {
      if (cols.get(i).name().equals(name)) return i;
    }
    throw new IllegalArgumentException("no column " + name + " in " + names());
  }

  Col col(String name) {
    return cols.get(indexOf(name));
  }

  List<String> names() {
    return cols.stream().map(Col::name).collect(Collectors.toList());
  }

  Table withRows(List<Object[]> newRows) {
    return new Table(cols, newRows);
  }

  /** The rows as text, one list per row, rendered as the CSV sink renders them. */
  List<List<String>> rendered() {
    List<List<String>> out = new ArrayList<>();
    for (Object[] row : rows) {
      List<String> r = new ArrayList<>(row.length);
      for (Object v : row) r.add(CsvFiles.render(v));
      out.add(r);
    }
    return out;
  }
}
