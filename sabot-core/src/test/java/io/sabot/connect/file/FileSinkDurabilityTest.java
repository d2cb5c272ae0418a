package io.sabot.connect.file;

import static io.sabot.testing.TestBatches.batch;
import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.connect.ConnectorTestSupport.readAll;
import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.Sink;
import io.sabot.connect.SourcePosition;
import io.sabot.connect.WriteMode;
import io.sabot.connect.arrow.ArrowIpcSink;
import io.sabot.connect.arrow.ArrowIpcSource;
import io.sabot.connect.csv.CsvSink;
import io.sabot.connect.csv.CsvSource;
import io.sabot.connect.jsonl.JsonlSink;
import io.sabot.types.ColumnType;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability contract of the file sinks (Sink's Javadoc): rows count as written only once
 * durable, a run that does not finish leaves no partial output under the final name, and
 * appending survives a run that died mid-row.
 */
class FileSinkDurabilityTest {
  private static final Schema SCHEMA = schema("id:int64", "name:string");

  @TempDir Path dir;
  private RootAllocator allocator;
  private final List<String> durable = new ArrayList<>();

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    closeChecked(allocator);
  }

  /** Writes rows {@code from..to-1} as one batch, noting "from-to" when the sink calls it durable. */
  private void write(Sink sink, long from, long to) throws IOException {
    List<List<Object>> rows = new ArrayList<>();
    for (long i = from; i < to; i++) rows.add(row(i, "n" + i));
    try (VectorSchemaRoot b = batch(allocator, SCHEMA, rows)) {
      sink.write(b, null, () -> durable.add(from + "-" + to));
    }
  }

  private List<String> hiddenFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))
          .sorted().collect(Collectors.toList());
    }
  }

  @Test
  void shouldCountRowsOfAnOverwrittenFileOnlyOnceTheFileIsInPlace() throws Exception {
    Path out = dir.resolve("out.csv");
    try (Sink sink = CsvSink.toPath(out)) {
      sink.open(SCHEMA);
      write(sink, 0, 2);
      sink.flush(); // synced, but not under its name yet: not written
      assertEquals(List.of(), durable);
      assertFalse(Files.exists(out));
      assertEquals(List.of(".out.csv.sabot-partial"), hiddenFiles());
      write(sink, 2, 3);
      sink.finish();
      assertEquals(List.of("0-2", "2-3"), durable);
    }
    assertEquals("id,name\n0,n0\n1,n1\n2,n2\n", Files.readString(out));
    assertEquals(List.of(), hiddenFiles());
  }

  @Test
  void shouldLeaveTheEarlierFileAsItWasWhenARunDoesNotFinish() throws Exception {
    Path out = dir.resolve("out.jsonl");
    Files.writeString(out, "{\"id\":41}\n");
    try (Sink sink = JsonlSink.toPath(out)) {
      sink.open(SCHEMA);
      write(sink, 0, 1000);
      sink.flush();
    } // closed without finish: the job failed or was stopped
    assertEquals("{\"id\":41}\n", Files.readString(out));
    assertEquals(List.of(), durable);
    assertEquals(List.of(), hiddenFiles());
  }

  @Test
  void shouldCountAppendedRowsOnceSyncedAndWriteTheHeaderOnlyOnce() throws Exception {
    Path out = dir.resolve("out.csv");
    try (Sink sink = CsvSink.toPath(out, WriteMode.APPEND)) {
      sink.open(SCHEMA);
      write(sink, 0, 2);
      assertEquals(List.of(), durable, "nothing is durable before the sync");
      sink.flush();
      assertEquals(List.of("0-2"), durable);
      assertEquals(List.of(".out.csv.sabot-append"), hiddenFiles());
      assertEquals(Files.size(out) + "\n", Files.readString(dir.resolve(".out.csv.sabot-append")));
      sink.finish();
    }
    try (Sink sink = CsvSink.toPath(out, WriteMode.APPEND)) {
      sink.open(SCHEMA);
      write(sink, 2, 3);
      sink.finish();
    }
    assertEquals("id,name\n0,n0\n1,n1\n2,n2\n", Files.readString(out));
    assertEquals(List.of("0-2", "2-3"), durable);
    assertEquals(List.of(), hiddenFiles());
  }

  @Test
  void shouldKeepOnlyTheDurableRowsWhenAnAppendingRunFails() throws Exception {
    Path out = dir.resolve("out.csv");
    try (Sink sink = CsvSink.toPath(out, WriteMode.APPEND)) {
      sink.open(SCHEMA);
      write(sink, 0, 2);
      sink.flush();
      write(sink, 2, 500); // never synced: the job fails here
    }
    assertEquals("id,name\n0,n0\n1,n1\n", Files.readString(out));
    assertEquals(List.of("0-2"), durable);
    assertEquals(List.of(), hiddenFiles());
  }

  @Test
  void shouldLeaveNoFileWhenAnAppendingRunMadeNothingDurable() throws Exception {
    Path out = dir.resolve("out.csv");
    try (Sink sink = CsvSink.toPath(out, WriteMode.APPEND)) {
      sink.open(SCHEMA);
      write(sink, 0, 2);
    }
    assertFalse(Files.exists(out));
    assertEquals(List.of(), hiddenFiles());
  }

  @Test
  void shouldCutAFileThatDiedMidRowBackToItsLastDurableLength() throws Exception {
    Path out = dir.resolve("out.csv");
    Files.writeString(out, "id,name\n0,n0\n1,n1\n2,n2\n3,n");
    // what a killed run leaves: the note says rows up to 1 were durable
    Files.writeString(dir.resolve(".out.csv.sabot-append"), String.valueOf("id,name\n0,n0\n1,n1\n".length()));
    try (Sink sink = CsvSink.toPath(out, WriteMode.APPEND)) {
      sink.open(SCHEMA);
      write(sink, 2, 4);
      sink.finish();
    }
    assertEquals("id,name\n0,n0\n1,n1\n2,n2\n3,n3\n", Files.readString(out));
    CsvSource back = new CsvSource("back", List.of(out), Map.of("id", ColumnType.INT64, "name", ColumnType.STRING));
    assertEquals(4, readAll(back, allocator).rows().size());
  }

  @Test
  void shouldKeepTheNoteAndCreateNoFileWhenTheAppendedFileWasDeleted() throws Exception {
    Path out = dir.resolve("out.csv");
    Path note = dir.resolve(".out.csv.sabot-append");
    Files.writeString(note, "500\n"); // an earlier run made 500 bytes durable; then out.csv was removed
    try (Sink sink = CsvSink.toPath(out, WriteMode.APPEND)) {
      IOException e = assertThrows(IOException.class, () -> sink.open(SCHEMA));
      assertEquals("file=" + out + " has 0 bytes, fewer than the 500 an earlier run made durable "
          + "(noted in " + note + "): it was changed outside Sabot; if that was meant, remove "
          + note + " too", e.getMessage());
    } // close does not throw either
    assertFalse(Files.exists(out), "no empty file left under the final name");
    assertEquals("500\n", Files.readString(note), "the note the message names is still there");
  }

  @Test
  void shouldLeaveFileAndNoteAsTheyWereWhenTheFileIsShorterThanItsNote() throws Exception {
    Path out = dir.resolve("out.csv");
    Path note = dir.resolve(".out.csv.sabot-append");
    Files.writeString(out, "id,name\n0,n0\n");
    Files.writeString(note, "99999\n");
    try (Sink sink = CsvSink.toPath(out, WriteMode.APPEND)) {
      assertThrows(IOException.class, () -> sink.open(SCHEMA));
    }
    assertEquals("id,name\n0,n0\n", Files.readString(out));
    assertEquals("99999\n", Files.readString(note));
    try (Sink sink = CsvSink.toPath(out, WriteMode.APPEND)) {
      assertThrows(IOException.class, () -> sink.open(SCHEMA), "a rerun is refused the same way");
    }
  }

  @Test
  void shouldEndAnUnfinishedLastLineBeforeAppending() throws Exception {
    Path csv = dir.resolve("out.csv");
    Files.writeString(csv, "id,name\n7,n7"); // no newline at the end, as an editor may save it
    try (Sink sink = CsvSink.toPath(csv, WriteMode.APPEND)) {
      sink.open(SCHEMA);
      write(sink, 0, 2);
      sink.finish();
    }
    assertEquals("id,name\n7,n7\n0,n0\n1,n1\n", Files.readString(csv));
    Path jsonl = dir.resolve("out.jsonl");
    Files.writeString(jsonl, "{\"id\":7,\"name\":\"n7\"}");
    try (Sink sink = JsonlSink.toPath(jsonl, WriteMode.APPEND)) {
      sink.open(SCHEMA);
      write(sink, 0, 1);
      sink.finish();
    }
    assertEquals("{\"id\":7,\"name\":\"n7\"}\n{\"id\":0,\"name\":\"n0\"}\n", Files.readString(jsonl));
  }

  @Test
  void shouldRefuseToAppendRowsOfAnotherTable() throws Exception {
    Path out = dir.resolve("out.csv");
    Files.writeString(out, "id,price\n1,2.5\n");
    try (Sink sink = CsvSink.toPath(out, WriteMode.APPEND)) {
      IOException e = assertThrows(IOException.class, () -> sink.open(SCHEMA));
      assertEquals("file=" + out + " has the header id,price but this job writes id,name; appending "
          + "would mix two tables: write to another path, or set mode: overwrite", e.getMessage());
    }
    assertEquals("id,price\n1,2.5\n", Files.readString(out));
    assertEquals(List.of(), hiddenFiles());
  }

  @Test
  void shouldRefuseASecondJobAppendingToTheSameFile() throws Exception {
    Path out = dir.resolve("out.jsonl");
    try (Sink first = JsonlSink.toPath(out, WriteMode.APPEND);
         Sink second = JsonlSink.toPath(out, WriteMode.APPEND)) {
      first.open(SCHEMA);
      IOException e = assertThrows(IOException.class, () -> second.open(SCHEMA));
      assertEquals("file=" + out + " is being appended to by another job", e.getMessage());
      write(first, 0, 1);
      first.finish();
    }
    assertEquals("{\"id\":0,\"name\":\"n0\"}\n", Files.readString(out));
  }

  @Test
  void shouldContinueOneArrowStreamAcrossAppendingRunsAndAKilledOne() throws Exception {
    Path out = dir.resolve("out.arrow");
    try (Sink sink = ArrowIpcSink.toPath(out, WriteMode.APPEND)) {
      sink.open(SCHEMA);
      write(sink, 0, 2);
      sink.finish();
    }
    long complete = Files.size(out);
    try (Sink sink = ArrowIpcSink.toPath(out, WriteMode.APPEND)) {
      sink.open(SCHEMA);
      write(sink, 2, 3);
      sink.finish();
    }
    // a killed run: half a batch message after the end-of-stream, and the note of its open
    Files.writeString(dir.resolve(".out.arrow.sabot-append"), String.valueOf(Files.size(out) - 8));
    Files.write(out, new byte[] {1, 2, 3, 4, 5}, StandardOpenOption.APPEND);
    try (Sink sink = ArrowIpcSink.toPath(out, WriteMode.APPEND)) {
      sink.open(SCHEMA);
      write(sink, 3, 5);
      sink.finish();
    }
    assertTrue(Files.size(out) > complete);
    ArrowIpcSource back = new ArrowIpcSource("back", List.of(out));
    assertEquals(List.of(row(0L, "n0"), row(1L, "n1"), row(2L, "n2"), row(3L, "n3"), row(4L, "n4")),
        readAll(back, allocator).rows());
    assertEquals(List.of(), hiddenFiles());
  }

  @Test
  void shouldNotMistakeRowBytesForTheArrowEndOfStreamWhenResumingFromANote() throws Exception {
    // int64 4294967295 is, little-endian, FF FF FF FF 00 00 00 00: Arrow's end-of-stream marker
    Schema ids = schema("id:int64");
    Path out = dir.resolve("out.arrow");
    try (Sink sink = ArrowIpcSink.toPath(out, WriteMode.APPEND, true)) {
      sink.open(ids);
      try (VectorSchemaRoot b = batch(allocator, ids, List.of(row(1L), row(4294967295L)))) {
        sink.write(b, new Offset(2), () -> durable.add("0-2"));
      }
      sink.flush();
    } // stopped: the rows are durable, the note keeps their position
    try (Sink sink = ArrowIpcSink.toPath(out, WriteMode.APPEND, true)) {
      sink.open(ids);
      assertEquals("next=2", sink.resumePosition());
      try (VectorSchemaRoot b = batch(allocator, ids, List.of(row(5L)))) {
        sink.write(b, new Offset(3), () -> durable.add("2-3"));
      }
      sink.finish();
    }
    try (Sink sink = ArrowIpcSink.toPath(out, WriteMode.APPEND, true)) { // after a finished run
      sink.open(ids);
      try (VectorSchemaRoot b = batch(allocator, ids, List.of(row(4294967295L)))) {
        sink.write(b, new Offset(4), () -> durable.add("3-4"));
      }
      sink.finish();
    }
    ArrowIpcSource back = new ArrowIpcSource("back", List.of(out));
    assertEquals(List.of(row(1L), row(4294967295L), row(5L), row(4294967295L)),
        readAll(back, allocator).rows());
    assertEquals(List.of("0-2", "2-3", "3-4"), durable);
  }

  @Test
  void shouldNeverReplaceAFileWithFailIfExists() throws Exception {
    Path out = dir.resolve("out.csv");
    try (Sink sink = CsvSink.toPath(out, WriteMode.FAIL_IF_EXISTS)) {
      sink.open(SCHEMA);
      write(sink, 0, 1);
      Files.writeString(out, "someone else's\n"); // appears while the job runs
      IOException e = assertThrows(IOException.class, sink::finish);
      assertEquals("file=" + out + " exists and the sink has mode: fail_if_exists; remove it, or set "
          + "mode: overwrite or append", e.getMessage());
    }
    assertEquals("someone else's\n", Files.readString(out, StandardCharsets.UTF_8));
    assertEquals(List.of(), durable);
    assertEquals(List.of(), hiddenFiles());
  }

  @Test
  void shouldRemoveThePartialFileWhenTheFinalRenameFails() throws Exception {
    Path out = dir.resolve("out.csv");
    try (Sink sink = CsvSink.toPath(out, WriteMode.OVERWRITE)) {
      sink.open(SCHEMA);
      write(sink, 0, 1);
      Files.createDirectories(out.resolve("sub")); // a non-empty folder appears at the target
      assertThrows(IOException.class, sink::finish);
    }
    assertTrue(Files.isDirectory(out.resolve("sub")));
    assertEquals(List.of(), durable);
    assertEquals(List.of(), hiddenFiles(), "no partial file left behind");
  }

  @Test
  void shouldWriteStraightThroughToADevice() throws Exception {
    try (Sink sink = ArrowIpcSink.toPath(Path.of("/dev/null"))) {
      sink.open(SCHEMA);
      write(sink, 0, 3);
      sink.flush();
      assertEquals(List.of("0-3"), durable);
      sink.finish();
    }
    assertTrue(Files.exists(Path.of("/dev/null")));
  }

  /** A source position, as a Kafka checkpoint is one. */
  private record Offset(long next) implements SourcePosition {
    @Override
    public String encode() {
      return "next=" + next;
    }
  }

  @Test
  void shouldKeepTheSourcePositionWithTheRowsForExactlyOnceAndHandItToTheNextRun() throws Exception {
    Path out = dir.resolve("out.csv");
    Path note = dir.resolve(".out.csv.sabot-append");
    try (Sink sink = CsvSink.toPath(out, WriteMode.APPEND, true)) {
      sink.open(SCHEMA);
      assertEquals(null, sink.resumePosition());
      try (VectorSchemaRoot b = batch(allocator, SCHEMA, List.of(row(0L, "n0")))) {
        sink.write(b, new Offset(1), () -> durable.add("0-1"));
      }
      sink.flush();
      assertEquals(Files.size(out) + "\nnext=1\n", Files.readString(note));
      try (VectorSchemaRoot b = batch(allocator, SCHEMA, List.of(row(1L, "n1")))) {
        sink.write(b, new Offset(2), () -> durable.add("1-2"));
      }
    } // dies before the second row is durable
    assertEquals("id,name\n0,n0\n", Files.readString(out));
    try (Sink sink = CsvSink.toPath(out, WriteMode.APPEND, true)) {
      sink.open(SCHEMA);
      assertEquals("next=1", sink.resumePosition(), "the next run starts after the durable row");
      try (VectorSchemaRoot b = batch(allocator, SCHEMA, List.of(row(1L, "n1")))) {
        sink.write(b, new Offset(2), () -> durable.add("1-2"));
      }
      sink.finish();
    }
    assertEquals("id,name\n0,n0\n1,n1\n", Files.readString(out));
    assertEquals(Files.size(out) + "\nnext=2\n", Files.readString(note), "kept for the next run");
    assertEquals(List.of("0-1", "1-2"), durable);
  }
}
