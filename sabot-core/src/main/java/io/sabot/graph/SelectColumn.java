package io.sabot.graph;

import io.sabot.error.InvalidJobException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One output column of a SELECT: the input column it is ({@code from}) and its name ({@code to};
 * the same unless renamed with {@code {from: to}}). Parsed in one place for the optimizer's schema
 * resolution and for lowering, so both accept and refuse the same things with the same words.
 */
public record SelectColumn(String from, String to) {

  /**
   * The SELECT's {@code columns}, checked against the input's column names; every problem at once
   * as an {@link InvalidJobException}.
   */
  public static List<SelectColumn> parse(StreamOperatorNode node, List<String> available) {
    Object columns = node.parameter("columns");
    if (!(columns instanceof List) || ((List<?>) columns).isEmpty()) {
      throw new InvalidJobException("operator " + node.name() + ": parameter=columns must be a "
          + "non-empty list of column names or {name: new_name} maps");
    }
    List<SelectColumn> out = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Object c : (List<?>) columns) {
      String from;
      String to;
      if (c instanceof String) {
        from = (String) c;
        to = from;
      } else if (c instanceof Map && ((Map<?, ?>) c).size() == 1) {
        Map.Entry<?, ?> e = ((Map<?, ?>) c).entrySet().iterator().next();
        from = String.valueOf(e.getKey());
        to = String.valueOf(e.getValue());
      } else {
        errors.add("operator " + node.name() + ": parameter=columns entry " + c
            + " must be a column name or {name: new_name}");
        continue;
      }
      if (!available.contains(from)) {
        errors.add("column=" + from + " not found in operator " + node.name() + "; available: "
            + String.join(", ", available));
        continue;
      }
      if (out.stream().anyMatch(s -> s.to().equals(to))) {
        errors.add("operator " + node.name() + ": output column=" + to + " appears twice");
        continue;
      }
      out.add(new SelectColumn(from, to));
    }
    if (!errors.isEmpty()) throw new InvalidJobException(errors);
    return out;
  }
}
