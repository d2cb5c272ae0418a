package io.sabot.exec;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ChangelogSource;
import io.sabot.connect.KeyPartitioned;
import io.sabot.connect.OwnedPartitions;
import io.sabot.connect.ReadContext;
import io.sabot.connect.ReferenceFeed;
import io.sabot.error.InvalidJobException;
import io.sabot.error.SabotBug;
import io.sabot.graph.JoinSpec;
import io.sabot.physical.FusedPipeline;
import io.sabot.physical.HashJoinExec;
import io.sabot.plan.PipelinePlan;
import io.sabot.plan.ReferenceBuild;
import io.sabot.reference.ReferenceTable;
import io.sabot.reference.ReferenceTableStatus;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The reference tables of one stream pipeline that come from changelogs ({@link ChangelogSource},
 * a compacted Kafka topic), kept live while the stream runs. Copy-on-write by version:
 *
 * <pre>
 *   reader thread, before each stream batch:  feed.poll() ── changed? ──► snapshot ─► reference
 *        pipeline (filter/select) ─► ReferenceTable v+1 ─► becomes current; v released
 *   pin():   the current version of every table, reference-counted, handed to the batch
 *   workers: probe and gather only the pinned versions; release when the batch is done
 *   a version is closed when it is neither current nor pinned by a batch in flight
 * </pre>
 *
 * So each batch probes one consistent version of each table, a change published before a stream
 * record was written is visible to that record's batch, and the hot path takes no lock (two
 * atomic counts per table per batch).
 *
 * <p>A co-partitioned join's feed reads only the reference partitions numbered as the stream
 * partitions this process reads: the stream's reader reports those in {@link #owned()} before it
 * hands out a batch of them, and the feed catches up on them in {@link #pin()}, so a batch of
 * stream partition p is probed only once reference partition p has been read to its end.
 */
final class LiveReferences implements AutoCloseable {
  /** One table version and the batches using it (+1 while it is the current one). */
  private static final class Version {
    final ReferenceTable table;
    final AtomicInteger refs = new AtomicInteger(1);

    Version(ReferenceTable table) {
      this.table = table;
    }

    void release() {
      if (refs.decrementAndGet() == 0) table.close();
    }
  }

  /** One live table: the join it feeds, its changelog, its current version. */
  private static final class Live {
    final ReferenceBuild build;
    final ReferenceFeed feed;
    final DeadLetters rejects;
    Version current;
    long versions;

    Live(ReferenceBuild build, ReferenceFeed feed, DeadLetters rejects) {
      this.build = build;
      this.feed = feed;
      this.rejects = rejects;
    }
  }

  /** The versions one batch probes; {@link #release()} once the batch is processed. */
  static final class Pinned {
    private final ReferenceTable[] tables;
    private final Version[] versions;

    private Pinned(ReferenceTable[] tables, Version[] versions) {
      this.tables = tables;
      this.versions = versions;
    }

    ReferenceTable[] tables() {
      return tables;
    }

    void release() {
      for (Version v : versions) {
        if (v != null) v.release();
      }
    }
  }

  private final BufferAllocator allocator;
  private final PipelinePlan stream;
  private final List<HashJoinExec> joins;
  private final Live[] live;
  private final OwnedPartitions owned = new OwnedPartitions();
  private int count;

  LiveReferences(PipelinePlan stream, BufferAllocator allocator) {
    this.allocator = allocator;
    this.stream = stream;
    this.joins = stream.pipeline().joins();
    this.live = new Live[joins.size()];
  }

  /** Where the stream's reader reports the partitions it reads (for co-partitioned feeds). */
  OwnedPartitions owned() {
    return owned;
  }

  /** True when {@code build}'s input is a changelog, to be kept live rather than read once. */
  static boolean isLive(ReferenceBuild build) {
    return build.input().source() instanceof ChangelogSource;
  }

  /**
   * Bootstraps the changelog of {@code build} (reads it to its current end), builds the first
   * version and attaches it to the join. Returns the rows read from the snapshot.
   */
  long open(ReferenceBuild build, DeadLetters rejects) throws Exception {
    int j = joins.indexOf(build.probe());
    if (j < 0) throw new SabotBug("join " + build.join().name() + " is not in the stream pipeline");
    PipelinePlan input = build.input();
    ReadContext context = new ReadContext(allocator, input.readColumns(), input.batchSize(), rejects);
    ChangelogSource changelog = (ChangelogSource) input.source();
    ReferenceFeed feed;
    if (build.join().spec(JoinSpec.class).isCoPartitioned()) {
      checkPartitionCounts(build);
      feed = changelog.openFeed(context, owned);
    } else {
      String stateDir = build.join().spec(JoinSpec.class).state().stateDir();
      feed = stateDir == null ? changelog.openFeed(context)
          : changelog.openFeed(context, Path.of(stateDir).resolve(build.join().name()));
    }
    Live l = new Live(build, feed, rejects);
    live[j] = l;
    count++;
    long[] rows = new long[1];
    l.current = new Version(buildVersion(l, rows));
    l.versions = 1;
    build.probe().attach(l.current.table);
    return rows[0];
  }

  /**
   * Co-partitioned: stream partition p meets reference partition p only when both have as many
   * partitions (a key hashes to a partition modulo their count); checked before any row is read.
   */
  private void checkPartitionCounts(ReferenceBuild build) throws IOException {
    int streamCount = ((KeyPartitioned) stream.source()).partitionCount();
    int referenceCount = ((KeyPartitioned) build.input().source()).partitionCount();
    if (streamCount == referenceCount) return;
    throw new InvalidJobException("operator=" + build.join().name()
        + " parameter=reference_partitioning value=co_partitioned needs the stream and the "
        + "reference topic partitioned alike, but the stream input " + stream.sourceName()
        + " has " + streamCount + " partitions and the reference input "
        + build.input().sourceName() + " has " + referenceCount + "; give both topics the same "
        + "number of partitions (and write both keyed by the join key), or use "
        + "reference_partitioning: broadcast");
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** Whether the join filling frame origin {@code origin} probes a live table (versions come and go). */
  boolean isLiveOrigin(int origin) {
    for (int j = 0; j < live.length; j++) {
      if (live[j] != null && joins.get(j).refOrigin() == origin) return true;
    }
    return false;
  }

  /**
   * On a reader thread (one at a time: a source may have several readers), before a stream batch
   * is handed out: applies every change published so far (a new version for each table that changed), then pins the current versions.
   */
  synchronized Pinned pin() throws Exception {
    for (Live l : live) {
      if (l == null || !l.feed.poll()) continue;
      Version next = new Version(buildVersion(l, new long[1]));
      Version old = l.current;
      l.current = next;
      l.versions++;
      l.build.probe().attach(next.table);
      old.release();
    }
    ReferenceTable[] tables = new ReferenceTable[joins.size()];
    Version[] versions = new Version[joins.size()];
    for (int j = 0; j < tables.length; j++) {
      if (live[j] == null) {
        tables[j] = joins.get(j).table();
      } else {
        versions[j] = live[j].current;
        versions[j].refs.incrementAndGet();
        tables[j] = versions[j].table;
      }
    }
    return new Pinned(tables, versions);
  }

  /** The feed's counters and the versions built, for the join's line in the summary. */
  Map<String, Map<String, Object>> stats() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Live l : live) {
      if (l == null) continue;
      Map<String, Object> d = new LinkedHashMap<>(l.feed.stats());
      d.put("reference_versions", l.versions);
      out.put(l.build.join().name(), d);
    }
    return out;
  }

  /**
   * The live table {@code build} feeds, as it is now (its current version's rows, the versions
   * built), or null when that table is not live. For the progress thread: under the lock that
   * {@link #pin()} takes, so it reads a version that is not being replaced.
   */
  synchronized ReferenceTableStatus status(ReferenceBuild build, long bootstrapMillis) {
    int j = joins.indexOf(build.probe());
    Live l = j < 0 ? null : live[j];
    if (l == null || l.current == null) return null;
    return new ReferenceTableStatus(build.join().name(), l.current.table.rowCount(), l.versions,
        bootstrapMillis);
  }

  /** The snapshot through the reference pipeline (filter, select), as one keyed table. */
  private ReferenceTable buildVersion(Live l, long[] rowsRead) throws Exception {
    PipelinePlan input = l.build.input();
    FusedPipeline.Worker worker = input.pipeline().newWorker();
    List<VectorSchemaRoot> out = new ArrayList<>();
    try {
      try (BatchReader snapshot = l.feed.snapshot()) {
        VectorSchemaRoot batch;
        while ((batch = snapshot.next()) != null) {
          try {
            rowsRead[0] += batch.getRowCount();
            out.add(worker.process(batch, allocator, true));
          } finally {
            batch.close();
          }
        }
      }
      Schema schema = input.pipeline().outputSchema();
      VectorSchemaRoot all = Batches.concatenate(out, schema, allocator);
      return l.build.buildTable(schema, all);
    } finally {
      out.forEach(VectorSchemaRoot::close);
    }
  }

  /**
   * Releases the current versions (closed once no batch pins them) and closes every feed, even
   * when one fails to close: the first failure is thrown, the later ones suppressed on it.
   */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (int j = 0; j < live.length; j++) {
      Live l = live[j];
      if (l == null) continue;
      live[j] = null;
      try {
        if (l.current != null) l.current.release();
      } catch (RuntimeException e) {
        failure = keep(failure, new IOException("cannot close the reference table of "
            + l.build.join().name() + ": " + e, e));
      }
      try {
        l.feed.close();
      } catch (IOException e) {
        failure = keep(failure, e);
      } catch (RuntimeException e) {
        failure = keep(failure, new IOException("cannot close the changelog feed of "
            + l.build.join().name() + ": " + e, e));
      }
    }
    if (failure != null) throw failure;
  }

  private static IOException keep(IOException first, IOException next) {
    if (first == null) return next;
    if (next != first) first.addSuppressed(next);
    return first;
  }
}
