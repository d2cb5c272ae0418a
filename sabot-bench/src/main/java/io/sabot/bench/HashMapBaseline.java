package io.sabot.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * docs/workload.md's query done the obvious way, to put the engine's numbers in proportion: plain Java
 * objects, a {@code HashMap<Long, Security>}, and a parallel stream over the quotes (on a pool of
 * the benchmark's thread count).
 *
 * <pre>{@code
 * Map<Long, Security> byId = new HashMap<>();  for (Security s : securities) byId.put(s.id(), s);
 * quotes.parallel().filter(q -> q.price() > 100).map(q -> enrich(q, byId.get(q.instrumentId())))
 *       .filter(Objects::nonNull).count()          // or collect(toList()) for sink batches, devnull
 * }</pre>
 *
 * The objects are made from the generated Arrow batches before anything is timed.
 */
final class HashMapBaseline implements AutoCloseable {
  record Quote(long instrumentId, double price, long size, long ts) {}

  /** Every column of the securities table, as a plain object would hold them. */
  record Security(long id, String cusip, String name, String sector, String exchange,
                  String status, String description, double[] f) {}

  record Enriched(long instrumentId, double price, long size, long ts, String cusip, String name,
                  String sector) {}

  private final Quote[] quotes;
  private final List<Security> securities;
  private final BenchOptions options;
  private final ForkJoinPool pool;

  HashMapBaseline(Workload data, BenchOptions options) {
    this.quotes = quotes(data.quotes(), options.rows());
    this.securities = securities(data.securities());
    this.options = options;
    this.pool = new ForkJoinPool(options.threads());
  }

  /** One run: build the map, then enrich every quote; rate = N / enrichment time. */
  Measurement run() {
    long live = HeapPeak.reset();
    long t0 = System.nanoTime();
    Map<Long, Security> byId = new HashMap<>();
    for (Security s : securities) byId.put(s.id(), s);
    long t1 = System.nanoTime();
    long out;
    try {
      out = pool.submit(() -> enrich(byId)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the HashMap baseline failed: " + e.getCause(), e.getCause());
    }
    long t2 = System.nanoTime();
    long heap = HeapPeak.read();
    return new Measurement(quotes.length / ((t2 - t1) / 1e9), t2 - t1, (t1 - t0) / 1e6, t2 - t0, out,
        0, heap, live);
  }

  private long enrich(Map<Long, Security> byId) {
    boolean left = options.join() == BenchOptions.Join.LEFT;
    Stream<Enriched> rows = Arrays.stream(quotes).parallel()
        .filter(q -> q.price() > 100)
        .map(q -> {
          Security s = byId.get(q.instrumentId());
          if (s == null) {
            return left ? new Enriched(q.instrumentId(), q.price(), q.size(), q.ts(), null, null, null) : null;
          }
          return new Enriched(q.instrumentId(), q.price(), q.size(), q.ts(), s.cusip(), s.name(), s.sector());
        })
        .filter(Objects::nonNull);
    if (options.sink() != BenchOptions.Output.DISCARD) return rows.collect(Collectors.toList()).size();
    return rows.count();
  }

  private static Quote[] quotes(List<VectorSchemaRoot> batches, long rows) {
    if (rows > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("the HashMap baseline holds the quotes in one array; "
          + rows + " rows do not fit; run with --no-baseline");
    }
    Quote[] out = new Quote[(int) rows];
    int i = 0;
    for (VectorSchemaRoot b : batches) {
      BigIntVector id = (BigIntVector) b.getVector("instrumentId");
      Float8Vector price = (Float8Vector) b.getVector("price");
      BigIntVector size = (BigIntVector) b.getVector("size");
      BigIntVector ts = (BigIntVector) b.getVector("ts");
      for (int r = 0; r < b.getRowCount(); r++) {
        out[i++] = new Quote(id.get(r), price.get(r), size.get(r), ts.get(r));
      }
    }
    return out;
  }

  private static List<Security> securities(List<VectorSchemaRoot> batches) {
    List<Security> out = new ArrayList<>();
    for (VectorSchemaRoot b : batches) {
      BigIntVector id = (BigIntVector) b.getVector("ID");
      Float8Vector[] f = new Float8Vector[8];
      for (int k = 0; k < 8; k++) f[k] = (Float8Vector) b.getVector("F" + k);
      for (int r = 0; r < b.getRowCount(); r++) {
        double[] values = new double[8];
        for (int k = 0; k < 8; k++) values[k] = f[k].get(r);
        out.add(new Security(id.get(r), text(b, "CUSIP", r), text(b, "NAME", r),
            text(b, "SECTOR", r), text(b, "EXCHANGE", r), text(b, "STATUS", r),
            text(b, "DESCRIPTION", r), values));
      }
    }
    return out;
  }

  private static String text(VectorSchemaRoot b, String column, int r) {
    VarCharVector v = (VarCharVector) b.getVector(column);
    return v.isNull(r) ? null : new String(v.get(r), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
