package io.sabot.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sabot.error.InvalidJobException;
import io.sabot.graph.JobFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every plan error JobPlanner and JoinLowering raise, each with its exact message, and several
 * problems reported at once. The sources are CSV files with a declared schema, so every column
 * type is at hand: {@code quotes} (the stream), {@code refs} and {@code sectors} (references).
 */
class JobPlannerErrorsTest {
  private static final String QUOTES = "  - {name: quotes, type: SOURCE, parameters: {path: quotes.csv, "
      + "schema: {id: int64, sym: string, px: float64, qty: int32, ts: timestamp, live: bool}}}\n";
  private static final String REFS = "  - {name: refs, type: SOURCE, parameters: {path: refs.csv, "
      + "schema: {ID: int64, SYM: string, PX: float64, SECTOR: string, N: int32}}}\n";
  private static final String SECTORS = "  - {name: sectors, type: SOURCE, parameters: {path: "
      + "sectors.csv, schema: {SECTOR: string, ID: int64, NAME: string}}}\n";
  private static final String OUT = "  - {name: out, type: SINK, parameters: {discard: true}}\n";
  private static final String QUOTE_COLUMNS = "id, sym, px, qty, ts, live";
  private static final String REF_COLUMNS = "ID, SYM, PX, SECTOR, N";

  @TempDir Path dir;

  @BeforeEach
  void data() throws Exception {
    Files.writeString(dir.resolve("quotes.csv"), "id,sym,px,qty,ts,live\n1,A,1.5,10,0,true\n");
    Files.writeString(dir.resolve("refs.csv"), "ID,SYM,PX,SECTOR,N\n1,A,1.5,tech,3\n");
    Files.writeString(dir.resolve("sectors.csv"), "SECTOR,ID,NAME\ntech,1,Technology\n");
  }

  // ---- sources ------------------------------------------------------------------------------

  @Test
  void shouldRefuseAnUnknownOnError() throws Exception {
    assertEquals(List.of("operator=src parameter=on_error value=maybe is not supported; use fail, "
        + "skip or dead_letter"), problems(source("on_error: maybe") + OUT, "[src, out]"));
  }

  @Test
  void shouldRefuseABatchSizeThatIsNotANumber() throws Exception {
    assertEquals(List.of("operator=src parameter=batch_size value=big must be a positive whole "
        + "number up to 2147483647"), problems(source("batch_size: big") + OUT, "[src, out]"));
  }

  @Test
  void shouldRefuseAFractionalOrOversizedBatchSizeInsteadOfTruncatingIt() throws Exception {
    assertEquals(List.of("operator=src parameter=batch_size value=2.5 must be a positive whole "
        + "number up to 2147483647"), problems(source("batch_size: 2.5") + OUT, "[src, out]"));
    assertEquals(List.of("operator=src parameter=batch_size value=4294967301 must be a positive "
        + "whole number up to 2147483647"), problems(source("batch_size: 4294967301") + OUT, "[src, out]"));
  }

  @Test
  void shouldRefuseABatchSizeBelowOne() throws Exception {
    assertEquals(List.of("operator=src parameter=batch_size value=0 must be a positive whole number up to 2147483647"),
        problems(source("batch_size: 0") + OUT, "[src, out]"));
    assertEquals(List.of("operator=src parameter=batch_size value=-5 must be a positive whole number up to 2147483647"),
        problems(source("batch_size: -5") + OUT, "[src, out]"));
  }

  @Test
  void shouldAcceptAValidOnErrorAndBatchSize() throws Exception {
    plan(source("on_error: skip, batch_size: 16") + OUT, "[src, out]");
    plan(source("on_error: dead-letter, batch_size: 1") + OUT, "[src, out]");
  }

  // ---- FILTER -------------------------------------------------------------------------------

