package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.exec.SteppedChangelog.Step;
import io.sabot.graph.JobFile;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PhysicalPlan;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
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

  private static final Schema SCHEMA = Schema.of(new Field("ID", ColumnType.INT64),
      new Field("NAME", ColumnType.STRING), new Field("TIER", ColumnType.INT64));

  @TempDir Path dir;

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
          upserts.put(id, new Object[] {id, "n" + s + "-" + id, (long) random.nextInt(4)});
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
    assertTrue((Long) d.get("reference_background_rebuild_ms") >= 0, d.toString());
    assertTrue((Long) d.get("reference_rebuilds") < 10, "tables rebuilt on the stream's path: " + d);
  }

  /**
   * A SELECT on the securities: one that takes their columns as they are (the optimizer narrows
   * the source to them) lets the table take the feed's rows without running its pipeline, one
   * that reorders them does not; both agree with the model, in place and rebuilt in the
   * background, and the SELECT counts every row the table took either way.
   */
  @ParameterizedTest
  @CsvSource({"'ID, NAME, TIER',inner,false", "'ID, NAME, TIER',left outer,true",
      "'TIER, NAME, ID',inner,true", "'NAME, ID',left outer,false"})
  void shouldAgreeWithASelectOnTheReferenceSide(String select, String joinType, boolean filtered)
      throws Exception {
    if (filtered && !select.contains("TIER")) return;
    int batch = 100;
    List<Step> steps = steps(17, QUOTES / batch + 5, 400);
    JobSummary summary = run("selected", joinType, filtered, steps, true, batch, 0, 0, select);
    assertSameLines(expected(steps, joinType, filtered, batch),
        names(Files.readAllLines(dir.resolve("selected.csv"))), "with SELECT " + select);
    Map<String, Object> d = summary.operator("enrich").details();
    assertTrue((Long) d.get("reference_background_rebuilds") >= 1, d.toString());
    long rowsChanged = (Long) d.get("reference_rows_changed_in_place");
    assertTrue(rowsChanged > 1_000, d.toString());
    // the first build's rows, and every row of every step (removed and added) went through pick
    assertTrue(summary.operator("pick").rowsIn() >= KEYS + rowsChanged,
        summary.operator("pick") + " / " + d);
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
      while (applied <= batch && applied < steps.size()) steps.get(applied++).applyTo(table);
      Object[] row = table.get(instrumentId);
      boolean visible = row != null && (!filtered || (Long) row[2] >= 1);
      if (visible) {
        out.add(instrumentId + "," + (TS0 + i) + "," + row[1]);
      } else if (joinType.equals("left outer")) {
        out.add(instrumentId + "," + (TS0 + i) + ",");
      }
    }
    return out;
  }

  private static Map<Long, Object[]> initial() {
    Map<Long, Object[]> table = new HashMap<>();
    for (long id = 0; id < KEYS; id++) table.put(id, new Object[] {id, "name" + id, id % 4});
    return table;
  }

  /**
   * reference_refresh_ms: the table takes its changes on a thread of its own, the first time one
   * interval after it was built. With a minute, a job done in well under one never sees a change:
   * every batch joins the table as it was built, and no other version is made.
   */
  @ParameterizedTest
  @CsvSource({"inner,false", "left outer,true"})
  void shouldTakeNoChangeBeforeTheFirstRefreshInterval(String joinType, boolean filtered)
      throws Exception {
    List<Step> steps = steps(7, QUOTES / BATCH + 5, 5);
    JobSummary paced = run("paced", joinType, filtered, steps, true, BATCH, 60_000);
    assertSameLines(expected(List.of(), joinType, filtered, BATCH),
        names(Files.readAllLines(dir.resolve("paced.csv"))), "every batch as the table was built");
    assertEquals(1L, paced.operator("enrich").details().get("reference_versions"));
  }

  /**
   * With a short reference_refresh_ms the refresher thread takes the steps while the stream runs,
   * at its own pace: which step a batch sees depends on timing, but each batch must join one
   * whole step (never half of one) and no batch an older step than the batch before it.
   */
  @ParameterizedTest
  @CsvSource({"inner,false,true", "left outer,true,true", "inner,true,false"})
  void shouldJoinEachBatchWithOneStepNoOlderThanTheLastWhenRefreshedOnItsOwnThread(
      String joinType, boolean filtered, boolean tellsChanges) throws Exception {
    int batch = 100;
    List<Step> steps = steps(13, 60, 20);
    JobSummary paced = run("refreshed", joinType, filtered, steps, tellsChanges, batch, 1);
    Map<Integer, List<String>> byBatch = new TreeMap<>();
    for (String line : names(Files.readAllLines(dir.resolve("refreshed.csv")))) {
      long ts = Long.parseLong(line.split(",")[1]);
      byBatch.computeIfAbsent((int) ((ts - TS0) / batch), b -> new ArrayList<>()).add(line);
    }
    int step = 0; // the step the batch before saw (0: none yet)
    for (int b = 0; b < QUOTES / batch; b++) {
      List<String> actual = byBatch.getOrDefault(b, List.of());
      int seen = step;
      while (seen <= steps.size()
          && !expectedBatch(steps.subList(0, seen), joinType, filtered, batch, b).equals(actual)) {
        seen++;
      }
      assertTrue(seen <= steps.size(), "batch " + b + " joins no step from " + step + " on: " + actual);
      step = seen;
    }
    assertTrue(step > 0, "no batch saw a step: the reader never pinned a version the refresher "
        + "published; " + paced.operator("enrich").details());
    // the refresher's thread took CPU time for the steps it applied (HotSpot measures it)
    assertTrue((Long) paced.operator("enrich").details().get("reference_refresher_cpu_ms") >= 0,
        paced.operator("enrich").details().toString());
  }

  /**
   * A refresher that cannot read the changelog fails the job with the changelog's error, whether
   * a later batch meets it (at its pin) or the stream has ended first (closing the table).
   */
  @Test
  void shouldFailTheJobWhenTheRefresherCannotReadTheChangelog() {
    List<Step> steps = steps(13, 1_000, 1);
    Exception e = assertThrows(Exception.class,
        () -> run("broken", "inner", false, steps, true, 100, 1, 3));
    StringBuilder chain = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) chain.append(t).append(" / ");
    assertTrue(chain.toString().contains("the reference table of operator=enrich stopped taking "
        + "changes from its changelog: the stepped changelog broke at poll 3"), chain.toString());
  }

  /** The model's lines of batch {@code b}, joined with the table after all of {@code steps}. */
  private static List<String> expectedBatch(List<Step> steps, String joinType, boolean filtered,
                                            int batchSize, int b) {
    Map<Long, Object[]> table = initial();
    steps.forEach(step -> step.applyTo(table));
    long[] ids = instrumentIds();
    List<String> out = new ArrayList<>();
    for (int i = b * batchSize; i < Math.min(ids.length, (b + 1) * batchSize); i++) {
      Object[] row = table.get(ids[i]);
      if (row != null && (!filtered || (Long) row[2] >= 1)) {
        out.add(ids[i] + "," + (TS0 + i) + "," + row[1]);
      } else if (joinType.equals("left outer")) {
        out.add(ids[i] + "," + (TS0 + i) + ",");
      }
    }
    return out;
  }

  /** The generator's instrumentId of each quote, in order (docs/workload.md). */
  private static long[] instrumentIds() {
    SplittableRandom random = new SplittableRandom(42);
    long[] ids = new long[QUOTES];
    for (int i = 0; i < QUOTES; i++) {
      ids[i] = random.nextLong(KEYS + KEYS / 20);
      random.nextDouble();
      random.nextLong(10_000);
    }
    return ids;
  }

  private JobSummary run(String name, String joinType, boolean filtered, List<Step> steps,
                         boolean tellsChanges, int batch) throws Exception {
    return run(name, joinType, filtered, steps, tellsChanges, batch, 0);
  }

  private JobSummary run(String name, String joinType, boolean filtered, List<Step> steps,
                         boolean tellsChanges, int batch, long refreshMs) throws Exception {
    return run(name, joinType, filtered, steps, tellsChanges, batch, refreshMs, 0);
  }

  private JobSummary run(String name, String joinType, boolean filtered, List<Step> steps,
                         boolean tellsChanges, int batch, long refreshMs, int failingPoll)
      throws Exception {
    return run(name, joinType, filtered, steps, tellsChanges, batch, refreshMs, failingPoll, null);
  }

  /** As above; {@code select} (null: none), the columns a SELECT named pick takes of the securities. */
  private JobSummary run(String name, String joinType, boolean filtered, List<Step> steps,
                         boolean tellsChanges, int batch, long refreshMs, int failingPoll,
                         String select) throws Exception {
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
        refreshMs > 0 ? "      reference_refresh_ms: " + refreshMs : "",
        "  - {name: out, type: SINK, parameters: {path: " + name + ".csv}}",
        select == null ? "" : "  - {name: pick, type: SELECT, parameters: {columns: [" + select + "]}}",
        select == null ? "connect: [[quotes, enrich], [securities, enrich], [enrich, out]]"
            : "connect: [[quotes, enrich], [securities, pick], [pick, enrich], [enrich, out]]"));
    PhysicalPlan plan = SteppedChangelog.withReference(JobPlanner.plan(JobFile.load(job)),
        new SteppedChangelog(SCHEMA, initial(), steps, tellsChanges, failingPoll));
    return new LocalExecutor(new ExecutionOptions(2, 1L << 30, null, Duration.ofMillis(20),
        new StopSignal())).run(plan);
  }
}
