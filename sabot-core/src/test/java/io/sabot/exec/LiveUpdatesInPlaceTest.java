package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ChangelogSource;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReferenceFeed;
import io.sabot.connect.SourcePartition;
import io.sabot.graph.JobFile;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PhysicalPlan;
import io.sabot.plan.PipelinePlan;
import io.sabot.plan.ReferenceBuild;
import io.sabot.plan.SinkPlan;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A live reference table changed before every stream batch, three ways that must agree row for
 * row: changes applied in place (the feed tells its changes), the table rebuilt from a snapshot
 * at each change (the same feed, telling none), and a model written here that joins each quote
 * with the table as it was when its batch was read (batch k sees the first k + 1 steps).
 */
class LiveUpdatesInPlaceTest {
  private static final int BATCH = 500;
  private static final int QUOTES = 20_000;
  private static final int KEYS = 100; // the generator's quotes draw instrumentId from [0, 105)
  private static final long TS0 = 1_700_000_000_000L;

  @TempDir Path dir;

  /** One step of the changelog: upserts (ID -> NAME, TIER) and deleted IDs. */
  private record Step(Map<Long, Object[]> upserts, List<Long> deletes) {}

  /** Steps of up to {@code most} changes each (some change nothing). */
  private static List<Step> steps(long seed, int count, int most) {
    Random random = new Random(seed);
    List<Step> steps = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      Map<Long, Object[]> upserts = new TreeMap<>();
      List<Long> deletes = new ArrayList<>();
      int changes = random.nextInt(most + 1);
      for (int c = 0; c < changes; c++) {
        long id = random.nextInt(KEYS + 5);
        if (random.nextInt(5) == 0) {
          deletes.add(id);
          upserts.remove(id);
        } else {
          upserts.put(id, new Object[] {"n" + s + "-" + id, (long) random.nextInt(4)});
          deletes.remove(id);
        }
      }
      steps.add(new Step(upserts, deletes));
    }
    return steps;
  }

  @ParameterizedTest
  @CsvSource({"inner,false", "left outer,false", "inner,true", "left outer,true"})
  void shouldJoinEachBatchWithTheTableAsOfItsStepWhetherChangedInPlaceOrRebuilt(String joinType,
      boolean filtered) throws Exception {
    List<Step> steps = steps(7, QUOTES / BATCH + 5, 5);
    JobSummary inPlace = run("in-place", joinType, filtered, steps, true, BATCH);
    JobSummary rebuilt = run("rebuilt", joinType, filtered, steps, false, BATCH);
    List<String> a = Files.readAllLines(dir.resolve("in-place.csv"));
    List<String> b = Files.readAllLines(dir.resolve("rebuilt.csv"));
    assertSameLines(b, a, "changes applied in place, against rebuilds");
    assertSameLines(expected(steps, joinType, filtered, BATCH), names(a), "the engine, against the model");

    Map<String, Object> d = inPlace.operator("enrich").details();
    assertEquals(1L, d.get("reference_rebuilds"), d.toString());
    assertTrue((Long) d.get("reference_rows_changed_in_place") > 0, d.toString());
    Map<String, Object> r = rebuilt.operator("enrich").details();
    assertEquals(r.get("reference_versions"), r.get("reference_rebuilds"), r.toString());
    assertEquals(d.get("reference_versions"), r.get("reference_versions"), "a version per changed step");
    assertEquals(d.get("reference_rows"), r.get("reference_rows"));
  }

  /** Equal lists, or a failure naming the first line that differs (not a million-line dump). */
  private static void assertSameLines(List<String> expected, List<String> actual, String what) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), what + ": line " + (i + 1));
    }
    assertEquals(expected.size(), actual.size(), what + ": lines");
  }

  /**
   * Thousands of changes to a 100-row table: its room (4,096 rows) is half used again and again,
   * so it is rebuilt on the rebuild thread while changes go on (kept and applied again to the new
   * table), and sometimes used up before a rebuild is done; the rows still agree.
   */
  @ParameterizedTest
  @CsvSource({"inner,false", "left outer,true"})
  void shouldAgreeWhileTheTableIsRebuiltInTheBackground(String joinType, boolean filtered)
      throws Exception {
    int batch = 100;
    List<Step> steps = steps(11, QUOTES / batch + 5, 400);
    JobSummary inPlace = run("in-place", joinType, filtered, steps, true, batch);
    run("rebuilt", joinType, filtered, steps, false, batch);
    List<String> a = Files.readAllLines(dir.resolve("in-place.csv"));
    assertSameLines(Files.readAllLines(dir.resolve("rebuilt.csv")), a, "in place, against rebuilds");
    assertSameLines(expected(steps, joinType, filtered, batch), names(a), "the engine, against the model");
    Map<String, Object> d = inPlace.operator("enrich").details();
    long background = (Long) d.get("reference_background_rebuilds");
    assertTrue(background >= 2, d.toString());
    assertTrue((Long) d.get("reference_rebuilds") < 10, "tables rebuilt on the stream's path: " + d);
  }

  /** Per output row: "instrumentId,ts,NAME" (NAME empty for no match), in ts order. */
  private static List<String> names(List<String> csv) {
    List<String> out = new ArrayList<>();
    List<String> header = List.of(csv.get(0).split(","));
    int id = header.indexOf("instrumentId");
    int ts = header.indexOf("ts");
    int name = header.indexOf("NAME");
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",", -1);
      out.add(f[id] + "," + f[ts] + "," + f[name]);
    }
    return out;
  }

  /** The model: the generator's quotes (docs/workload.md), each joined with its batch's table. */
  private static List<String> expected(List<Step> steps, String joinType, boolean filtered,
                                       int batchSize) {
    Map<Long, Object[]> table = initial();
    SplittableRandom random = new SplittableRandom(42);
    List<String> out = new ArrayList<>();
    int applied = 0;
    for (int i = 0; i < QUOTES; i++) {
      long instrumentId = random.nextLong(KEYS + KEYS / 20);
      random.nextDouble();
      random.nextLong(10_000);
      int batch = i / batchSize;
      while (applied <= batch && applied < steps.size()) apply(table, steps.get(applied++));
      Object[] row = table.get(instrumentId);
      boolean visible = row != null && (!filtered || (Long) row[1] >= 1);
      if (visible) {
        out.add(instrumentId + "," + (TS0 + i) + "," + row[0]);
      } else if (joinType.equals("left outer")) {
        out.add(instrumentId + "," + (TS0 + i) + ",");
      }
    }
    return out;
  }

  private static Map<Long, Object[]> initial() {
    Map<Long, Object[]> table = new HashMap<>();
    for (long id = 0; id < KEYS; id++) table.put(id, new Object[] {"name" + id, id % 4});
    return table;
  }

  private static void apply(Map<Long, Object[]> table, Step step) {
    step.deletes().forEach(table::remove);
    table.putAll(step.upserts());
  }

  private JobSummary run(String name, String joinType, boolean filtered, List<Step> steps,
                         boolean tellsChanges, int batch) throws Exception {
    Path securities = dir.resolve("securities.jsonl");
    Files.writeString(securities, "{\"ID\": 0, \"NAME\": \"placeholder\", \"TIER\": 0}\n");
    Path job = dir.resolve(name + ".yaml");
    Files.writeString(job, String.join("\n",
        "job_name: live_" + name.replace('-', '_'),
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {generator: quotes, rows: " + QUOTES
            + ", reference_rows: " + KEYS + ", batch_size: " + batch + "}}",
        "  - {name: securities, type: SOURCE, parameters: {path: " + securities
            + ", format: jsonl, schema: {ID: int64, NAME: string, TIER: int64}}}",
        "  - name: enrich",
        "    type: HASH_JOIN",
        "    parameters:",
        "      left_key: instrumentId",
        "      right_key: ID",
        "      join_type: " + joinType,
        filtered ? "      reference_filter: {column: TIER, operator: '>=', value: 1}" : "",
        "  - {name: out, type: SINK, parameters: {path: " + name + ".csv}}",
        "connect: [[quotes, enrich], [securities, enrich], [enrich, out]]"));
    PhysicalPlan plan = JobPlanner.plan(JobFile.load(job));
    SinkPlan sink = plan.sinks().get(0);
    PipelinePlan stream = sink.stream();
    List<ReferenceBuild> builds = new ArrayList<>();
    for (ReferenceBuild b : stream.builds()) {
      PipelinePlan in = b.input();
      PipelinePlan live = new PipelinePlan(in.sourceNode(), new SteppedChangelog(steps, tellsChanges),
          in.readColumns(), in.onError(), in.rejectsPath(), in.batchSize(), in.builds(), in.pipeline(),
          in.operators());
      builds.add(new ReferenceBuild(b.join(), live, b.keyColumns(), b.onDuplicate(), b.referenceFilter(),
          b.probe()));
    }
    PipelinePlan withLive = new PipelinePlan(stream.sourceNode(), stream.source(), stream.readColumns(),
        stream.onError(), stream.rejectsPath(), stream.batchSize(), builds, stream.pipeline(),
        stream.operators());
    PhysicalPlan live = new PhysicalPlan(plan.graph(),
        List.of(new SinkPlan(sink.sinkNode(), sink.sink(), withLive)), plan.schemas());
    return new LocalExecutor(new ExecutionOptions(2, 1L << 30, null, Duration.ofMillis(20),
        new StopSignal())).run(live);
  }

  /**
   * A changelog of ID, NAME, TIER: {@link #initial()} at open, then one step per poll (the
   * executor polls once before each stream batch). With {@code tellsChanges} false it answers
   * {@link #changes()} with null, so the executor rebuilds the table at each change.
   */
  private static final class SteppedChangelog implements ChangelogSource {
    private static final Schema SCHEMA = Schema.of(new Field("ID", ColumnType.INT64),
        new Field("NAME", ColumnType.STRING), new Field("TIER", ColumnType.INT64));
    private final List<Step> steps;
    private final boolean tellsChanges;

    SteppedChangelog(List<Step> steps, boolean tellsChanges) {
      this.steps = steps;
      this.tellsChanges = tellsChanges;
    }

    @Override
    public Schema schema() {
      return SCHEMA;
    }

    @Override
    public List<SourcePartition> partitions() {
      throw new UnsupportedOperationException("only a reference input here");
    }

    @Override
    public String describe() {
      return "a stepped changelog";
    }

    @Override
    public ReferenceFeed openFeed(ReadContext context) {
      return new ReferenceFeed() {
        private final Map<Long, Object[]> rows = initial();
        private Map<Long, Object[]> told = new HashMap<>(rows);
        private int applied;

        @Override
        public BatchReader snapshot() {
          told = new HashMap<>(rows);
          return reader(context, new TreeMap<>(rows));
        }

        @Override
        public boolean poll() {
          if (applied == steps.size()) return false;
          Step step = steps.get(applied++);
          apply(rows, step);
          return !step.upserts().isEmpty() || !step.deletes().isEmpty();
        }

        @Override
        public Changes changes() {
          if (!tellsChanges) return null;
          Map<Long, Object[]> removed = new TreeMap<>();
          Map<Long, Object[]> added = new TreeMap<>();
          for (Map.Entry<Long, Object[]> e : told.entrySet()) {
            Object[] now = rows.get(e.getKey());
            if (now == null || !java.util.Arrays.equals(now, e.getValue())) removed.put(e.getKey(), e.getValue());
          }
          for (Map.Entry<Long, Object[]> e : rows.entrySet()) {
            Object[] then = told.get(e.getKey());
            if (then == null || !java.util.Arrays.equals(then, e.getValue())) added.put(e.getKey(), e.getValue());
          }
          told = new HashMap<>(rows);
          return new Changes(reader(context, removed), reader(context, added));
        }

        @Override
        public Map<String, Object> stats() {
          return new LinkedHashMap<>(Map.of("steps_applied", (long) applied));
        }

        @Override
        public void close() {}
      };
    }

    /** The rows as one batch of the context's columns. */
    private static BatchReader reader(ReadContext context, Map<Long, Object[]> rows) {
      return new BatchReader() {
        private boolean done;

        @Override
        public VectorSchemaRoot next() {
          if (done) return null;
          done = true;
          VectorSchemaRoot b = context.columns().newBatch(context.allocator());
          b.allocateNew();
          int i = 0;
          for (Map.Entry<Long, Object[]> e : rows.entrySet()) {
            for (int c = 0; c < context.columns().size(); c++) {
              String column = context.columns().field(c).name();
              switch (column) {
                case "ID" -> ((BigIntVector) b.getVector(c)).setSafe(i, e.getKey());
                case "NAME" -> ((VarCharVector) b.getVector(c)).setSafe(i,
                    ((String) e.getValue()[0]).getBytes(StandardCharsets.UTF_8));
                case "TIER" -> ((BigIntVector) b.getVector(c)).setSafe(i, (Long) e.getValue()[1]);
                default -> throw new AssertionError("column " + column);
              }
            }
            i++;
          }
          b.setRowCount(i);
          return b;
        }

        @Override
        public void close() {}
      };
    }
  }
}
