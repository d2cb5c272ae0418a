package io.sabot.rocksdb;

import io.sabot.reference.ReferenceStoreBuilder;
import io.sabot.reference.ReferenceStoreProvider;
import io.sabot.reference.StoreRequest;

/** {@code state_backend: rocksdb}: registered for {@link java.util.ServiceLoader}. */
public final class RocksDbStoreProvider implements ReferenceStoreProvider {
  @Override
  public String backend() {
    return "rocksdb";
  }

  @Override
  public ReferenceStoreBuilder builder(StoreRequest request) {
    return new RocksDbStoreBuilder(request);
  }
}
