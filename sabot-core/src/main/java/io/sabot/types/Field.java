package io.sabot.types;

import java.util.Objects;

/** A named, typed column. All columns are nullable. */
public record Field(String name, ColumnType type) {
  public Field {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  public Field withName(String newName) {
    return new Field(newName, type);
  }

  public org.apache.arrow.vector.types.pojo.Field toArrow() {
    return org.apache.arrow.vector.types.pojo.Field.nullable(name, type.arrowType());
  }

  @Override
  public String toString() {
    return name + ":" + type.jobName();
  }
}
