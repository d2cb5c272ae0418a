package io.sabot.physical;

import io.sabot.types.ColumnType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * How a fused pipeline's output batches carry their columns.
 *
 * <pre>
 *   plain               every value copied into the batch (strings byte by byte)
 *   dictionary strings  a string column of a reference table is written as int32 indexes into
 *                       the table's own column, the dictionary (late materialization):
 *
 *     securities.NAME (the dictionary)       output batch, NAME column
 *       0 "Acme Corp"                           [2, 0, 2, null, 1]   ─► "Zeta", "Acme Corp", ...
 *       1 "Beta Ltd"                            (an index is the matching reference row; null
 *       2 "Zeta"                                 where no row matched or the value is null)
 * </pre>
 *
 * The index of an output row is the reference row its join matched, so encoding costs one int
 * per row and column instead of copying the bytes. A dictionary is the table's column, not a
 * copy: it must outlive every batch that points into it. That holds for tables built once per
 * run (they are closed after the sink); a live table's versions are released as soon as a batch
 * is processed, so its columns stay plain ({@code encodable} says which origins qualify).
 */
public final class OutputLayout {
  private static final OutputLayout PLAIN = new OutputLayout(null, null, null);
  private static final ArrowType.Int INDEX_TYPE = new ArrowType.Int(32, true);

  /** Per output column: its dictionary-encoded field, or null when the column is plain. */
  private final Field[] encodedFields;
  private final Schema arrowSchema;
  private final DictionaryProvider dictionaries;

  private OutputLayout(Field[] encodedFields, Schema arrowSchema, DictionaryProvider dictionaries) {
    this.encodedFields = encodedFields;
    this.arrowSchema = arrowSchema;
    this.dictionaries = dictionaries;
  }

  /** Every value copied. */
  public static OutputLayout plain() {
    return PLAIN;
  }

  /**
   * The string columns of {@code pipeline}'s reference origins for which {@code encodable} is
   * true dictionary-encoded, one dictionary per reference column (two output columns naming the
   * same reference column share it); every other column plain. Call after the tables are
   * attached: the dictionaries are their columns.
   */
  public static OutputLayout dictionaryStrings(FusedPipeline pipeline, IntPredicate encodable) {
    return dictionaryStrings(pipeline.outputs(), encodable, pipeline::referenceColumn);
  }

  /** Column {@code index} of the reference origin {@code origin}. */
  @FunctionalInterface
  interface ReferenceColumns {
    FieldVector column(int origin, int index);
  }

  static OutputLayout dictionaryStrings(List<ColumnBinding> outputs, IntPredicate encodable,
                                        ReferenceColumns columns) {
    Field[] encoded = new Field[outputs.size()];
    Map<String, Long> ids = new LinkedHashMap<>();
    DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
    List<Field> fields = new ArrayList<>();
    for (int c = 0; c < encoded.length; c++) {
      ColumnBinding b = outputs.get(c);
      if (b.origin() > 0 && b.type() == ColumnType.STRING && encodable.test(b.origin())) {
        FieldVector column = columns.column(b.origin(), b.index());
        Long id = ids.get(b.origin() + ":" + b.index());
        if (id == null) {
          id = (long) ids.size();
          ids.put(b.origin() + ":" + b.index(), id);
          provider.put(new Dictionary(column, new DictionaryEncoding(id, false, INDEX_TYPE)));
        }
        // Arrow Java's in-memory form: the field has the index type and the encoding; the
        // value type (utf8) is the dictionary's, and goes into a written schema message
        // (DictionaryUtility.toMessageFormat)
        encoded[c] = new Field(b.name(), new FieldType(true, INDEX_TYPE,
            new DictionaryEncoding(id, false, INDEX_TYPE)), null);
        fields.add(encoded[c]);
      } else {
        fields.add(b.field().toArrow());
      }
    }
    if (ids.isEmpty()) return PLAIN;
    return new OutputLayout(encoded, new Schema(fields), provider);
  }

  /** Whether some column is dictionary-encoded. */
  public boolean hasDictionaries() {
    return dictionaries != null;
  }

  /**
   * The Arrow schema of the output batches in Arrow Java's in-memory form: a dictionary-encoded
   * column has type int32 and its {@link DictionaryEncoding}, its values being the dictionary's
   * (utf8); null for a plain layout (the Sabot schema's own Arrow form).
   */
  public Schema arrowSchema() {
    return arrowSchema;
  }

  /** The dictionaries the encoded columns index into, by id; null for a plain layout. */
  public DictionaryProvider dictionaries() {
    return dictionaries;
  }

  boolean isEncoded(int column) {
    return encodedFields != null && encodedFields[column] != null;
  }

  IntVector newIndexVector(int column, BufferAllocator allocator) {
    return new IntVector(encodedFields[column], allocator);
  }
}
