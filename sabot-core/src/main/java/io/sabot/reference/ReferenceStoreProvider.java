package io.sabot.reference;

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
}