  @Test
  void shouldRefuseAnUnknownFilterParameter() throws Exception {
    assertEquals(List.of("operator=f parameter=colum is not a parameter of a FILTER; accepted: "
        + "column, operator, value, all, any"),
        filterProblems("{colum: px, operator: '>', value: 1}"));
  }

  @Test
  void shouldRefuseAFilterThatIsNotOneCondition() throws Exception {
    assertEquals(List.of("operator=f parameters must have exactly one of column (with operator and "
        + "value), all: [..] or any: [..]; found keys [column, all]"),
        filterProblems("{column: px, all: [{column: px, operator: '>', value: 1}]}"));
  }

  @Test
  void shouldRefuseAnUnknownFilterOperator() throws Exception {
    assertEquals(List.of("operator=f operator '~' is not supported; use ==, !=, >, >=, <, <=, in, "
        + "not in, is null, is not null"), filterProblems("{column: px, operator: '~', value: 1}"));
  }

  @Test
  void shouldRefuseAnUnknownColumnInAFilter() throws Exception {
    assertEquals(List.of("column=prise not found in operator f; available: " + QUOTE_COLUMNS),
        filterProblems("{column: prise, operator: '>', value: 1}"));
  }

  @Test
  void shouldRefuseAStringValueOnANumericColumn() throws Exception {
    assertEquals(List.of("column=px in operator f has type float64 but value='high' is a string"),
        filterProblems("{column: px, operator: '>', value: high}"));
    assertEquals(List.of("column=qty in operator f has type int32 but value=true is a bool"),
        filterProblems("{column: qty, operator: '==', value: true}"));
  }

  @Test
  void shouldRefuseANumberOnAStringColumnAndSayToQuoteIt() throws Exception {
    assertEquals(List.of("column=sym in operator f has type string but value=7 is a number; quote the "
        + "value to compare as text"), filterProblems("{column: sym, operator: '==', value: 7}"));
  }

  @Test
  void shouldRefuseAnOrderingOnABoolColumn() throws Exception {
    assertEquals(List.of("column=live in operator f is bool; operator '>' does not apply; use ==, !=, "
        + "in, not in, is null or is not null"),
        filterProblems("{column: live, operator: '>', value: true}"));
  }

  @Test
  void shouldRefuseATimestampValueThatIsNotADate() throws Exception {
    assertEquals(List.of("column=ts in operator f is a timestamp but value='yesterday' is neither "
        + "epoch milliseconds nor an ISO-8601 date-time"),
        filterProblems("{column: ts, operator: '>', value: yesterday}"));
  }

  @Test
  void shouldRefuseNullInsideAnInList() throws Exception {
    assertEquals(List.of("column=qty in operator f: the list of 'in' contains null, which never "
        + "compares equal; use 'is null' for nulls"),
        filterProblems("{column: qty, operator: in, value: [1, null]}"));
  }

  @Test
  void shouldReportEveryBadPartOfAnAllAtOnce() throws Exception {
    assertEquals(List.of(
        "column=prise not found in operator f; available: " + QUOTE_COLUMNS,
        "column=sym in operator f has type string but value=7 is a number; quote the value to "
            + "compare as text"),
        filterProblems("{all: [{column: prise, operator: '>', value: 1}, "
            + "{column: px, operator: '>', value: 1}, {column: sym, operator: '==', value: 7}]}"));
  }

  // ---- SELECT -------------------------------------------------------------------------------

  @Test
  void shouldRefuseASelectWithoutColumns() throws Exception {
    String message = "operator=s parameter=columns must be a non-empty list of column names or "
        + "{name: new_name} maps";
    assertEquals(List.of(message), selectProblems("{columns: []}"));
    assertEquals(List.of(message), selectProblems("{columns: px}"));
    assertEquals(List.of(message), selectProblems("{}"));
  }

  @Test
  void shouldRefuseAnUnknownSelectParameter() throws Exception {
    assertEquals(List.of("operator=s parameter=column is not a parameter of a SELECT; accepted: "
        + "columns", "operator=s parameter=columns must be a non-empty list of column names or "
        + "{name: new_name} maps"), selectProblems("{column: [px]}"));
  }

