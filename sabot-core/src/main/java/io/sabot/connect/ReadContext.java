package io.sabot.connect;

import io.sabot.types.Schema;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What a reader needs: where to allocate, which columns to decode (a projection of the source's
 * schema, in schema order; other fields are skipped, not decoded), how many rows per batch, and
 * where a record that cannot be decoded goes.
 */
public record ReadContext(BufferAllocator allocator, Schema columns, int batchSize,
                          RecordRejecter rejecter) {}
