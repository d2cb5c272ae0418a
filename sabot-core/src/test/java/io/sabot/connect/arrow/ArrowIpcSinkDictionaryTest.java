package io.sabot.connect.arrow;

import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.connect.ConnectorTestSupport.readAll;
import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.Sink;
import io.sabot.connect.SourcePosition;
import io.sabot.connect.WriteMode;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arrow sink with {@code strings: dictionary}, driven as the executor drives it (useDictionaries,
 * open, write) with batches laid out as {@link io.sabot.physical.OutputLayout} makes them: the
 * exactly-once variant, a run that dies mid-stream, and the dictionary left as it was given.
 */
class ArrowIpcSinkDictionaryTest {
  private static final Schema SCHEMA = schema("id:int64", "name:string");
  private static final DictionaryEncoding ENCODING = new DictionaryEncoding(0, false,
      new ArrowType.Int(32, true));
  /** Arrow Java's in-memory form of an encoded column: the index type, and the encoding. */
  private static final Field NAME = new Field("name",
      new FieldType(true, new ArrowType.Int(32, true), ENCODING), null);
  private static final org.apache.arrow.vector.types.pojo.Schema ENCODED =
      new org.apache.arrow.vector.types.pojo.Schema(List.of(
          new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null), NAME));

  @TempDir Path dir;
  private RootAllocator allocator;
  private VarCharVector names; // the "reference table's column"
  private final List<String> durable = new ArrayList<>();

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    names = new VarCharVector("NAME", allocator);
    for (String s : List.of("Acme", "Beta", "Zeta")) {
      names.setSafe(names.getLastSet() + 1, s.getBytes(StandardCharsets.UTF_8));
    }
    names.setValueCount(3);
  }

  @AfterEach
  void tearDown() {
    names.close();
    closeChecked(allocator);
  }

  private ArrowIpcSink opened(Path out) throws Exception {
    ArrowIpcSink sink = ArrowIpcSink.toPath(out, WriteMode.APPEND, true, true);
    assertTrue(sink.readsDictionaryStrings());
    DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
    provider.put(new Dictionary(names, ENCODING));
    sink.useDictionaries(ENCODED, provider);
    sink.open(SCHEMA);
    return sink;
  }

  /** Writes rows {@code id = from..} naming {@code indexes} (null: no match), position after them. */
  private void write(Sink sink, long from, Integer... indexes) throws Exception {
    BigIntVector ids = new BigIntVector("id", allocator);
    IntVector index = new IntVector(NAME, allocator);
    for (int i = 0; i < indexes.length; i++) {
      ids.setSafe(i, from + i);
      if (indexes[i] == null) index.setNull(i);
      else index.setSafe(i, indexes[i]);
    }
    ids.setValueCount(indexes.length);
    index.setValueCount(indexes.length);
    long to = from + indexes.length;
    try (VectorSchemaRoot b = new VectorSchemaRoot(List.of(ids, index))) {
      sink.write(b, new Offset(to), () -> durable.add(from + "-" + to));
    }
  }

  private record Offset(long next) implements SourcePosition {
    @Override
    public String encode() {
      return "next=" + next;
    }
  }

  @Test
  void shouldKeepTheSourcePositionWithDictionaryEncodedRowsAndResumeAfterThem() throws Exception {
    Path out = dir.resolve("out.arrow");
    try (Sink sink = opened(out)) {
      write(sink, 0, 2, null);
      sink.flush();
      write(sink, 2, 0); // never made durable: the run is killed before the next sync
    }
    try (Sink sink = opened(out)) {
      assertEquals("next=2", sink.resumePosition());
      write(sink, 2, 1, 0);
      sink.finish();
    }
    assertEquals(List.of("0-2", "2-4"), durable);
    assertEquals(List.of(row(0L, "Zeta"), row(1L, null), row(2L, "Beta"), row(3L, "Acme")),
        readAll(new ArrowIpcSource("back", List.of(out)), allocator).rows());
    assertEquals(3, names.getValueCount(), "the dictionary is the caller's, unchanged");
    assertEquals("Zeta", new String(names.get(2), StandardCharsets.UTF_8));
  }

  @Test
  void shouldWritePlainWhenNoDictionariesAreHandedOver() throws Exception {
    Path out = dir.resolve("plain.arrow");
    try (ArrowIpcSink sink = ArrowIpcSink.toPath(out, WriteMode.OVERWRITE, false, true)) {
      sink.open(SCHEMA); // a job whose reference strings all come from live tables
      try (VectorSchemaRoot b = io.sabot.testing.TestBatches.batch(allocator, SCHEMA,
          List.of(row(7L, "live")))) {
        sink.write(b);
      }
      sink.finish();
    }
    ArrowIpcSource back = new ArrowIpcSource("back", List.of(out));
    assertEquals(List.of(row(7L, "live")), readAll(back, allocator).rows());
    assertFalse(ArrowIpcSink.toPath(out, WriteMode.OVERWRITE).readsDictionaryStrings());
  }
}
