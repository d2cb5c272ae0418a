package io.sabot.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.exec.ExecutionOptions;
import io.sabot.exec.JobSummary;
import io.sabot.exec.LocalExecutor;
import io.sabot.exec.SteppedChangelog.Step;
import io.sabot.exec.SteppedChangelog;
import io.sabot.exec.StopSignal;
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
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A live reference table that changes before every stream batch (upserts, deletes, now and then
 * a row whose join key another changelog key holds, which on_duplicate decides and no table can
 * take in place), joined once with {@code state_backend: memory} and once kept in RocksDB: the
 * output rows must be the same, row for row. The memory run is itself checked against a model in
 * sabot-core's {@code LiveUpdatesInPlaceTest}; here it is the reference. The stream is read by a
 * reader ahead of two workers, so a store whose lookups read the store as it is now (not the
 * snapshot pinned with their batch) would see later steps and differ.
 */
class LiveStoreMatchesMemoryTest {
  private static final int BATCH = 250;
  private static final int QUOTES = 12_000;
  private static final int KEYS = 200;

  @TempDir Path dir;

  /** The changelog's columns: CK (its key), ID, SYM, NAME, TIER. */
  private static final Schema SCHEMA = Schema.of(new Field("CK", ColumnType.INT64),
      new Field("ID", ColumnType.INT64), new Field("SYM", ColumnType.STRING),
      new Field("NAME", ColumnType.STRING), new Field("TIER", ColumnType.INT64));

