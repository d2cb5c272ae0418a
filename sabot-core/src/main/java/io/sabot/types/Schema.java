package io.sabot.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** An ordered list of uniquely named columns: the shape of every batch an operator emits. */
public final class Schema {
  private final List<Field> fields;
  private final Map<String, Integer> indexByName;

  public Schema(List<Field> fields) {
    this.fields = List.copyOf(fields);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < this.fields.size(); i++) {
      if (index.putIfAbsent(this.fields.get(i).name(), i) != null) {
        throw new IllegalArgumentException("duplicate column name '" + this.fields.get(i).name() + "'");
      }
    }
    this.indexByName = Collections.unmodifiableMap(index);
  }

  public static Schema of(Field... fields) {
    return new Schema(List.of(fields));
  }

  public List<Field> fields() {
    return fields;
  }

  public int size() {
    return fields.size();
  }

  public Field field(int i) {
    return fields.get(i);
  }

  /** The column's position, or -1. */
  public int indexOf(String name) {
    Integer i = indexByName.get(name);
    return i == null ? -1 : i;
  }

  public boolean contains(String name) {
    return indexByName.containsKey(name);
  }

  public Field field(String name) {
    int i = indexOf(name);
    return i < 0 ? null : fields.get(i);
  }

  public List<String> names() {
    return fields.stream().map(Field::name).collect(Collectors.toList());
  }

  /** "a, b, c": for error messages that list what exists. */
  public String namesForMessage() {
    return String.join(", ", names());
  }

  /** The columns with the given names, in this schema's order. */
  public Schema project(java.util.Collection<String> keep) {
    List<Field> out = new ArrayList<>();
    for (Field f : fields) {
      if (keep.contains(f.name())) out.add(f);
    }
    return new Schema(out);
  }

  public org.apache.arrow.vector.types.pojo.Schema toArrow() {
    return new org.apache.arrow.vector.types.pojo.Schema(
        fields.stream().map(Field::toArrow).collect(Collectors.toList()));
  }

  /** An empty batch with one vector per column, owned by the caller. */
  public VectorSchemaRoot newBatch(BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>(fields.size());
    for (Field f : fields) vectors.add(f.type().newVector(f.name(), allocator));
    return new VectorSchemaRoot(vectors);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema && ((Schema) o).fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return fields.stream().map(Field::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