  @Test
  void shouldRefuseASelectEntryThatIsNeitherANameNorARename() throws Exception {
    assertEquals(List.of("operator=s parameter=columns entry={px=a, qty=b} must be a column name or "
        + "{name: new_name}"), selectProblems("{columns: [{px: a, qty: b}]}"));
  }

  @Test
  void shouldRefuseAnUnknownColumnInASelect() throws Exception {
    assertEquals(List.of("column=prise not found in operator s; available: " + QUOTE_COLUMNS),
        selectProblems("{columns: [id, prise]}"));
  }

  @Test
  void shouldRefuseAnOutputColumnNamedTwice() throws Exception {
    assertEquals(List.of("operator=s parameter=columns output column=id appears twice"),
        selectProblems("{columns: [id, {sym: id}]}"));
  }

  @Test
  void shouldReportEveryBadSelectColumnAtOnce() throws Exception {
    assertEquals(List.of(
        "column=prise not found in operator s; available: " + QUOTE_COLUMNS,
        "column=size not found in operator s; available: " + QUOTE_COLUMNS),
        selectProblems("{columns: [px, prise, {qty: volume}, size]}"));
    // A SELECT that cannot be read is refused before its columns are looked up.
    assertEquals(List.of("operator=s parameter=columns output column=px appears twice"),
        selectProblems("{columns: [px, prise, {qty: px}, size]}"));
  }

  // ---- HASH_JOIN ----------------------------------------------------------------------------

  @Test
  void shouldAskForTheRocksDbModuleWhenItIsNotOnTheClassPath() throws Exception {
    // sabot-core's tests run without sabot-rocksdb
    assertEquals(List.of("operator=j parameter=state_backend value=rocksdb needs the sabot-rocksdb "
        + "module, which is not on the class path; add it (the sabot command carries it) or use "
        + "state_backend: memory"), joinProblems("{left_key: id, right_key: ID, state_backend: rocksdb}"));
  }

  @Test
  void shouldRefuseAStateDirWithMemoryOnATableThatIsNotAChangelog() throws Exception {
    // with memory, state_dir is where a table read from a Kafka changelog keeps its snapshots
    assertEquals(List.of("operator=j parameter=state_dir applies only to state_backend: rocksdb "
        + "or auto, or to a reference table read from a Kafka changelog (its snapshots), but "
        + "state_backend is memory and refs is not a changelog; set state_backend or drop the "
        + "parameter"), joinProblems("{left_key: id, right_key: ID, state_dir: /tmp/s}"));
  }

  @Test
  void shouldRefuseAnUnknownJoinParameter() throws Exception {
    assertEquals(List.of("operator=j parameter=key is not a parameter of a HASH_JOIN; accepted: "
        + "left_key, right_key, join_type, on_duplicate, reference_filter, reference_partitioning, "
        + "state_backend, memory_budget, state_dir, reference_refresh_ms"),
        joinProblems("{key: id, left_key: id, right_key: ID}"));
  }

  @Test
  void shouldRefuseAMissingOrBlankKey() throws Exception {
    assertEquals(List.of("operator=j parameter=left_key is missing; give a column name or a list of "
        + "column names"), joinProblems("{right_key: ID}"));
    assertEquals(List.of("operator=j parameter=right_key is empty; give a column name or a list of "
        + "column names"), joinProblems("{left_key: id, right_key: ' '}"));
    assertEquals(List.of("operator=j parameter=left_key is empty; give a column name or a list of "
        + "column names"), joinProblems("{left_key: [], right_key: ID}"));
  }

  @Test
  void shouldRefuseKeyListsOfDifferentLengths() throws Exception {
    assertEquals(List.of("operator=j parameter=left_key has 2 column(s) [id, sym] but right_key has 1 [ID]; "
        + "they pair up in order"), joinProblems("{left_key: [id, sym], right_key: ID}"));
  }

