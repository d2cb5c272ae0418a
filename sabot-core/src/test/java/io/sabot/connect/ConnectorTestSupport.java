package io.sabot.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sabot.testing.TestBatches;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Reads sources to plain rows and collects rejects, for the connector tests. Rows, batches and
 * schemas are built and read back with {@link TestBatches}.
 */
public final class ConnectorTestSupport {
  private ConnectorTestSupport() {}

  /** One rejected record, as the reader reported it. */
  public record Reject(String partition, long position, String raw, String reason) {}

  /** A rejecter that keeps what it gets, or throws (as on_error: fail does). */
  public static final class Rejects implements RecordRejecter {
    public final List<Reject> seen = Collections.synchronizedList(new ArrayList<>());
    private final boolean fail;

    public Rejects(boolean fail) {
      this.fail = fail;
    }

    public Rejects() {
      this(false);
    }

    @Override
    public void reject(String partition, long position, String rawRecord, String reason) {
      seen.add(new Reject(partition, position, rawRecord, reason));
      if (fail) throw new IllegalStateException("rejected line " + position + ": " + reason);
    }
  }

  /** What a read returned. */
  public record Read(List<List<Object>> rows, List<Integer> batchSizes, List<Reject> rejects) {}

  /** Reads every partition of {@code source} with the given projection and batch size. */
  public static Read read(Source source, Schema columns, int batchSize, BufferAllocator allocator)
      throws IOException {
    Rejects rejects = new Rejects();
    List<List<Object>> rows = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (SourcePartition partition : source.partitions()) {
      try (BatchReader reader = partition.open(new ReadContext(allocator, columns, batchSize, rejects))) {
        VectorSchemaRoot batch;
        while ((batch = reader.next()) != null) {
          try (VectorSchemaRoot b = batch) {
            assertEquals(columns.toArrow(), b.getSchema(), "batch schema");
            sizes.add(b.getRowCount());
            rows.addAll(TestBatches.rows(b));
          }
        }
      }
    }
    return new Read(rows, sizes, rejects.seen);
  }

  /** Reads all columns, 1024 rows per batch. */
  public static Read readAll(Source source, BufferAllocator allocator) throws IOException {
    return read(source, source.schema(), 1024, allocator);
  }

  public static Path write(Path dir, String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  /** Closes {@code allocator} after checking that every buffer was released. */
  public static void closeChecked(RootAllocator allocator) {
    assertEquals(0, allocator.getAllocatedMemory(), "bytes still allocated");
    allocator.close();
  }
}
