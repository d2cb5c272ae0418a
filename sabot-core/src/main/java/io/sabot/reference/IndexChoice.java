package io.sabot.reference;

/** Which index a build may use; only tests choose anything but {@link #AUTO}. */
enum IndexChoice {
  /** The direct table for dense integral keys, else a hash index. */
  AUTO,
  /** Always a hash index (tests compare it with the direct table). */
  HASH,
  /**
   * A hash index whose hashes keep only their top 4 bits (so no tag): nearly every lookup walks a
   * long chain and compares key values, which tests the equality path that real hashes rarely reach.
   */
  HASH_COLLIDING;

  /** The bits of a row hash the multi-column index keeps. */
  long hashMask() {
    return this == HASH_COLLIDING ? 0xF000_0000_0000_0000L : -1L;
  }
}
