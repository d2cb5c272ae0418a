package io.sabot.connect.memory;

import static io.sabot.testing.TestBatches.batch;
import static io.sabot.connect.ConnectorTestSupport.closeChecked;
import static io.sabot.connect.ConnectorTestSupport.read;
import static io.sabot.testing.TestBatches.row;
import static io.sabot.testing.TestBatches.rows;
import static io.sabot.testing.TestBatches.schema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ConnectorTestSupport.Read;
import io.sabot.connect.Connectors;
import io.sabot.connect.ReadContext;
import io.sabot.error.InvalidJobException;
import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobManager;
import io.sabot.exec.JobSummary;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemorySourceTest {
  private static final Schema ALL_TYPES = schema("id:int64", "name:string", "price:float64",
      "qty:int32", "ok:bool", "ts:timestamp");

  private RootAllocator registry;
  private RootAllocator job;

  @BeforeEach
  void setUp() {
    registry = new RootAllocator();
    job = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    for (String name : MemoryTables.names()) MemoryTables.unregister(name);
    closeChecked(job);
    closeChecked(registry);
  }

  private static List<List<Object>> allTypesRows(int from, int to) {
    List<List<Object>> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(row((long) i, i % 4 == 0 ? null : "name-" + i, i % 5 == 0 ? null : i * 1.5,
          i % 3 == 0 ? null : i, i % 2 == 0, i % 7 == 0 ? null : 1_700_000_000_000L + i));
    }
    return rows;
  }

  /** Registers rows [0,10), [10,10) (empty) and [10,25) as three batches. */
  private void registerAllTypes(String name) {
    MemoryTables.register(name, ALL_TYPES, List.of(batch(registry, ALL_TYPES, allTypesRows(0, 10)),
        batch(registry, ALL_TYPES, allTypesRows(10, 10)),
        batch(registry, ALL_TYPES, allTypesRows(10, 25))));
  }

  @Test
  void shouldReadRegisteredValuesUnchanged() throws Exception {
    registerAllTypes("t");
    MemorySource source = MemorySource.of("load_t", "t");
    assertEquals(ALL_TYPES, source.schema());
    Read r = read(source, ALL_TYPES, 1024, job);
    assertEquals(allTypesRows(0, 25), r.rows());
    assertEquals(List.of(10, 15), r.batchSizes(), "empty batches are skipped, others kept whole");
    assertEquals(0, job.getAllocatedMemory());
  }

  @Test
  void shouldReadOnlyTheProjectedColumns() throws Exception {
    registerAllTypes("t");
    Read r = read(MemorySource.of("load_t", "t"), schema("name:string", "ts:timestamp"), 1024, job);
    List<List<Object>> expected = new ArrayList<>();
    for (List<Object> row : allTypesRows(0, 25)) expected.add(row(row.get(1), row.get(5)));
    assertEquals(expected, r.rows());
  }

  @Test
  void shouldCutBatchesLargerThanTheJobBatchSize() throws Exception {
    registerAllTypes("t");
    Read r = read(MemorySource.of("load_t", "t"), ALL_TYPES, 4, job);
    assertEquals(List.of(4, 4, 2, 4, 4, 4, 3), r.batchSizes());
    assertEquals(allTypesRows(0, 25), r.rows());
  }

  @Test
  void shouldShareTheRegisteredBuffersInsteadOfCopyingThem() throws Exception {
    Schema s = schema("id:int64", "name:string");
    VectorSchemaRoot registered = batch(registry, s, List.of(row(1L, "a"), row(2L, "bb")));
    MemoryTables.register("t", s, List.of(registered));
    long registryBytes = registry.getAllocatedMemory();
    ReadContext context = new ReadContext(job, s, 1024, (p, pos, raw, why) -> {});
    try (BatchReader reader = MemorySource.of("load_t", "t").partitions().get(0).open(context);
         VectorSchemaRoot b = reader.next()) {
      assertEquals(registered.getVector(0).getDataBuffer().memoryAddress(),
          b.getVector(0).getDataBuffer().memoryAddress());
      assertEquals(registered.getVector(1).getDataBuffer().memoryAddress(),
          b.getVector(1).getDataBuffer().memoryAddress());
      assertEquals(registered.getVector(1).getOffsetBuffer().memoryAddress(),
          b.getVector(1).getOffsetBuffer().memoryAddress());
      assertEquals(registryBytes, registry.getAllocatedMemory(), "nothing allocated in the registry");
      assertNull(reader.next());
    }
  }

  @Test
  void shouldKeepBuffersValidUntilTheLastReaderLetsGo() throws Exception {
    registerAllTypes("t");
    ReadContext context = new ReadContext(job, ALL_TYPES, 1024, (p, pos, raw, why) -> {});
    BatchReader reader = MemorySource.of("load_t", "t").partitions().get(0).open(context);
    VectorSchemaRoot first = reader.next();
    assertTrue(MemoryTables.unregister("t"));
    assertFalse(MemoryTables.names().contains("t"));
    VectorSchemaRoot second = reader.next();
    reader.close();
    assertEquals(allTypesRows(0, 10), rows(first));
    assertEquals(allTypesRows(10, 25), rows(second));
    assertTrue(registry.getAllocatedMemory() > 0, "still referenced by the job's batches");
    first.close();
    second.close();
    assertEquals(0, registry.getAllocatedMemory());
  }

  @Test
  void shouldRejectAnUnknownTableBeforeReading() {
    registerAllTypes("quotes");
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> MemorySource.of("load_quotes", "qoutes"));
    assertEquals(List.of("operator=load_quotes parameter=memory value=qoutes is not a registered "
        + "memory table; registered: quotes"), e.problems());
  }

  @Test
  void shouldRejectBatchesThatDoNotMatchTheSchemaAndCloseThem() {
    List<VectorSchemaRoot> batches = List.of(batch(registry, schema("id:int32"), List.of(row(1))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MemoryTables.register("t", schema("id:int64"), batches));
    assertTrue(e.getMessage().startsWith("memory table name=t batch 0 column 0 is id Int(32, true)"),
        e.getMessage());
    assertEquals(0, registry.getAllocatedMemory());
    assertEquals(-1, MemoryTables.rows("t"));
  }

  @Test
  void shouldRefuseATakenName() {
    registerAllTypes("t");
    assertThrows(IllegalArgumentException.class, () -> registerAllTypes("t"));
    assertEquals(25, MemoryTables.rows("t"));
  }

  @Test
  void shouldRejectMemoryCombinedWithAFormat() {
    StreamOperatorNode node = new StreamOperatorNode(OperatorType.SOURCE, "load_t",
        Map.of("memory", "t", "format", "csv"));
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> Connectors.source(node, Path.of(".")));
    assertEquals(List.of("operator=load_t parameter=format is not a parameter of a memory source (a "
        + "memory table carries its schema); accepted: memory, on_error, rejects_path, batch_size"),
        e.problems());
  }

  /**
   * The securities arrive in three batches, so building the reference table appends to the first
   * one; the registered batches must still hold what they held, run after run.
   */
  @Test
  void shouldLeaveRegisteredDataIntactAfterSeveralJobs(@TempDir Path dir) throws Exception {
    Schema quotesSchema = schema("instrumentId:int64", "price:float64");
    Schema securitiesSchema = schema("ID:int64", "NAME:string", "SECTOR:string");
    List<List<Object>> quotes = new ArrayList<>();
    for (int i = 0; i < 3000; i++) quotes.add(row((long) (i * 7 % 130), (double) (i % 200)));
    List<List<Object>> securities = new ArrayList<>();
    for (int i = 0; i < 120; i++) securities.add(row((long) i, "SEC" + i, i % 3 == 0 ? null : "S" + (i % 5)));
    MemoryTables.register("quotes", quotesSchema, List.of(batch(registry, quotesSchema,
        quotes.subList(0, 1000)), batch(registry, quotesSchema, quotes.subList(1000, 3000))));
    MemoryTables.register("securities", securitiesSchema, List.of(
        batch(registry, securitiesSchema, securities.subList(0, 50)),
        batch(registry, securitiesSchema, securities.subList(50, 51)),
        batch(registry, securitiesSchema, securities.subList(51, 120))));
    long registryBytes = registry.getAllocatedMemory();

    StringBuilder expected = new StringBuilder("instrumentId,price,NAME,SECTOR\n");
    for (List<Object> q : quotes) {
      long id = (Long) q.get(0);
      if ((Double) q.get(1) > 100 && id < 120) {
        List<Object> s = securities.get((int) id);
        expected.append(id).append(',').append(q.get(1)).append(',').append(s.get(1)).append(',')
            .append(s.get(2) == null ? "" : s.get(2)).append('\n');
      }
    }
    for (int run = 0; run < 3; run++) {
      Path out = dir.resolve("out" + run + ".csv");
      JobSummary summary = new JobManager(ExecutionOptions.defaults().withThreads(2))
          .submitJob(enrichment(out)).summary();
      assertEquals(3000, summary.streamRowsIn());
      assertEquals(expected.toString(), Files.readString(out), "run " + run);
      assertEquals(registryBytes, registry.getAllocatedMemory(), "run " + run);
    }
    Read q = read(MemorySource.of("check", "quotes"), quotesSchema, 1 << 20, job);
    Read s = read(MemorySource.of("check", "securities"), securitiesSchema, 1 << 20, job);
    assertEquals(quotes, q.rows());
    assertEquals(securities, s.rows());
  }

  private static JobGraph enrichment(Path out) {
    JobGraph g = new JobGraph("memory_enrichment");
    g.addOperator(new StreamOperatorNode(OperatorType.SOURCE, "quotes", Map.of("memory", "quotes",
        "batch_size", 700)));
    g.addOperator(new StreamOperatorNode(OperatorType.FILTER, "expensive",
        Map.of("column", "price", "operator", ">", "value", 100)));
    g.addOperator(new StreamOperatorNode(OperatorType.SOURCE, "securities",
        Map.of("memory", "securities")));
    g.addOperator(new StreamOperatorNode(OperatorType.HASH_JOIN, "enrich",
        Map.of("left_key", "instrumentId", "right_key", "ID", "join_type", "inner")));
    g.addOperator(new StreamOperatorNode(OperatorType.SINK, "out",
        Map.of("path", out.toString(), "format", "csv")));
    g.connect("quotes", "expensive");
    g.connect("expensive", "enrich");
    g.connect("securities", "enrich");
    g.connect("enrich", "out");
    return g;
  }
}