  @ParameterizedTest(name = "{0} key, {1}, filtered {2}, on_duplicate {3}, {4}")
  @CsvSource({
      "int64,inner,false,last,rocksdb",
      "int64,left outer,true,last,rocksdb",
      "int64,left outer,false,all,auto",
      "int64,inner,true,first,auto",
      "string,inner,true,first,rocksdb",
      "string,left outer,false,last,rocksdb",
      "composite,inner,false,last,rocksdb",
      "composite,left outer,true,all,rocksdb"})
  void shouldWriteTheRowsOfAMemoryTableWhileTheTableChangesBeforeEveryBatch(String key,
      String joinType, boolean filtered, String onDuplicate, String backend) throws Exception {
    List<Step> steps = steps(11, key, QUOTES / BATCH + 5);
    writeQuotes(key);
    JobSummary memory = run("memory", key, joinType, filtered, onDuplicate, "memory", steps);
    JobSummary stored = run("stored", key, joinType, filtered, onDuplicate, backend, steps);
    List<String> expected = Files.readAllLines(dir.resolve("memory.csv"));
    List<String> actual = Files.readAllLines(dir.resolve("stored.csv"));
    assertTrue(expected.size() > QUOTES / 4, "the join matches: " + expected.size() + " rows");
    assertSameLines(expected, actual);

    Map<String, Object> d = stored.operator("enrich").details();
    assertTrue(String.valueOf(d.get("state_backend")).startsWith("rocksdb"), d.toString());
    assertTrue((Long) d.get("reference_rows_changed_in_place") > 0, d.toString());
    assertTrue((Long) d.get("reference_rebuilds") > 1, "some steps were reloads: " + d);
    assertTrue(d.containsKey("block_cache_hit_rate"), d.toString());
    Map<String, Object> m = memory.operator("enrich").details();
    assertEquals(m.get("reference_versions"), d.get("reference_versions"), "a version per step");
    assertEquals(m.get("matched"), d.get("matched"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"int64", "composite"})
  void shouldKeepALiveTableWithinItsBudgetInMemoryUnderAuto(String key) throws Exception {
    List<Step> steps = steps(5, key, QUOTES / BATCH + 5);
    writeQuotes(key);
    JobSummary memory = run("memory", key, "inner", false, "last", "memory", steps);
    JobSummary auto = run("auto", key, "inner", false, "last", "auto-1g", steps);
    assertSameLines(Files.readAllLines(dir.resolve("memory.csv")),
        Files.readAllLines(dir.resolve("auto.csv")));
    Map<String, Object> d = auto.operator("enrich").details();
    assertTrue(String.valueOf(d.get("state_backend")).startsWith("memory (auto:"), d.toString());
    assertEquals(memory.operator("enrich").details().get("reference_versions"), d.get("reference_versions"), d.toString());
  }

  private static void assertSameLines(List<String> expected, List<String> actual) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), "line " + (i + 1));
    }
    assertEquals(expected.size(), actual.size(), "lines");
  }

  /** The join key columns of changelog row {@code id}: ID, and SYM (null: the key has none). */
  private static String sym(String key, long id) {
    return key.equals("int64") ? null : key.equals("string") ? "s" + id : "s" + (id % 10);
  }

  private static Map<Long, Object[]> initial(String key) {
    Map<Long, Object[]> rows = new HashMap<>();
    for (long ck = 0; ck < KEYS; ck++) rows.put(ck, new Object[] {ck, ck, sym(key, ck), "name" + ck, ck % 4});
    return rows;
  }

  private static List<Step> steps(long seed, String key, int count) {
    Random random = new Random(seed);
    List<Step> steps = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      Map<Long, Object[]> upserts = new TreeMap<>();
      List<Long> deletes = new ArrayList<>();
      int changes = random.nextInt(8); // some steps change nothing
      for (int c = 0; c < changes; c++) {
        long ck = random.nextInt(KEYS + 10);
        if (random.nextInt(5) == 0) {
          deletes.add(ck);
          upserts.remove(ck);
          continue;
        }
        // now and then another key's join key: a duplicate, or a key moving
        long id = random.nextInt(30) == 0 ? random.nextInt(KEYS + 10) : ck;
        String name = random.nextInt(20) == 0 ? null : "n" + s + "-" + ck;
        upserts.put(ck, new Object[] {ck, id, sym(key, id), name, (long) random.nextInt(4)});
        deletes.remove(ck);
      }
      steps.add(new Step(upserts, deletes));
    }
    return steps;
  }

  /** quotes.jsonl: id drawn from [0, KEYS + 10), a null id now and then, ts = row number. */
  private void writeQuotes(String key) throws Exception {
    Random random = new Random(42);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < QUOTES; i++) {
      long id = random.nextInt(KEYS + 10);
      String idJson = random.nextInt(50) == 0 ? "null" : String.valueOf(id);
      String sym = sym(key, random.nextInt(40) == 0 ? id + 1 : id);
      sb.append("{\"id\": ").append(idJson).append(", \"sym\": ")
          .append(sym == null ? "null" : "\"" + sym + "\"").append(", \"ts\": ").append(i).append("}\n");
    }
    Files.writeString(dir.resolve("quotes.jsonl"), sb);
  }

  private JobSummary run(String name, String key, String joinType, boolean filtered,
                         String onDuplicate, String backend, List<Step> steps) throws Exception {
    Path refs = dir.resolve("refs.jsonl");
    Files.writeString(refs, "{\"CK\": 0, \"ID\": 0, \"SYM\": \"x\", \"NAME\": \"x\", \"TIER\": 0}\n");
    String left = key.equals("int64") ? "id" : key.equals("string") ? "sym" : "[sym, id]";
    String right = key.equals("int64") ? "ID" : key.equals("string") ? "SYM" : "[SYM, ID]";
    Path job = dir.resolve(name + ".yaml");
    Files.writeString(job, String.join("\n",
        "job_name: live_store_" + name,
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {path: " + dir.resolve("quotes.jsonl")
            + ", format: jsonl, batch_size: " + BATCH + ", schema: {id: int64, sym: string, ts: int64}}}",
        "  - {name: refs, type: SOURCE, parameters: {path: " + refs + ", format: jsonl, "
            + "schema: {CK: int64, ID: int64, SYM: string, NAME: string, TIER: int64}}}",
        "  - name: enrich",
        "    type: HASH_JOIN",
        "    parameters:",
        "      left_key: " + left,
        "      right_key: " + right,
        "      join_type: " + joinType,
        "      on_duplicate: " + onDuplicate,
        filtered ? "      reference_filter: {column: TIER, operator: '>=', value: 1}" : "",
        // auto: a budget of 1 byte moves the table to RocksDB at its first batch; auto-1g keeps it
        "      state_backend: " + backend.replace("-1g", ""),
        backend.startsWith("auto") ? "      memory_budget: " + (backend.equals("auto") ? "1" : "1g") : "",
        "  - {name: out, type: SINK, parameters: {path: " + dir.resolve(name + ".csv") + "}}",
        "connect: [[quotes, enrich], [refs, enrich], [enrich, out]]"));
    PhysicalPlan plan = SteppedChangelog.withReference(JobPlanner.plan(JobFile.load(job)),
        new SteppedChangelog(SCHEMA, initial(key), steps, true));
    return new LocalExecutor(new ExecutionOptions(2, 1L << 30, null, Duration.ofMillis(20),
        new StopSignal())).run(plan);
  }
}
