package io.sabot.rocksdb;

import io.sabot.graph.OnDuplicate;
import io.sabot.reference.StoreRequest;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where a reference table's columns go in RocksDB: the key columns into the key
 * ({@link KeyCodec}), the others into the value, as a list of entries:
 *
 * <pre>
 *   value  = entry+                        (one per row kept; on_duplicate: all keeps them all,
 *   entry  = varint length, flags, [varint row], payload      in insertion order)
 *   flags  bit 0: hidden by the join's reference_filter (kept, so that duplicates still resolve
 *          against it, as in the memory table)
 *   row    the row's number in the reference input, for on_duplicate: error's message only
 *   payload  see RowCodec
 * </pre>
 *
 * A store may be kept between runs ({@link KeptStore}): a change to these bytes, or to
 * {@link KeyCodec}'s or {@link RowCodec}'s, must change {@code KeptMetadata.FORMAT}.
 */
final class StoreLayout {
  static final byte HIDDEN = 1;

  final String operatorName;
  final Schema schema;
  final int[] keyColumns;
  final int[] payloadColumns;
  final OnDuplicate onDuplicate;
  final ColumnType[] keyTypes;
  final ColumnType[] payloadTypes;

  StoreLayout(StoreRequest request) {
    this.operatorName = request.operatorName();
    this.schema = request.schema();
    this.keyColumns = request.keyColumns();
    this.onDuplicate = request.onDuplicate();
    this.keyTypes = new ColumnType[keyColumns.length];
    for (int k = 0; k < keyColumns.length; k++) keyTypes[k] = schema.field(keyColumns[k]).type();
    this.payloadColumns = new int[schema.size() - keyColumns.length];
    int p = 0;
    for (int c = 0; c < schema.size(); c++) {
      if (!isKey(c)) payloadColumns[p++] = c;
    }
    this.payloadTypes = new ColumnType[payloadColumns.length];
    for (int i = 0; i < payloadColumns.length; i++) {
      payloadTypes[i] = schema.field(payloadColumns[i]).type();
    }
  }

  /** Whether entries carry their row number (only on_duplicate: error reports it). */
  boolean numbersRows() {
    return onDuplicate == OnDuplicate.ERROR;
  }

  /**
   * Appends to {@code value} the entry of row {@code row} ({@code entry}: scratch), numbered
   * {@code rowNumber} when entries carry row numbers.
   */
  void addEntry(Bytes value, Bytes entry, RowCodec payload, FieldVector[] payloadVectors, int row,
                boolean hidden, long rowNumber) {
    entry.pos = 0;
    entry.put(hidden ? HIDDEN : 0);
    if (numbersRows()) entry.putVarint(rowNumber);
    payload.encode(payloadVectors, row, entry);
    value.putVarint(entry.pos);
    value.put(entry.buf, 0, entry.pos);
  }

  FieldVector[] keyVectors(VectorSchemaRoot batch) {
    return vectors(batch, keyColumns);
  }

  FieldVector[] payloadVectors(VectorSchemaRoot batch) {
    return vectors(batch, payloadColumns);
  }

  private boolean isKey(int column) {
    for (int k : keyColumns) {
      if (k == column) return true;
    }
    return false;
  }

  private static FieldVector[] vectors(VectorSchemaRoot batch, int[] columns) {
    FieldVector[] out = new FieldVector[columns.length];
    for (int i = 0; i < columns.length; i++) out[i] = batch.getVector(columns[i]);
    return out;
  }
}
