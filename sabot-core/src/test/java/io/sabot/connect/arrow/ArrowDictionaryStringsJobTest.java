package io.sabot.connect.arrow;

import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.connect.ConnectorTestSupport.readAll;
import static io.sabot.testing.TestBatches.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.error.JobExecutionException;
import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobSummary;
import io.sabot.exec.LocalExecutor;
import io.sabot.graph.JobFile;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PhysicalPlan;
import io.sabot.testing.TestBatches;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flatbuf.DictionaryBatch;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageChannelReader;
import org.apache.arrow.vector.ipc.message.MessageResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job writing an Arrow file with {@code strings: dictionary}: the static reference table's
 * string columns go out dictionary-encoded (whole columns as dictionaries), the stream's plain,
 * and the file reads back as exactly the rows of the same job with {@code strings: plain}.
 */
class ArrowDictionaryStringsJobTest {
  /** Quote 9 matches no reference row, quote 3 one whose NAME is null; refs row 4 is never used. */
  private static final String QUOTES = "id,sym,px\n1,AAA,1.5\n2,BBB,2.5\n9,ZZZ,3.0\n1,AAA,4.0\n3,,5.0\n";
  private static final String REFS = "ID,NAME,SECTOR,N\n1,Acme,tech,10\n2,Beta,bank,20\n3,,tech,30\n"
      + "4,Unused Corp,energy,40\n";
  private static final List<List<Object>> ROWS = List.of(
      row(1L, "AAA", 1.5, "Acme", "tech", 10L),
      row(2L, "BBB", 2.5, "Beta", "bank", 20L),
      row(9L, "ZZZ", 3.0, null, null, null),
      row(1L, "AAA", 4.0, "Acme", "tech", 10L),
      row(3L, null, 5.0, null, "tech", 30L));

  @TempDir Path dir;
  private RootAllocator allocator;

  @BeforeEach
  void setUp() throws Exception {
    allocator = new RootAllocator();
    Files.writeString(dir.resolve("quotes.csv"), QUOTES);
    Files.writeString(dir.resolve("refs.csv"), REFS);
  }

  @AfterEach
  void tearDown() {
    closeChecked(allocator);
  }