  @Test
  void shouldRefuseAnUnknownJoinType() throws Exception {
    assertEquals(List.of("operator=j parameter=join_type value=full outer is not supported; use inner "
        + "or left outer (also: left, left_outer)"),
        joinProblems("{left_key: id, right_key: ID, join_type: full outer}"));
  }

  @Test
  void shouldAcceptEverySpellingOfTheSupportedJoinTypes() throws Exception {
    for (String type : List.of("inner", "INNER", "left", "left outer", "left_outer", "Left  Outer")) {
      plan(QUOTES + REFS + join("{left_key: id, right_key: ID, join_type: '" + type + "'}") + OUT,
          "[quotes, j]", "[refs, j]", "[j, out]");
    }
  }

  @Test
  void shouldRefuseAnUnknownOnDuplicate() throws Exception {
    assertEquals(List.of("operator=j parameter=on_duplicate value=newest is not supported; use last, "
        + "first, error or all"), joinProblems("{left_key: id, right_key: ID, on_duplicate: newest}"));
  }

  @Test
  void shouldRefuseAnUnknownReferencePartitioning() throws Exception {
    assertEquals(List.of("operator=j parameter=reference_partitioning value=sharded is not "
        + "supported; use broadcast or co_partitioned"),
        joinProblems("{left_key: id, right_key: ID, reference_partitioning: sharded}"));
  }

  @Test
  void shouldRefuseCoPartitioningWhenNeitherSideIsAKafkaTopic() throws Exception {
    String fix = "; co_partitioned needs the stream and the reference table to be Kafka topics "
        + "(kafka_topic: ...) with as many partitions, keyed alike by the join key; else use "
        + "reference_partitioning: broadcast (every process reads the whole table)";
    assertEquals(List.of(
        "operator=j parameter=reference_partitioning value=co_partitioned but the stream input "
            + "quotes is not a Kafka topic (path=quotes.csv)" + fix,
        "operator=j parameter=reference_partitioning value=co_partitioned but the reference "
            + "input refs is not a Kafka topic (path=refs.csv)" + fix),
        joinProblems("{left_key: id, right_key: ID, reference_partitioning: co_partitioned}"));
  }

  @Test
  void shouldAcceptBroadcastAsTheDefaultReferencePartitioning() throws Exception {
    plan(QUOTES + REFS + join("{left_key: id, right_key: ID, reference_partitioning: broadcast}")
        + OUT, "[quotes, j]", "[refs, j]", "[j, out]");
  }

  @Test
  void shouldRefuseKeyColumnsThatDoNotExistOnEitherSide() throws Exception {
    assertEquals(List.of(
        "column=ident (left_key) not found in the stream input of operator j; available: "
            + QUOTE_COLUMNS,
        "column=IDENT (right_key) not found in the reference input of operator j; available: "
            + REF_COLUMNS),
        joinProblems("{left_key: ident, right_key: IDENT}"));
  }

  @Test
  void shouldRefuseFloat64Keys() throws Exception {
    assertEquals(List.of("operator=j left_key column=px is float64, which cannot be a join key: "
        + "equality on floating point rarely holds (0.1 + 0.2 != 0.3), so rows would silently not "
        + "match (left_key column=px is float64, right_key column=PX is float64); join keys may be "
        + "int32/int64 (which match each other numerically), string or timestamp"),
        joinProblems("{left_key: px, right_key: PX}"));
    assertEquals(List.of("operator=j right_key column=PX is float64, which cannot be a join key: "
        + "equality on floating point rarely holds (0.1 + 0.2 != 0.3), so rows would silently not "
        + "match (left_key column=id is int64, right_key column=PX is float64); join keys may be "
        + "int32/int64 (which match each other numerically), string or timestamp"),
        joinProblems("{left_key: id, right_key: PX}"));
  }

