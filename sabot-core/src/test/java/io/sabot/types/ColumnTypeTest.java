package io.sabot.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;

/** The job-file type names, their aliases, and the Arrow type and vector of each. */
class ColumnTypeTest {
  @Test
  void shouldNameEachTypeAsTheJobFileDoes() {
    assertEquals(List.of("int32", "int64", "float64", "string", "bool", "timestamp"),
        Arrays.stream(ColumnType.values()).map(ColumnType::jobName).toList());
    for (ColumnType t : ColumnType.values()) {
      assertEquals(t.jobName(), t.toString());
      assertEquals(t, ColumnType.parse(t.jobName()));
    }
  }

  @Test
  void shouldAcceptTheCommonAliasesInAnyCase() {
    Map<String, ColumnType> aliases = new LinkedHashMap<>();
    for (String s : List.of("int", "integer", "INT32")) aliases.put(s, ColumnType.INT32);
    for (String s : List.of("long", "bigint", " Int64 ")) aliases.put(s, ColumnType.INT64);
    for (String s : List.of("double", "float", "FLOAT64")) aliases.put(s, ColumnType.FLOAT64);
    for (String s : List.of("str", "utf8", "varchar", "String")) aliases.put(s, ColumnType.STRING);
    for (String s : List.of("boolean", "BOOL")) aliases.put(s, ColumnType.BOOL);
    for (String s : List.of("timestamp_ms", "Timestamp")) aliases.put(s, ColumnType.TIMESTAMP);
    aliases.forEach((name, type) -> assertEquals(type, ColumnType.parse(name), name));
  }

  @Test
  void shouldRefuseAnUnknownTypeAndListTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ColumnType.parse("decimal"));
    assertEquals("unknown type 'decimal'; known types: int32, int64, float64, string, bool, timestamp",
        e.getMessage());
  }

  @Test
  void shouldSayWhichTypesAreIntegralAndWhichNumeric() {
    assertEquals(List.of(ColumnType.INT32, ColumnType.INT64, ColumnType.TIMESTAMP),
        Arrays.stream(ColumnType.values()).filter(ColumnType::isIntegral).toList());
    assertEquals(List.of(ColumnType.INT32, ColumnType.INT64, ColumnType.FLOAT64),
        Arrays.stream(ColumnType.values()).filter(ColumnType::isNumeric).toList());
  }

  @Test
  void shouldMapArrowTypesToColumnTypes() {
    assertEquals(ColumnType.INT32, ColumnType.fromArrow(new ArrowType.Int(8, true)));
    assertEquals(ColumnType.INT32, ColumnType.fromArrow(new ArrowType.Int(32, true)));
    assertEquals(ColumnType.INT64, ColumnType.fromArrow(new ArrowType.Int(64, true)));
    assertEquals(ColumnType.FLOAT64,
        ColumnType.fromArrow(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
    assertEquals(ColumnType.STRING, ColumnType.fromArrow(ArrowType.LargeUtf8.INSTANCE));
    assertEquals(ColumnType.BOOL, ColumnType.fromArrow(ArrowType.Bool.INSTANCE));
    assertEquals(ColumnType.TIMESTAMP,
        ColumnType.fromArrow(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")));
    assertEquals(ColumnType.TIMESTAMP, ColumnType.fromArrow(new ArrowType.Date(DateUnit.DAY)));
    assertNull(ColumnType.fromArrow(ArrowType.Binary.INSTANCE));
    for (ColumnType t : ColumnType.values()) assertEquals(t, ColumnType.fromArrow(t.arrowType()));
  }

  @Test
  void shouldMakeANullableVectorOfTheRightKind() {
    Map<ColumnType, Class<?>> kinds = Map.of(ColumnType.INT32, IntVector.class,
        ColumnType.INT64, BigIntVector.class, ColumnType.FLOAT64, Float8Vector.class,
        ColumnType.STRING, VarCharVector.class, ColumnType.BOOL, BitVector.class,
        ColumnType.TIMESTAMP, TimeStampMilliVector.class);
    try (RootAllocator allocator = new RootAllocator()) {
      for (ColumnType t : ColumnType.values()) {
        try (FieldVector v = t.newVector("c", allocator)) {
          assertEquals(kinds.get(t), v.getClass());
          assertEquals("c", v.getName());
          assertEquals(t.arrowType(), v.getField().getType());
          assertEquals(true, v.getField().isNullable());
        }
      }
    }
  }
}
