package io.sabot.differential;

import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.types.ColumnType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Generates a random enrichment job from a seed, and evaluates it with {@link RowAtATime} while
 * building it (each operator's output schema steers the choice of the next one):
 *
 * <pre>
 *   stream ─► [FILTER] ─► [SELECT] ─► JOIN1 ─► [FILTER] ─► [SELECT] ─► [JOIN2 ─► [FILTER]] ─┐
 *                                       ▲                              ▲                  │
 *            ref1 ─► [FILTER] ─► [SELECT]     ref2 ─► [FILTER] ─► [SELECT]                  │
 *                                                               SINK ◄─ [SELECT] ◄───────┘
 * </pre>
 *
 * Every source declares its schema and may set a small {@code batch_size}; key domains are small
 * so that there are matches, misses and duplicates; names are drawn from one pool so that
 * reference columns collide with stream columns (the {@code _right} rule).
 */
final class RandomJob {
  private static final List<String> NAMES = List.of("key", "code", "qty", "price", "name", "flag",
      "grp", "region", "score", "sym", "id");
  private static final List<String> STRINGS = List.of("A", "B", "C", "a", "b", "ab", "abc", "Zz",
      "10", "9", "x y", "b,c", "q\"t", "k1", "k2", "k3", "", " a", "b ");
  private static final List<Double> DOUBLES = List.of(-2.5, -1.0, 0.0, 0.1, 0.25, 1.0, 1.5, 3.0,
      100.0, 123.456, 1.0E10, 1.0E-5, 2.5E20);
  private static final int[] BATCH_SIZES = {1, 2, 3, 7, 64, 1000};

  private final long seed;
  private final Random r;
  private final JobGraph graph;
  private final Map<String, String> files = new LinkedHashMap<>();
  private final Map<String, Map<String, Long>> counters = new LinkedHashMap<>();
  private String expectedError;

  /** The end of the pipeline built so far: its operator and its rows. */
  private record Step(String node, Table table) {}

  private RandomJob(long seed) {
    this.seed = seed;
    this.r = new Random(seed);
    this.graph = new JobGraph("differential_" + seed);
  }

  static JobCase generate(long seed) {
    return new RandomJob(seed).build();
  }

  private JobCase build() {
    int threads = 1 + r.nextInt(3);
    Set<String> rules = null; // a third of the jobs run as written
    if (r.nextInt(3) > 0) {
      rules = new TreeSet<>();
      for (String rule : new TreeSet<>(JobCase.RULES)) {
        if (r.nextInt(5) > 0) rules.add(rule);
      }
    }
    Step s = source("stream", streamTable());
    if (r.nextInt(2) == 0) s = filter("filter_stream", s);
    if (r.nextInt(8) == 0) s = select("select_stream", s, keyColumn(s.table));
    s = join("join1", 1, s);
    if (r.nextInt(3) == 0) s = filter("filter_join1", s);
    if (r.nextInt(5) < 2) {
      if (r.nextInt(6) == 0) s = select("select_join1", s, keyColumn(s.table));
      s = join("join2", 2, s);
      if (r.nextInt(4) == 0) s = filter("filter_join2", s);
    }
    if (r.nextInt(5) < 2) s = select("select_out", s, Set.of(), new LinkedHashMap<>());
    Map<String, Object> sink = new LinkedHashMap<>();
    sink.put("path", JobCase.OUTPUT);
    sink.put("format", "csv");
    add(OperatorType.SINK, "out", sink, s.node);
    return new JobCase(seed, threads, rules, graph, files, s.table, counters, expectedError);
  }

  // ---- tables -------------------------------------------------------------------------------

  private Table streamTable() {
    int n = rowCount(300);
    List<String> names = shuffled(NAMES.subList(0, NAMES.size() - 1));
    List<Table.Col> cols = new ArrayList<>();
    cols.add(new Table.Col("id", ColumnType.INT64, new Domain.Ints(0, Math.max(1, n), false), 0));
    cols.add(column(names.get(0), r.nextBoolean() ? ColumnType.INT32 : ColumnType.INT64));
    cols.add(column(names.get(1), ColumnType.STRING));
    int extra = r.nextInt(4);
    for (int i = 0; i < extra; i++) cols.add(column(names.get(2 + i), randomType()));
    if (r.nextInt(3) == 0) Collections.shuffle(cols, r);
    List<Object[]> rows = new ArrayList<>();
    int id = cols.indexOf(cols.stream().filter(c -> c.name().equals("id")).findFirst().get());
    double[] nulls = nullRates(cols.size());
    for (int i = 0; i < n; i++) {
      Object[] row = values(cols, nulls);
      row[id] = (long) i;
      rows.add(row);
    }
    return new Table(cols, rows);
  }

  /** A reference table with a key column for each left key (compatible type, shared domain). */
  private Table referenceTable(List<Table.Col> leftKeys, List<String> leftNames,
                               List<String> keyNames) {
    int n = rowCount(40);
    List<String> pool = shuffled(NAMES);
    List<Table.Col> cols = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (Table.Col lk : leftKeys) {
      String name = r.nextInt(5) < 2 && !used.contains(lk.name()) ? lk.name() : fresh(pool, used);
      used.add(name);
      keyNames.add(name);
      cols.add(referenceKey(lk, name));
    }
    int extra = 1 + r.nextInt(4);
    for (int i = 0; i < extra; i++) {
      String name = fresh(pool, used);
      if (r.nextInt(6) == 0) {
        String taken = leftNames.get(r.nextInt(leftNames.size())) + "_right";
        if (!used.contains(taken)) name = taken; // makes the suffix rule go round twice
      }
      used.add(name);
      cols.add(column(name, randomType()));
    }
    Collections.shuffle(cols, r);
    double[] nulls = nullRates(cols.size());
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) rows.add(values(cols, nulls));
    return new Table(cols, rows);
  }

  private Table.Col referenceKey(Table.Col left, String name) {
    if (left.type() == ColumnType.STRING) {
      Domain.Strings d = (Domain.Strings) left.domain();
      return new Table.Col(name, ColumnType.STRING, r.nextBoolean() ? d.widened(r) : d, 0);
    }
    Domain.Ints d = (Domain.Ints) left.domain();
    boolean int32 = d.fitsInt32() && r.nextBoolean();
    Domain.Ints shared = d.widened(r.nextInt(2), int32);
    return new Table.Col(name, int32 ? ColumnType.INT32 : ColumnType.INT64, shared, 0);
  }

  private Table.Col column(String name, ColumnType type) {
    switch (type) {
      case INT32: return new Table.Col(name, type, new Domain.Ints(pick(0L, 0L, -3L, 7L, 100L),
          2 + r.nextInt(7), true), 0);
      case INT64: return new Table.Col(name, type, new Domain.Ints(pick(0L, 0L, -3L, 100L,
          10_000_000_000L), 2 + r.nextInt(7), false), 0);
      case FLOAT64: {
        List<Double> values = new ArrayList<>(shuffled(DOUBLES).subList(0, 2 + r.nextInt(5)));
        if (r.nextInt(5) == 0) values.add(-0.0);
        return new Table.Col(name, type, new Domain.Doubles(values), 0);
      }
      case STRING:
        List<String> values = shuffled(STRINGS).subList(0, 2 + r.nextInt(5));
        return new Table.Col(name, type, new Domain.Strings(values), 0);
      case BOOL: return new Table.Col(name, type, new Domain.Bools(), 0);
      default: throw new AssertionError(type);
    }
  }

  private ColumnType randomType() {
    int k = r.nextInt(20);
    if (k < 5) return ColumnType.INT32;
    if (k < 10) return ColumnType.INT64;
    if (k < 15) return ColumnType.STRING;
    if (k < 18) return ColumnType.FLOAT64;
    return ColumnType.BOOL;
  }

  private Object[] values(List<Table.Col> cols, double[] nulls) {
    Object[] row = new Object[cols.size()];
    for (int c = 0; c < row.length; c++) {
      row[c] = r.nextDouble() < nulls[c] ? null : cols.get(c).domain().draw(r);
    }
    return row;
  }

  private double[] nullRates(int n) {
    double[] rates = new double[n];
    for (int i = 0; i < n; i++) rates[i] = pick(0.0, 0.0, 0.1, 0.3);
    return rates;
  }

  private int rowCount(int max) {
    int k = r.nextInt(20);
    if (k == 0) return 0;
    if (k == 1) return 1;
    if (k < 12) return 2 + r.nextInt(Math.min(max, 30));
    return 2 + r.nextInt(max);
  }

  // ---- operators ----------------------------------------------------------------------------

  /**
   * Writes the table as one file, or now and then as 2 or 3 files of a folder (some possibly
   * empty), read as one partition each in name order: by folder or by glob.
   */
  private Step source(String name, Table t) {
    Map<String, Object> p = new LinkedHashMap<>();
    int parts = r.nextInt(10) < 3 ? 2 + r.nextInt(2) : 1;
    if (parts == 1) {
      files.put(name + ".csv", CsvFiles.write(t, r));
      p.put("path", name + ".csv");
    } else {
      int[] cuts = new int[parts + 1];
      cuts[parts] = t.rows().size();
      for (int i = 1; i < parts; i++) cuts[i] = r.nextInt(t.rows().size() + 1);
      Arrays.sort(cuts);
      for (int i = 0; i < parts; i++) {
        Table part = t.withRows(t.rows().subList(cuts[i], cuts[i + 1]));
        files.put(name + "/part-" + i + ".csv", CsvFiles.write(part, r));
      }
      p.put("path", r.nextBoolean() ? name : name + "/*.csv");
    }
    p.put("format", "csv");
    List<Table.Col> declared = new ArrayList<>(t.cols());
    if (r.nextInt(3) == 0) Collections.shuffle(declared, r);
    Map<String, Object> schema = new LinkedHashMap<>();
    for (Table.Col c : declared) schema.put(c.name(), c.type().jobName());
    p.put("schema", schema);
    if (r.nextInt(5) > 0) p.put("batch_size", BATCH_SIZES[r.nextInt(BATCH_SIZES.length)]);
    add(OperatorType.SOURCE, name, p);
    counters.put(name, Map.of("rows_out", (long) t.rows().size()));
    return new Step(name, t);
  }

  private Step filter(String name, Step in) {
    // Rows that no filter keeps test little: redraw a condition that keeps nothing, mostly.
    Map<String, Object> condition = RandomConditions.condition(r, in.table);
    Table out = RowAtATime.filter(in.table, condition);
    for (int attempt = 0; attempt < 3 && out.rows().isEmpty() && r.nextInt(5) > 0; attempt++) {
      condition = RandomConditions.condition(r, in.table);
      out = RowAtATime.filter(in.table, condition);
    }
    add(OperatorType.FILTER, name, condition, in.node);
    counters.put(name, Map.of("rows_in", (long) in.table.rows().size(),
        "rows_out", (long) out.rows().size()));
    return new Step(name, out);
  }

  /** A SELECT that keeps at least the column {@code key} (under some name). */
  private Step select(String name, Step in, String key) {
    return select(name, in, Set.of(key), new LinkedHashMap<>());
  }

  /**
   * A SELECT of a random subset in random order, some columns renamed (now and then to the name
   * of a column it drops). {@code keep} must stay; {@code renamedKeep} receives their new names.
   */
  private Step select(String name, Step in, Set<String> keep, Map<String, String> renamedKeep) {
    List<String> names = in.table.names();
    List<String> chosen = new ArrayList<>(keep);
    for (String n : shuffled(names)) {
      if (!keep.contains(n) && r.nextInt(3) > 0) chosen.add(n);
    }
    if (chosen.isEmpty()) chosen.add(names.get(r.nextInt(names.size())));
    Collections.shuffle(chosen, r);
    Set<String> targets = new HashSet<>();
    List<Object> columns = new ArrayList<>();
    int freshCount = 0;
    for (String source : chosen) {
      String target = source;
      int k = r.nextInt(10);
      if (k < 2) target = "c" + freshCount++ + "_" + source;
      else if (k < 3) target = names.get(r.nextInt(names.size()));
      if (targets.contains(target)) target = source;
      while (targets.contains(target)) target = "c" + freshCount++ + "_" + source;
      targets.add(target);
      columns.add(target.equals(source) && r.nextInt(4) > 0 ? source : Map.of(source, target));
      if (keep.contains(source)) renamedKeep.put(source, target);
    }
    add(OperatorType.SELECT, name, Map.of("columns", columns), in.node);
    Table out = RowAtATime.select(in.table, columns);
    counters.put(name, Map.of("rows_in", (long) in.table.rows().size(),
        "rows_out", (long) out.rows().size()));
    return new Step(name, out);
  }

  private Step join(String name, int number, Step left) {
    List<Table.Col> leftKeys = leftKeys(left.table);
    List<String> rightKeys = new ArrayList<>();
    Table refTable = referenceTable(leftKeys, left.table.names(), rightKeys);
    String refName = "ref" + number;
    Step ref = source(refName, refTable);
    if (r.nextInt(10) < 3) ref = filter("filter_" + refName, ref);
    if (r.nextInt(10) < 4) {
      Map<String, String> renamed = new LinkedHashMap<>();
      ref = select("select_" + refName, ref, new HashSet<>(rightKeys), renamed);
      rightKeys = rightKeys.stream().map(renamed::get).collect(Collectors.toList());
    }
    List<String> leftNames = leftKeys.stream().map(Table.Col::name).collect(Collectors.toList());
    Map<String, Object> p = new LinkedHashMap<>();
    boolean asList = leftNames.size() > 1 || r.nextInt(10) == 0;
    p.put("left_key", asList ? leftNames : leftNames.get(0));
    p.put("right_key", asList ? rightKeys : rightKeys.get(0));
    String joinType = pick("inner", "inner", "left outer", "left", "left_outer");
    p.put("join_type", joinType);
    String onDuplicate = r.nextInt(16) == 0 ? "error" : pick("last", "first", "all", null);
    if (onDuplicate != null) p.put("on_duplicate", onDuplicate);
    add(OperatorType.HASH_JOIN, name, p, left.node, ref.node);
    RowAtATime.Joined joined = RowAtATime.join(left.table, ref.table, leftNames, rightKeys,
        !joinType.equals("inner"), onDuplicate == null ? "last" : onDuplicate, number);
    counters.put(name, joined.counters());
    if ("error".equals(onDuplicate) && joined.counters().get("replaced_duplicates") > 0) {
      expectedError = "duplicate key";
    }
    return new Step(name, joined.table());
  }

  /** A column that can be a join key. */
  private String keyColumn(Table t) {
    List<String> keys = new ArrayList<>();
    for (Table.Col c : t.cols()) {
      if (isKeyType(c.type())) keys.add(c.name());
    }
    return keys.get(r.nextInt(keys.size()));
  }

  private static boolean isKeyType(ColumnType type) {
    return type == ColumnType.INT32 || type == ColumnType.INT64 || type == ColumnType.STRING;
  }

  /** One or two key columns (int32, int64 or string) of one origin of {@code t}. */
  private List<Table.Col> leftKeys(Table t) {
    Map<Integer, List<Table.Col>> byOrigin = new LinkedHashMap<>();
    for (Table.Col c : t.cols()) {
      if (isKeyType(c.type())) {
        if (c.name().equals("id") && r.nextInt(4) > 0) continue;
        byOrigin.computeIfAbsent(c.origin(), o -> new ArrayList<>()).add(c);
      }
    }
    if (byOrigin.isEmpty()) byOrigin.put(0, List.of(t.col(keyColumn(t))));
    List<List<Table.Col>> candidates = new ArrayList<>(byOrigin.values());
    List<Table.Col> from = candidates.get(r.nextInt(candidates.size()));
    int arity = from.size() >= 2 && r.nextInt(10) < 3 ? 2 : 1;
    return shuffled(from).subList(0, arity);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private void add(OperatorType type, String name, Map<String, Object> parameters,
                   String... inputs) {
    graph.addOperator(new StreamOperatorNode(type, name, parameters));
    for (String in : inputs) graph.connect(in, name);
  }

  private String fresh(List<String> pool, Set<String> used) {
    for (String n : pool) {
      if (!used.contains(n)) return n;
    }
    int i = 0;
    while (used.contains("col" + i)) i++;
    return "col" + i;
  }

  private <T> List<T> shuffled(List<T> list) {
    List<T> copy = new ArrayList<>(list);
    Collections.shuffle(copy, r);
    return copy;
  }

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[r.nextInt(options.length)];
  }
}