  @Test
  void shouldRefuseANumericKeyAgainstAStringKey() throws Exception {
    assertEquals(List.of("operator=j key type mismatch: left_key column=id is int64 but right_key "
        + "column=SYM is string; join keys may be int32/int64 (which match each other numerically), "
        + "string or timestamp, both of the same kind. Declare the source schema so both sides have "
        + "the same type"),
        joinProblems("{left_key: id, right_key: SYM}"));
  }

  @Test
  void shouldRefuseABoolKey() throws Exception {
    assertEquals(List.of("operator=j left_key column=live is bool, which cannot be a join key: two "
        + "values would turn the join into a cross product of each half (left_key column=live is "
        + "bool, right_key column=N is int32); join keys may be int32/int64 (which match each other "
        + "numerically), string or timestamp"),
        joinProblems("{left_key: live, right_key: N}"));
  }

  @Test
  void shouldAcceptInt32AgainstInt64KeysAndCompositeKeysOfOneInput() throws Exception {
    plan(QUOTES + REFS + join("{left_key: qty, right_key: ID}") + OUT,
        "[quotes, j]", "[refs, j]", "[j, out]");
    plan(QUOTES + REFS + join("{left_key: [id, sym], right_key: [ID, SYM]}") + OUT,
        "[quotes, j]", "[refs, j]", "[j, out]");
  }

  @Test
  void shouldRefuseKeysTakenFromTheStreamAndAnEarlierReferenceTable() throws Exception {
    String second = "  - {name: j2, type: HASH_JOIN, parameters: "
        + "{left_key: [id, SECTOR], right_key: [ID, SECTOR]}}\n";
    assertEquals(List.of("operator=j2 parameter=left_key columns [id, SECTOR] come from different inputs (the "
        + "stream and an earlier reference table); use key columns of one input"),
        problems(QUOTES + REFS + SECTORS + join("{left_key: id, right_key: ID}") + second + OUT,
            "[quotes, j]", "[refs, j]", "[j, j2]", "[sectors, j2]", "[j2, out]"));
  }

  @Test
  void shouldRefuseAReferenceFilterThatIsNotACondition() throws Exception {
    assertEquals(List.of("operator=j parameter=reference_filter value=SECTOR == tech must be a "
        + "condition map, e.g. "
        + "{column: STATUS, operator: '==', value: ACTIVE}"),
        joinProblems("{left_key: id, right_key: ID, reference_filter: 'SECTOR == tech'}"));
  }

  @Test
  void shouldRefuseAReferenceFilterOnAColumnTheReferenceLacks() throws Exception {
    assertEquals(List.of("operator=j parameter=reference_filter column=px not found in operator j; "
        + "available: " + REF_COLUMNS),
        joinProblems("{left_key: id, right_key: ID, reference_filter: "
            + "{column: px, operator: '>', value: 1}}"));
    assertEquals(List.of("operator=j parameter=reference_filter must have exactly one of "
        + "column (with operator and value), all: [..] or any: [..]; found keys []"),
        joinProblems("{left_key: id, right_key: ID, reference_filter: {}}"));
  }

  // ---- several at once ----------------------------------------------------------------------

