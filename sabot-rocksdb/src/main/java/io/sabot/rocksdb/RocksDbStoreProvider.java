package io.sabot.rocksdb;

import io.sabot.reference.ReferenceStore;
import io.sabot.reference.ReferenceStoreBuilder;
import io.sabot.reference.ReferenceStoreProvider;
import io.sabot.reference.StoreRequest;
import java.io.IOException;
import java.nio.file.Path;

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

  /** A working copy of the kept store, verified block by block, see {@link KeptStore}. */
  @Override
  public ReferenceStore openKept(StoreRequest request, Path dir, String version,
                                 String definition) throws IOException {
    return KeptStore.open(request, dir, version, definition);
  }
}
