package io.sabot.bench.jmh;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.generator.GeneratorSource;
import io.sabot.graph.JobGraph;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.physical.FusedPipeline;
import io.sabot.plan.JobPlanner;
import io.sabot.plan.PipelinePlan;
import io.sabot.plan.ReferenceBuild;
import io.sabot.reference.ReferenceTable;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The workload's data and ready-to-run engine pipelines for the kernel benchmarks: every benchmark
 * processes {@link #ROWS} quotes in batches of {@link #BATCH} rows, so each score is rows/s.
 */
public final class KernelData {
  /** Rows per benchmark invocation (each benchmark declares it as its operations). */
  public static final int ROWS = 1 << 19;
  /** Rows per batch: the engine's default. */
  public static final int BATCH = 8192;

  private KernelData() {}

  /** docs/workload.md's quotes, {@link #ROWS} of them, for {@code referenceRows} securities. */
  public static List<VectorSchemaRoot> quotes(long referenceRows, BufferAllocator allocator) {
    return GeneratorSource.generate(GeneratorSource.Kind.QUOTES, ROWS, referenceRows, BATCH, allocator);
  }

  /** The securities' ID, CUSIP, NAME and SECTOR in one batch (the other columns closed). */
  public static VectorSchemaRoot securities(long referenceRows, BufferAllocator allocator) {
    List<VectorSchemaRoot> all = GeneratorSource.generate(GeneratorSource.Kind.SECURITIES,
        referenceRows, referenceRows, (int) referenceRows, allocator);
    VectorSchemaRoot root = all.get(0);
    List<FieldVector> keep = new ArrayList<>();
    for (String c : List.of("ID", "CUSIP", "NAME", "SECTOR")) {
      FieldVector v = root.getVector(c);
      var tp = v.getTransferPair(allocator);
      tp.transfer();
      keep.add((FieldVector) tp.getTo());
    }
    root.close();
    VectorSchemaRoot out = new VectorSchemaRoot(keep);
    out.setRowCount((int) referenceRows);
    return out;
  }

  /** Column {@code name} of every batch as one Java array. */
  public static long[] longs(List<VectorSchemaRoot> batches, String name) {
    long[] out = new long[ROWS];
    int i = 0;
    for (VectorSchemaRoot b : batches) {
      BigIntVector v = (BigIntVector) b.getVector(name);
      for (int r = 0; r < b.getRowCount(); r++) out[i++] = v.get(r);
    }
    return out;
  }

  public static double[] doubles(List<VectorSchemaRoot> batches, String name) {
    double[] out = new double[ROWS];
    int i = 0;
    for (VectorSchemaRoot b : batches) {
      Float8Vector v = (Float8Vector) b.getVector(name);
      for (int r = 0; r < b.getRowCount(); r++) out[i++] = v.get(r);
    }
    return out;
  }

  /**
   * The engine's stream pipeline for {@code quotes -> filter price > 100 [-> join securities
   * (ID, CUSIP, NAME, SECTOR)] -> discard}, planned as written (no optimizer), with its input
   * batches read through the plan's own source and, with a join, its reference table built and
   * attached as the executor would.
   */
  public static Planned plan(long referenceRows, boolean join, BufferAllocator allocator)
      throws java.io.IOException {
    JobGraph g = new JobGraph("kernel_bench");
    g.addOperator(new StreamOperatorNode(OperatorType.SOURCE, "quotes",
        Map.of("generator", "quotes", "rows", ROWS, "reference_rows", referenceRows)));
    g.addOperator(new StreamOperatorNode(OperatorType.FILTER, "filter_quotes",
        Map.of("column", "price", "operator", ">", "value", 100)));
    g.addOperator(new StreamOperatorNode(OperatorType.SINK, "output", Map.of("discard", true)));
    g.connect("quotes", "filter_quotes");
    if (join) {
      g.addOperator(new StreamOperatorNode(OperatorType.SOURCE, "securities",
          Map.of("generator", "securities", "rows", referenceRows)));
      g.addOperator(new StreamOperatorNode(OperatorType.SELECT, "select_securities",
          Map.of("columns", List.of("ID", "CUSIP", "NAME", "SECTOR"))));
      g.addOperator(new StreamOperatorNode(OperatorType.HASH_JOIN, "enrich",
          Map.of("left_key", "instrumentId", "right_key", "ID", "join_type", "inner")));
      g.connect("filter_quotes", "enrich");
      g.connect("securities", "select_securities");
      g.connect("select_securities", "enrich");
      g.connect("enrich", "output");
    } else {
      g.connect("filter_quotes", "output");
    }
    PipelinePlan stream = JobPlanner.plan(g).sinks().get(0).stream();
    List<VectorSchemaRoot> batches = new ArrayList<>();
    ReadContext context = new ReadContext(allocator, stream.readColumns(), BATCH,
        (p, pos, raw, why) -> {
          throw new IllegalStateException(why);
        });
    try (BatchReader reader = stream.source().partitions().get(0).open(context)) {
      VectorSchemaRoot b;
      while ((b = reader.next()) != null) batches.add(b);
    }
    List<ReferenceTable> tables = new ArrayList<>();
    for (ReferenceBuild b : stream.builds()) {
      Schema schema = b.input().pipeline().outputSchema();
      ReferenceTable t = ReferenceTable.build("enrich", schema, securities(referenceRows, allocator),
          b.keyColumns(), b.onDuplicate());
      tables.add(t);
      b.probe().attach(t);
    }
    return new Planned(stream.pipeline(), batches, tables);
  }

  /** A planned pipeline, its input batches and its reference tables; close to free them. */
  public record Planned(FusedPipeline pipeline, List<VectorSchemaRoot> batches,
                        List<ReferenceTable> tables) implements AutoCloseable {
    @Override
    public void close() {
      batches.forEach(VectorSchemaRoot::close);
      tables.forEach(ReferenceTable::close);
    }
  }
}