  @Test
  void shouldReportTheProblemsOfEveryOperatorAtOnce() throws Exception {
    var graph = load(QUOTES + REFS
            + "  - {name: f, type: FILTER, parameters: {column: prise, operator: '>', value: 1}}\n"
            + "  - {name: out, type: SINK, parameters: {path: quotes.csv}}\n"
            + "  - {name: s, type: SELECT, parameters: {columns: [ID, ID]}}\n"
            + "  - {name: src, type: SOURCE, parameters: {path: sectors.csv, batch_size: 0}}\n"
            + join("{left_key: ID, right_key: SECTOR, on_duplicate: newest}")
            + "  - {name: out2, type: SINK, parameters: {discard: true}}\n",
        "[quotes, f]", "[f, out]", "[refs, s]", "[s, j]", "[src, j]", "[j, out2]");
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> JobPlanner.plan(graph));
    List<String> expected = List.of(
        "column=prise not found in operator f; available: " + QUOTE_COLUMNS,
        "operator=s parameter=columns output column=ID appears twice",
        "operator=src parameter=batch_size value=0 must be a positive whole number up to 2147483647",
        "operator=j parameter=on_duplicate value=newest is not supported; use last, first, error or "
            + "all",
        "operator=out parameter=path file=" + dir.resolve("quotes.csv").toAbsolutePath()
            + " is the input file of operator=quotes; write the output somewhere the job does not "
            + "read");
    assertEquals(expected, e.problems());
    assertEquals("Invalid job: 5 problems\n  - " + String.join("\n  - ", expected), e.getMessage());
  }

  @Test
  void shouldPrefixASingleProblemWithInvalidJob() throws Exception {
    var graph = load(source("batch_size: 0") + OUT, "[src, out]");
    assertEquals("Invalid job: operator=src parameter=batch_size value=0 must be a positive whole "
        + "number up to 2147483647", assertThrows(InvalidJobException.class, () -> JobPlanner.plan(graph)).getMessage());
  }

  // ---- compatibility and order --------------------------------------------------------------

  @Test
  void shouldListTheSourcesProblemsBeforeABadFiltersOwn() throws Exception {
    assertEquals(List.of("operator=src parameter=batch_size value=2.5 must be a positive whole "
        + "number up to 2147483647", "operator=f parameter=bogus is not a parameter of a FILTER; "
        + "accepted: column, operator, value, all, any"),
        problems(source("batch_size: 2.5") + "  - {name: f, type: FILTER, parameters: "
            + "{column: px, operator: '>', value: 1, bogus: 1}}\n" + OUT, "[src, f]", "[f, out]"));
  }

  @Test
  void shouldTakeABlankOnDuplicateAsTheDefaultAndAScalarAsANewName() throws Exception {
    plan(QUOTES + REFS + join("{left_key: id, right_key: ID, on_duplicate: ''}") + OUT,
        "[quotes, j]", "[refs, j]", "[j, out]");
    plan(QUOTES + "  - {name: s, type: SELECT, parameters: {columns: [{ts: 5}]}}\n" + OUT,
        "[quotes, s]", "[s, out]");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static String source(String extra) {
    return "  - {name: src, type: SOURCE, parameters: {path: quotes.csv, " + extra + "}}\n";
  }

  private static String join(String parameters) {
    return "  - {name: j, type: HASH_JOIN, parameters: " + parameters + "}\n";
  }

  private List<String> filterProblems(String parameters) throws Exception {
    return problems(QUOTES + "  - {name: f, type: FILTER, parameters: " + parameters + "}\n" + OUT,
        "[quotes, f]", "[f, out]");
  }

  private List<String> selectProblems(String parameters) throws Exception {
    return problems(QUOTES + "  - {name: s, type: SELECT, parameters: " + parameters + "}\n" + OUT,
        "[quotes, s]", "[s, out]");
  }

  private List<String> joinProblems(String parameters) throws Exception {
    return problems(QUOTES + REFS + join(parameters) + OUT, "[quotes, j]", "[refs, j]", "[j, out]");
  }

  private List<String> problems(String operators, String... connections) throws Exception {
    var graph = load(operators, connections);
    return assertThrows(InvalidJobException.class, () -> JobPlanner.plan(graph)).problems();
  }

  private void plan(String operators, String... connections) throws Exception {
    JobPlanner.plan(load(operators, connections));
  }

  private io.sabot.graph.JobGraph load(String operators, String... connections) throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, "job_name: j\noperators:\n" + operators + "connect:\n"
        + Arrays.stream(connections).map(c -> "  - " + c + "\n").collect(Collectors.joining()));
    return JobFile.load(job);
  }
}
