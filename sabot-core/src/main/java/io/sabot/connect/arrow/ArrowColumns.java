package io.sabot.connect.arrow;

import io.sabot.types.ColumnType;
import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Maps the columns of an Arrow file onto Sabot's types. A column already in Sabot's vector class
 * (int32, int64, double, utf8, bool, timestamp[ms] without zone) is transferred, not copied.
 * Others that fit without loss are copied into the Sabot vector:
 *
 * <pre>
 *   int8, int16, uint8, uint16 → int32        uint32 → int64 (not int32: it would overflow)
 *   float16, float32 → float64                large_utf8 → string
 *   timestamp[s|us|ns, any zone] → timestamp (epoch ms, rounded down)
 *   date32 (days), date64 (ms) → timestamp (midnight UTC)
 *   dictionary-encoded utf8 or large_utf8, any integer index → string (decoded, {@link DictionaryStrings})
 * </pre>
 *
 * Everything else (uint64, decimals, binary, nested, dictionaries of other values) is unsupported
 * and named in a plan error.
 */
final class ArrowColumns {
  private static final long MS_PER_DAY = 86_400_000L;

  private ArrowColumns() {}

  /**
   * The Sabot type of an Arrow column as a schema message declares it (a dictionary-encoded
   * field's type is its values' type), or null when Sabot cannot read it.
   */
  static ColumnType typeOf(Field field) {
    if (field.getDictionary() != null) {
      return DictionaryStrings.holdsStrings(field.getType()) ? ColumnType.STRING : null;
    }
    ArrowType t = field.getType();
    if (t instanceof ArrowType.Int && !((ArrowType.Int) t).getIsSigned()) {
      int bits = ((ArrowType.Int) t).getBitWidth();
      if (bits == 64) return null;
      if (bits == 32) return ColumnType.INT64;
    }
    return ColumnType.fromArrow(t);
  }

  /**
   * Why Sabot cannot read {@code field} (a column {@link #typeOf} refuses), opening with the
   * column: for a plan error or a rejected record.
   */
  static String unsupported(Field field) {
    if (field.getDictionary() != null) {
      return "column=" + field.getName() + " is dictionary-encoded with values of Arrow type "
          + field.getType() + ", which Sabot cannot read; a dictionary-encoded column needs utf8 "
          + "or large_utf8 values (write the others plain)";
    }
    return "column=" + field.getName() + " has Arrow type " + field.getType() + ", which Sabot "
        + "cannot read; use int32, int64, float64, utf8, bool or timestamp";
  }

  /**
   * The Sabot type of a vector a stream reader loaded, or null. A reader holds a
   * dictionary-encoded column as its indexes: the type is that of its dictionary's values.
   */
  static ColumnType typeOfLoaded(FieldVector loaded, DictionaryProvider dictionaries) {
    DictionaryEncoding encoding = loaded.getField().getDictionary();
    if (encoding == null) return typeOf(loaded.getField());
    Dictionary dictionary = dictionaries.lookup(encoding.getId());
    return dictionary != null && DictionaryStrings.holdsStrings(dictionary.getVectorType())
        ? ColumnType.STRING : null;
  }

  /**
   * As {@link #convert}, for a vector a stream reader loaded ({@link #typeOfLoaded} is
   * {@code type}): a dictionary-encoded one is decoded with the dictionary the reader holds now.
   */
  static FieldVector read(FieldVector loaded, DictionaryProvider dictionaries, String name,
                          ColumnType type, BufferAllocator allocator) throws IOException {
    DictionaryEncoding encoding = loaded.getField().getDictionary();
    if (encoding == null) return convert(loaded, name, type, allocator);
    return DictionaryStrings.decode(loaded, dictionaries.lookup(encoding.getId()), name, allocator);
  }

  /**
   * A new vector of {@code type} with {@code source}'s values, owned by the caller. When the
   * classes match, the buffers are transferred and {@code source} is left empty.
   */
  static FieldVector convert(FieldVector source, String name, ColumnType type, BufferAllocator allocator) {
    FieldVector target = type.newVector(name, allocator);
    try {
      if (target.getClass() == source.getClass()) {
        source.makeTransferPair(target).transfer();
      } else {
        copy(source, target, type);
      }
      return target;
    } catch (RuntimeException | Error e) {
      target.close();
      throw e;
    }
  }

  private static void copy(FieldVector source, FieldVector target, ColumnType type) {
    int n = source.getValueCount();
    target.setInitialCapacity(n);
    target.allocateNew();
    for (int i = 0; i < n; i++) {
      if (source.isNull(i)) {
        target.setNull(i);
        continue;
      }
      switch (type) {
        case INT32: ((IntVector) target).set(i, (int) ((BaseIntVector) source).getValueAsLong(i)); break;
        case INT64: ((BigIntVector) target).set(i, ((BaseIntVector) source).getValueAsLong(i)); break;
        case FLOAT64: ((Float8Vector) target).set(i, ((FloatingPointVector) source).getValueAsDouble(i)); break;
        case STRING: ((VarCharVector) target).setSafe(i, ((LargeVarCharVector) source).get(i)); break;
        case TIMESTAMP: ((TimeStampMilliVector) target).set(i, epochMillis(source, i)); break;
        default: throw new IllegalStateException("no conversion from " + source.getField() + " to " + type);
      }
    }
    target.setValueCount(n);
  }

  private static long epochMillis(FieldVector source, int i) {
    if (source instanceof DateDayVector) return ((DateDayVector) source).get(i) * MS_PER_DAY;
    if (source instanceof DateMilliVector) return ((DateMilliVector) source).get(i);
    long v = ((TimeStampVector) source).get(i);
    switch (((ArrowType.Timestamp) source.getField().getType()).getUnit()) {
      case SECOND: return Math.multiplyExact(v, 1000L);
      case MILLISECOND: return v;
      case MICROSECOND: return Math.floorDiv(v, 1000L);
      case NANOSECOND: return Math.floorDiv(v, 1_000_000L);
      default: throw new AssertionError();
    }
  }
}
