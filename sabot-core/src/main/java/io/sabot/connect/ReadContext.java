package io.sabot.connect;

import io.sabot.types.Schema;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What a reader needs: where to allocate, which columns to decode (a projection of the source's
 * schema, in schema order; other fields are skipped, not decoded), how many rows per batch, where
 * a record that cannot be decoded goes, and, when the sink already holds rows up to some position
 * ({@link SourcePosition#encode()}; null otherwise), where to start instead of where the source
 * would start by itself. A reader of a {@link KeyPartitioned} source tells {@code owned} which
 * partitions it reads (the co-partitioned reference feeds of its stream read it; by default it
 * is the reader's own, read by no one); {@code status} is where a stream reader says which
 * partitions it reads and how far behind it is.
 */
public record ReadContext(BufferAllocator allocator, Schema columns, int batchSize,
                          RecordRejecter rejecter, String resumeFrom, OwnedPartitions owned,
                          ReadStatus status) {

  public ReadContext(BufferAllocator allocator, Schema columns, int batchSize,
                     RecordRejecter rejecter) {
    this(allocator, columns, batchSize, rejecter, null);
  }

  public ReadContext(BufferAllocator allocator, Schema columns, int batchSize,
                     RecordRejecter rejecter, String resumeFrom) {
    this(allocator, columns, batchSize, rejecter, resumeFrom, new OwnedPartitions(),
        new ReadStatus());
  }
}