  /** Runs the enrichment job into {@code out} with the given extra sink parameters. */
  private JobSummary run(String out, String sinkParameters) throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, String.join("\n",
        "job_name: dict",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {path: quotes.csv, "
            + "schema: {id: int64, sym: string, px: float64}}}",
        "  - {name: refs, type: SOURCE, parameters: {path: refs.csv, "
            + "schema: {ID: int64, NAME: string, SECTOR: string, N: int64}}}",
        "  - {name: j, type: HASH_JOIN, parameters: {left_key: id, right_key: ID, join_type: left}}",
        "  - {name: sel, type: SELECT, parameters: {columns: [id, sym, px, NAME, SECTOR, N]}}",
        "  - {name: out, type: SINK, parameters: {path: " + out + sinkParameters + "}}",
        "connect: [[quotes, j], [refs, j], [j, sel], [sel, out]]"));
    PhysicalPlan plan = JobPlanner.plan(JobFile.load(job));
    return new LocalExecutor(ExecutionOptions.defaults().withThreads(2)).run(plan);
  }

  private List<List<Object>> readBack(Path file) throws Exception {
    return readAll(new ArrowIpcSource("back", List.of(file)), allocator).rows();
  }

  private static Schema schemaOf(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return MessageSerializer.deserializeSchema(new ReadChannel(Channels.newChannel(in)));
    }
  }

  /** The dictionary batches of the stream, in order, as "id" (a delta would read "id+"). */
  private List<String> dictionaryBatches(Path file) throws Exception {
    List<String> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
         MessageChannelReader reader = new MessageChannelReader(
             new ReadChannel(Channels.newChannel(in)), allocator)) {
      MessageResult m;
      while ((m = reader.readNext()) != null) {
        try (var body = m.getBodyBuffer()) {
          if (m.getMessage().headerType() != MessageHeader.DictionaryBatch) continue;
          DictionaryBatch batch = (DictionaryBatch) m.getMessage().header(new DictionaryBatch());
          out.add(batch.id() + (batch.isDelta() ? "+" : ""));
        }
      }
    }
    return out;
  }

  @Test
  void shouldWriteReferenceStringsAsDictionariesAndReadBackThePlainRows() throws Exception {
    assertEquals(5, run("plain.arrow", "").rowsOut());
    assertEquals(5, run("dict.arrow", ", strings: dictionary").rowsOut());
    Path plain = dir.resolve("plain.arrow");
    Path dict = dir.resolve("dict.arrow");

    Map<String, DictionaryEncoding> encodings = new LinkedHashMap<>();
    for (Field f : schemaOf(dict).getFields()) encodings.put(f.getName(), f.getDictionary());
    assertEquals(List.of("id", "sym", "px", "NAME", "SECTOR", "N"), List.copyOf(encodings.keySet()));
    assertNull(encodings.get("sym"), "a stream string column stays plain");
    assertNull(encodings.get("N"), "only strings are encoded");
    for (String name : List.of("NAME", "SECTOR")) {
      DictionaryEncoding e = encodings.get(name);
      assertEquals(new ArrowType.Int(32, true), e.getIndexType(), name);
      assertEquals(ArrowType.Utf8.INSTANCE, schemaOf(dict).findField(name).getType(), name);
    }
    assertTrue(schemaOf(plain).getFields().stream().allMatch(f -> f.getDictionary() == null));
    assertEquals(List.of(encodings.get("NAME").getId() + "", encodings.get("SECTOR").getId() + ""),
        dictionaryBatches(dict), "one whole-column dictionary per column, before the batches");

    assertEquals(List.of("Acme", "Beta", "null", "Unused Corp"), dictionary(dict, encodings.get("NAME")),
        "the whole reference column, values no row uses included");

    assertEquals(ROWS, readBack(plain));
    assertEquals(ROWS, readBack(dict));
    assertEquals(ROWS, readWithArrow(dict));
  }

  /** The values of dictionary {@code encoding} as the first batch of {@code file} sees it. */
  private List<String> dictionary(Path file, DictionaryEncoding encoding) throws Exception {
    try (InputStream in = Files.newInputStream(file);
         ArrowStreamReader reader = new ArrowStreamReader(in, allocator)) {
      assertTrue(reader.loadNextBatch());
      FieldVector values = reader.lookup(encoding.getId()).getVector();
      List<String> out = new ArrayList<>();
      for (int i = 0; i < values.getValueCount(); i++) out.add(String.valueOf(values.getObject(i)));
      return out;
    }
  }

  /** Plain Arrow: every dictionary-encoded column decoded with the reader's dictionary. */
  private List<List<Object>> readWithArrow(Path file) throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
         ArrowStreamReader reader = new ArrowStreamReader(in, allocator)) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot loaded = reader.getVectorSchemaRoot();
        List<FieldVector> columns = new ArrayList<>();
        try {
          for (FieldVector v : loaded.getFieldVectors()) {
            DictionaryEncoding e = v.getField().getDictionary();
            columns.add(e == null ? v
                : (FieldVector) DictionaryEncoder.decode(v, reader.lookup(e.getId()), allocator));
          }
          rows.addAll(TestBatches.rows(new VectorSchemaRoot(columns)));
        } finally {
          for (FieldVector c : columns) {
            if (!loaded.getFieldVectors().contains(c)) c.close();
          }
        }
      }
    }
    return rows;
  }

  @Test
  void shouldAppendTwoDictionaryRunsToOneReadableStream() throws Exception {
    run("out.arrow", ", mode: append, strings: dictionary");
    Files.writeString(dir.resolve("quotes.csv"), "id,sym,px\n4,DDD,6.0\n2,BBB,7.0\n");
    Files.writeString(dir.resolve("refs.csv"), "ID,NAME,SECTOR,N\n2,Beta Two,bank,21\n4,Delta,,41\n");
    run("out.arrow", ", mode: append, strings: dictionary");

    Path out = dir.resolve("out.arrow");
    List<List<Object>> both = new ArrayList<>(ROWS);
    both.add(row(4L, "DDD", 6.0, "Delta", null, 41L));
    both.add(row(2L, "BBB", 7.0, "Beta Two", "bank", 21L));
    assertEquals(both, readBack(out), "each run's indexes read with its own dictionaries");
    assertEquals(both, readWithArrow(out));
    assertEquals(List.of("0", "1", "0", "1"), dictionaryBatches(out),
        "the second run replaces the dictionaries (not a delta) before its batches");
  }

  @Test
  void shouldAddNoDictionariesForARunWithoutRows() throws Exception {
    run("out.arrow", ", mode: append, strings: dictionary");
    Files.writeString(dir.resolve("quotes.csv"), "id,sym,px\n");
    assertEquals(0, run("out.arrow", ", mode: append, strings: dictionary").rowsOut());
    assertEquals(List.of("0", "1"), dictionaryBatches(dir.resolve("out.arrow")));
    assertEquals(ROWS, readBack(dir.resolve("out.arrow")));
  }

  @Test
  void shouldRefuseToAppendDictionaryStringsToAPlainStream() throws Exception {
    run("out.arrow", ", mode: append");
    JobExecutionException e = assertThrows(JobExecutionException.class,
        () -> run("out.arrow", ", mode: append, strings: dictionary"));
    assertEquals("Execution failed in operator out: file=" + dir.resolve("out.arrow")
        + " holds the columns this job writes, but its dictionary-encoded ones are none and this "
        + "job's are NAME, SECTOR; append with the strings: setting the file was written with "
        + "(only static reference tables' strings are encoded), or write to another path",
        e.getMessage());
    assertEquals(ROWS, readBack(dir.resolve("out.arrow")), "the file is left as it was");
  }
}
