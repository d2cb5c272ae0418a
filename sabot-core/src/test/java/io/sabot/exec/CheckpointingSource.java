package io.sabot.exec;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.Source;
import io.sabot.connect.SourcePartition;
import io.sabot.types.Schema;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A source that keeps a position as a Kafka source does: each batch's checkpoint is the number of
 * rows read so far, and {@link #delivered} records what the executor handed back once the sink
 * had the rows durably: what a Kafka source would commit.
 */
final class CheckpointingSource implements Source {
  private final Source delegate;
  private final int stallAfter;
  final List<Long> delivered = new CopyOnWriteArrayList<>();

  CheckpointingSource(Source delegate) {
    this(delegate, Integer.MAX_VALUE);
  }

  /**
   * After {@code stallAfter} batches, waits for records that never come, as an unbounded topic
   * with nothing new does, until {@link BatchReader#stop()}.
   */
  CheckpointingSource(Source delegate, int stallAfter) {
    this.delegate = delegate;
    this.stallAfter = stallAfter;
  }

  /** The highest position committed, 0 when none. */
  long committed() {
    return delivered.isEmpty() ? 0 : delivered.get(delivered.size() - 1);
  }

  @Override
  public Schema schema() {
    return delegate.schema();
  }

  @Override
  public List<SourcePartition> partitions() {
    return delegate.partitions().stream().map(p -> new SourcePartition() {
      @Override
      public String description() {
        return p.description();
      }

      @Override
      public BatchReader open(ReadContext context) throws IOException {
        BatchReader r = p.open(context);
        return new BatchReader() {
          private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
          private long rows;
          private int batches;

          @Override
          public VectorSchemaRoot next() throws IOException {
            if (batches++ == stallAfter) {
              try {
                stopped.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return null;
            }
            VectorSchemaRoot b = r.next();
            if (b != null) rows += b.getRowCount();
            return b;
          }

          @Override
          public Object checkpoint() {
            return rows;
          }

          @Override
          public void delivered(Object checkpoint) {
            delivered.add((Long) checkpoint);
          }

          @Override
          public void stop() {
            stopped.countDown();
          }

          @Override
          public void close() throws IOException {
            r.close();
          }
        };
      }
    }).collect(Collectors.toList());
  }
}
