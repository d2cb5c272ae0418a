package io.sabot.bench;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReferenceFeed;
import io.sabot.connect.generator.GeneratorSource;
import io.sabot.types.Schema;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The live generator alone, without the engine: what its calls cost on the reader thread. Reads
 * the join's columns (ID, CUSIP, NAME, SECTOR), times one {@link ReferenceFeed#snapshot()} of the
 * R rows, then for {@link #SECONDS} s calls {@link ReferenceFeed#poll()} and, when it changed,
 * {@link ReferenceFeed#changes()} (both read to the end), once every {@link #TICK_NANOS} ns, as
 * the engine would before each stream batch; the time inside those calls over the wall time is
 * the share of one core the feed takes.
 */
final class LiveFeedCost {
  static final double SECONDS = 2.0;
  /** About one 8,192-row batch at 80 M rows/s. */
  static final long TICK_NANOS = 100_000;

  private LiveFeedCost() {}

  static void measure(BenchOptions options, long rate, PrintStream out) {
    Schema all = GeneratorSource.Kind.SECURITIES.schema();
    Schema columns = new Schema(List.of(all.field("ID"), all.field("CUSIP"), all.field("NAME"),
        all.field("SECTOR")));
    try (RootAllocator allocator = new RootAllocator()) {
      ReadContext context = new ReadContext(allocator, columns, options.batchSize(),
          (p, pos, raw, why) -> {
            throw new IllegalStateException("the generator rejected a row: " + why);
          });
      long t0 = System.nanoTime();
      try (LiveSecuritiesFeed feed = new LiveSecuritiesFeed(context, (int) options.referenceRows(),
          rate, 0, System::nanoTime)) {
        long opened = System.nanoTime() - t0;
        long snapshot = Long.MAX_VALUE;
        long rows = 0;
        for (int i = 0; i < 3; i++) { // the best of three: the first runs before the JIT
          long s0 = System.nanoTime();
          rows = drain(feed.snapshot());
          snapshot = Math.min(snapshot, System.nanoTime() - s0);
        }
        loop(feed, 1.0); // warm-up
        long before = feed.applied();
        long[] r = loop(feed, SECONDS);
        double wall = r[0] / 1e9;
        long inside = r[1];
        long updates = feed.applied() - before;
        out.printf(Locale.ROOT, "feed alone (R=%,d, columns ID, CUSIP, NAME, SECTOR): open %.0f ms, "
                + "snapshot of %,d rows %.1f ms (no update yet; best of 3); at %,d "
                + "updates/s, poll + changes every %d us for %.1f s (after 1 s of warm-up): %,d "
                + "updates in %,d steps (%,d added rows), %.1f ms inside the calls = %.2f%% of one "
                + "core, %.0f ns per update%n", options.referenceRows(), opened / 1e6, rows,
            snapshot / 1e6, rate, TICK_NANOS / 1000, wall, updates, r[2], r[3], inside / 1e6,
            100.0 * inside / 1e9 / wall, updates == 0 ? 0.0 : (double) inside / updates);
        feed.apply(feed.applied() + options.referenceRows()); // about 63% of the keys updated
        long s0 = System.nanoTime();
        rows = drain(feed.snapshot());
        out.printf(Locale.ROOT, "feed alone: snapshot after %,d updates in all: %,d rows in %.1f ms%n",
            feed.applied(), rows, (System.nanoTime() - s0) / 1e6);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls every tick for {@code seconds}; wall ns, ns inside the calls, steps, added rows. */
  private static long[] loop(LiveSecuritiesFeed feed, double seconds) throws IOException {
    long inside = 0;
    long steps = 0;
    long changedRows = 0;
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long tick = start;
    while (tick < end) {
      long c0 = System.nanoTime();
      if (feed.poll()) {
        try (ReferenceFeed.Changes ch = feed.changes()) {
          changedRows += drain(ch.added());
          drain(ch.removed());
        }
        steps++;
      }
      inside += System.nanoTime() - c0;
      tick += TICK_NANOS;
      while (System.nanoTime() < tick) Thread.onSpinWait();
    }
    return new long[] {System.nanoTime() - start, inside, steps, changedRows};
  }

  private static long drain(BatchReader reader) throws IOException {
    long rows = 0;
    try (reader) {
      VectorSchemaRoot b;
      while ((b = reader.next()) != null) {
        rows += b.getRowCount();
        b.close();
      }
    }
    return rows;
  }
}
