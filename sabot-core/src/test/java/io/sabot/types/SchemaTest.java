package io.sabot.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** Schema: ordered, uniquely named columns; Field: a named, typed, nullable column. */
class SchemaTest {
  private static final Field ID = new Field("id", ColumnType.INT64);
  private static final Field PRICE = new Field("price", ColumnType.FLOAT64);
  private static final Field SYM = new Field("sym", ColumnType.STRING);
  private final Schema quotes = Schema.of(ID, PRICE, SYM);

  @Test
  void shouldFindColumnsByNameAndPosition() {
    assertEquals(3, quotes.size());
    assertEquals(List.of(ID, PRICE, SYM), quotes.fields());
    assertEquals(PRICE, quotes.field(1));
    assertEquals(SYM, quotes.field("sym"));
    assertEquals(2, quotes.indexOf("sym"));
    assertTrue(quotes.contains("price"));
  }

  @Test
  void shouldAnswerMinusOneOrNullForAMissingColumn() {
    assertEquals(-1, quotes.indexOf("prise"));
    assertNull(quotes.field("prise"));
    assertFalse(quotes.contains("prise"));
    assertFalse(quotes.contains("ID"), "names are case-sensitive");
  }

  @Test
  void shouldRefuseTwoColumnsOfOneName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Schema.of(ID, PRICE, new Field("id", ColumnType.STRING)));
    assertEquals("duplicate column name 'id'", e.getMessage());
  }

  @Test
  void shouldNameItsColumnsForMessages() {
    assertEquals(List.of("id", "price", "sym"), quotes.names());
    assertEquals("id, price, sym", quotes.namesForMessage());
    assertEquals("[id:int64, price:float64, sym:string]", quotes.toString());
    assertEquals("[]", Schema.of().toString());
  }

  @Test
  void shouldProjectInItsOwnOrder() {
    assertEquals(Schema.of(ID, SYM), quotes.project(List.of("sym", "id", "unknown")));
    assertEquals(Schema.of(), quotes.project(Set.of()));
  }

  @Test
  void shouldBeEqualWhenTheFieldsAreEqualInOrder() {
    assertEquals(Schema.of(ID, PRICE, SYM), quotes);
    assertEquals(Schema.of(ID, PRICE, SYM).hashCode(), quotes.hashCode());
    assertNotEquals(Schema.of(PRICE, ID, SYM), quotes);
    assertNotEquals(Schema.of(ID, PRICE, new Field("sym", ColumnType.INT64)), quotes);
  }

  @Test
  void shouldKeepItsOwnCopyOfTheFields() {
    List<Field> fields = new java.util.ArrayList<>(List.of(ID));
    Schema s = new Schema(fields);
    fields.add(PRICE);
    assertEquals(1, s.size());
    assertThrows(UnsupportedOperationException.class, () -> s.fields().add(PRICE));
  }

  @Test
  void shouldConvertToAnArrowSchemaOfNullableFields() {
    org.apache.arrow.vector.types.pojo.Schema arrow = quotes.toArrow();
    assertEquals(List.of("id", "price", "sym"),
        arrow.getFields().stream().map(org.apache.arrow.vector.types.pojo.Field::getName).toList());
    assertEquals(ColumnType.FLOAT64.arrowType(), arrow.getFields().get(1).getType());
    assertTrue(arrow.getFields().stream().allMatch(org.apache.arrow.vector.types.pojo.Field::isNullable));
  }

  @Test
  void shouldMakeAnEmptyBatchOfItsColumns() {
    try (RootAllocator allocator = new RootAllocator();
         VectorSchemaRoot batch = quotes.newBatch(allocator)) {
      assertEquals(quotes.toArrow(), batch.getSchema());
      assertEquals(0, batch.getRowCount());
    }
  }

  @Test
  void shouldPrintAFieldAsNameColonType() {
    assertEquals("price:float64", PRICE.toString());
    assertEquals(new Field("cost", ColumnType.FLOAT64), PRICE.withName("cost"));
    assertEquals(org.apache.arrow.vector.types.pojo.Field.nullable("price", ColumnType.FLOAT64.arrowType()),
        PRICE.toArrow());
  }

  @Test
  void shouldRefuseAFieldWithoutNameOrType() {
    assertEquals("name", assertThrows(NullPointerException.class,
        () -> new Field(null, ColumnType.INT32)).getMessage());
    assertEquals("type", assertThrows(NullPointerException.class,
        () -> new Field("x", null)).getMessage());
  }
}
