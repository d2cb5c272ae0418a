package io.sabot.connect.generator;

import io.sabot.types.Schema;
import java.util.SplittableRandom;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The quotes of docs/workload.md: {@code r = new SplittableRandom(42)}, then per row i,
 * in this order, instrumentId = r.nextLong(R + R / 20), price = 1.0 + r.nextDouble() * 199.0,
 * size = 1 + r.nextLong(10_000), and ts = 1_700_000_000_000L + i.
 */
final class QuotesFiller implements WorkloadFiller {
  static final long SEED = 42;
  static final long TS_BASE = 1_700_000_000_000L;

  private final SplittableRandom random = new SplittableRandom(SEED);
  private final long idBound;
  private final int idColumn;
  private final int priceColumn;
  private final int sizeColumn;
  private final int tsColumn;
  private long next;

  QuotesFiller(Schema columns, long referenceRows) {
    this.idBound = referenceRows + referenceRows / 20;
    if (idBound <= 0) throw new IllegalArgumentException("quotes need reference_rows >= 1");
    this.idColumn = columns.indexOf("instrumentId");
    this.priceColumn = columns.indexOf("price");
    this.sizeColumn = columns.indexOf("size");
    this.tsColumn = columns.indexOf("ts");
  }

  @Override
  public void fill(VectorSchemaRoot batch, int count) {
    BigIntVector ids = idColumn < 0 ? null : (BigIntVector) batch.getVector(idColumn);
    Float8Vector prices = priceColumn < 0 ? null : (Float8Vector) batch.getVector(priceColumn);
    BigIntVector sizes = sizeColumn < 0 ? null : (BigIntVector) batch.getVector(sizeColumn);
    BigIntVector tss = tsColumn < 0 ? null : (BigIntVector) batch.getVector(tsColumn);
    for (int i = 0; i < count; i++) {
      long id = random.nextLong(idBound);
      double price = 1.0 + random.nextDouble() * 199.0;
      long size = 1 + random.nextLong(10_000);
      long ts = TS_BASE + next++;
      if (ids != null) ids.set(i, id);
      if (prices != null) prices.set(i, price);
      if (sizes != null) sizes.set(i, size);
      if (tss != null) tss.set(i, ts);
    }
  }
}
