package io.sabot.reference;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A kind of {@link ReferenceStore}, found through {@link java.util.ServiceLoader}: the
 * {@code sabot-rocksdb} module registers {@code rocksdb} in
 * {@code META-INF/services/io.sabot.reference.ReferenceStoreProvider}, so that sabot-core names
 * no storage library.
 */
public interface ReferenceStoreProvider {
  /** The {@code state_backend} name it serves: {@code rocksdb}. */
  String backend();

  /** Opens an empty store to load. */
  ReferenceStoreBuilder builder(StoreRequest request);

  /**
   * The store an earlier run kept in {@code dir} ({@link ReferenceStore#keep}), opened for this
   * job as a copy (the kept one stays as it was), when it holds {@code version} made by
   * {@code definition} and verifies; null when {@code dir} holds none.
   *
   * @throws IOException when one is there but cannot be used (another version or definition,
   *     a file that does not verify): the message says why, and the caller loads the table anew
   */
  default ReferenceStore openKept(StoreRequest request, Path dir, String version,
                                  String definition) throws IOException {
    return null;
  }
}
