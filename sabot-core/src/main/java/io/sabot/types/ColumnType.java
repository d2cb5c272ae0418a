package io.sabot.types;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The column types a job can declare, with the Arrow vector each one lives in.
 *
 * <pre>
 *   int32     -> IntVector              int64  -> BigIntVector
 *   float64   -> Float8Vector           string -> VarCharVector (UTF-8)
 *   bool      -> BitVector              timestamp -> TimeStampMilliVector (epoch ms, no zone)
 * </pre>
 */
public enum ColumnType {
  INT32("int32", new ArrowType.Int(32, true)),
  INT64("int64", new ArrowType.Int(64, true)),
  FLOAT64("float64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
  STRING("string", ArrowType.Utf8.INSTANCE),
  BOOL("bool", ArrowType.Bool.INSTANCE),
  TIMESTAMP("timestamp", new ArrowType.Timestamp(TimeUnit.MILLISECOND, null));

  private final String jobName;
  private final ArrowType arrowType;

  ColumnType(String jobName, ArrowType arrowType) {
    this.jobName = jobName;
    this.arrowType = arrowType;
  }

  /** The name used in job files: {@code int32, int64, float64, string, bool, timestamp}. */
  public String jobName() {
    return jobName;
  }

  public ArrowType arrowType() {
    return arrowType;
  }

  /** True for the types whose values are read as a Java {@code long}. */
  public boolean isIntegral() {
    return this == INT32 || this == INT64 || this == TIMESTAMP;
  }

  public boolean isNumeric() {
    return this == INT32 || this == INT64 || this == FLOAT64;
  }

  @Override
  public String toString() {
    return jobName;
  }

  /** Parses a job-file type name; accepts a few common aliases (long, double, int, boolean). */
  public static ColumnType parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "int32": case "int": case "integer": return INT32;
      case "int64": case "long": case "bigint": return INT64;
      case "float64": case "double": case "float": return FLOAT64;
      case "string": case "str": case "utf8": case "varchar": return STRING;
      case "bool": case "boolean": return BOOL;
      case "timestamp": case "timestamp_ms": return TIMESTAMP;
      default:
        throw new IllegalArgumentException("unknown type '" + name + "'; known types: "
            + Arrays.stream(values()).map(ColumnType::jobName).collect(Collectors.joining(", ")));
    }
  }

  /** The column type of an Arrow type, or null when Sabot has no column type for it. */
  public static ColumnType fromArrow(ArrowType type) {
    if (type instanceof ArrowType.Int) {
      ArrowType.Int i = (ArrowType.Int) type;
      if (i.getBitWidth() == 64) return INT64;
      if (i.getBitWidth() <= 32) return INT32;
      return null;
    }
    if (type instanceof ArrowType.FloatingPoint) return FLOAT64;
    if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8) return STRING;
    if (type instanceof ArrowType.Bool) return BOOL;
    if (type instanceof ArrowType.Timestamp || type instanceof ArrowType.Date) return TIMESTAMP;
    return null;
  }

  /** A new, empty vector of this type. */
  public FieldVector newVector(String name, BufferAllocator allocator) {
    FieldType fieldType = FieldType.nullable(arrowType);
    switch (this) {
      case INT32: return new IntVector(name, fieldType, allocator);
      case INT64: return new BigIntVector(name, fieldType, allocator);
      case FLOAT64: return new Float8Vector(name, fieldType, allocator);
      case STRING: return new VarCharVector(name, fieldType, allocator);
      case BOOL: return new BitVector(name, fieldType, allocator);
      case TIMESTAMP: return new TimeStampMilliVector(name, fieldType, allocator);
      default: throw new AssertionError(this);
    }
  }
}
