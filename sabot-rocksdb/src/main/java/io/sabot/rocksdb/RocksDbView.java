package io.sabot.rocksdb;

import io.sabot.reference.ReferenceStore;
import org.rocksdb.Snapshot;

/** One stream batch's version of a live store: a RocksDB snapshot, released at close. */
final class RocksDbView implements ReferenceStore.View {
  final RocksDbReferenceStore store;
  final Snapshot snapshot;

  RocksDbView(RocksDbReferenceStore store, Snapshot snapshot) {
    this.store = store;
    this.snapshot = snapshot;
  }

  @Override
  public void close() {
    store.release(this);
  }
}
