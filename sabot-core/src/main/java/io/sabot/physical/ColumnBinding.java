package io.sabot.physical;

import io.sabot.types.ColumnType;
import io.sabot.types.Field;

/**
 * Where a named column of a fused pipeline lives: in the stream batch (origin 0) or in the
 * reference table probed by the origin-th join (origin 1..k), at position {@code index} of that
 * table. A SELECT only renames or drops bindings; no data moves until the output is built.
 */
public record ColumnBinding(String name, int origin, int index, ColumnType type) {
  public ColumnBinding withName(String newName) {
    return new ColumnBinding(newName, origin, index, type);
  }

  public Field field() {
    return new Field(name, type);
  }
}
