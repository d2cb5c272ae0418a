package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.graph.OnDuplicate;
import io.sabot.reference.LiveTable;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * A rebuild abandoned while it runs, or before it starts, leaves nothing allocated once
 * {@link BackgroundRebuild#close()} returns: the job's allocator is closed right after.
 */
class BackgroundRebuildTest {
  private static final Schema SCHEMA = Schema.of(new Field("ID", ColumnType.INT64));

  private static VectorSchemaRoot rows(RootAllocator allocator, int n) {
    VectorSchemaRoot b = SCHEMA.newBatch(allocator);
    b.allocateNew();
    for (int i = 0; i < n; i++) ((BigIntVector) b.getVector(0)).setSafe(i, i);
    b.setRowCount(n);
    return b;
  }

  private static LiveTable table(RootAllocator allocator) {
    return LiveTable.build("enrich", SCHEMA, new ArrayList<>(List.of(rows(allocator, 1000))),
        new int[] {0}, OnDuplicate.LAST, null, 4096, allocator);
  }

  @Test
  void shouldWaitForARunningRebuildAndCloseWhatItBuilt() throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try (RootAllocator allocator = new RootAllocator()) {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      BackgroundRebuild r = BackgroundRebuild.start(thread, () -> {
        started.countDown();
        release.await();
        return table(allocator);
      }, () -> { });
      assertTrue(started.await(10, TimeUnit.SECONDS));
      try (VectorSchemaRoot removed = rows(allocator, 0)) {
        r.keep(removed.slice(0, 0), rows(allocator, 3)); // kept steps are closed too
      }
      Thread closing = new Thread(r::close);
      closing.start();
      closing.join(300);
      assertTrue(closing.isAlive(), "close returned while the rebuild was still building");
      release.countDown();
      closing.join(10_000);
      assertFalse(closing.isAlive());
      assertEquals(0, allocator.getAllocatedMemory(), "the table built after close was closed");
    } finally {
      thread.shutdownNow();
    }
  }

  @Test
  void shouldReleaseTheSnapshotOfARebuildAbandonedBeforeItStarts() throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try (RootAllocator allocator = new RootAllocator()) {
      CountDownLatch busy = new CountDownLatch(1);
      thread.submit(() -> {
        busy.await();
        return null;
      });
      VectorSchemaRoot snapshot = rows(allocator, 1000);
      AtomicBoolean built = new AtomicBoolean();
      BackgroundRebuild r = BackgroundRebuild.start(thread, () -> {
        built.set(true);
        snapshot.close();
        return table(allocator);
      }, snapshot::close);
      busy.countDown(); // the rebuild may start now, or find itself abandoned first
      r.close();
      assertEquals(0, allocator.getAllocatedMemory(), "built: " + built.get());
    } finally {
      thread.shutdownNow();
    }
  }
}
