package io.sabot.connect;

import java.io.IOException;

/**
 * A source split into partitions by a hash of each record's key (a Kafka topic written with the
 * default partitioner). Two such sources with as many partitions, whose records are keyed alike
 * by the join key, hold each key in the partition of the same number: a join may then read only
 * the reference partitions numbered as the stream partitions a process reads
 * ({@code reference_partitioning: co_partitioned}). Its readers report the partitions they read
 * to {@link ReadContext#owned()}.
 */
public interface KeyPartitioned extends Source {
  /** How many partitions the source has now (asked once, when a co-partitioned join starts). */
  int partitionCount() throws IOException;
}
