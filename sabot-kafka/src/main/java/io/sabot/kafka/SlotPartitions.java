package io.sabot.kafka;

import java.util.Arrays;

/**
 * The partition of each changelog slot's latest record, so that a co-partitioned feed can drop
 * the keys of a partition its stream no longer reads. One int per slot; -1: never set.
 */
final class SlotPartitions {
  private int[] partition = filled(1024);

  private static int[] filled(int n) {
    int[] a = new int[n];
    Arrays.fill(a, -1);
    return a;
  }

  /** The latest record of the key at {@code slot} came from {@code p}. */
  void set(int slot, int p) {
    if (slot >= partition.length) {
      int n = Math.max(slot + 1, partition.length * 2);
      int[] grown = filled(n);
      System.arraycopy(partition, 0, grown, 0, partition.length);
      partition = grown;
    }
    partition[slot] = p;
  }

  /** The partition of {@code slot}'s latest record, or -1. */
  int get(int slot) {
    return slot < partition.length ? partition[slot] : -1;
  }

  /** Slots renumbered by a compaction: slot s becomes {@code newSlot[s]} (-1: gone). */
  void renumber(int[] newSlot) {
    int[] next = filled(partition.length);
    for (int s = 0; s < newSlot.length && s < partition.length; s++) {
      if (newSlot[s] >= 0) next[newSlot[s]] = partition[s];
    }
    partition = next;
  }
}
