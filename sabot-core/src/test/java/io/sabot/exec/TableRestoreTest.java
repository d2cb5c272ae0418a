package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.BatchReader;
import io.sabot.graph.OnDuplicate;
import io.sabot.reference.LiveTable;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * A table built from a feed's restored rows is handed over only for the version the feed ends
 * up restored at and only when its build succeeded; otherwise it is closed, and a discard waits
 * for a build under way, so nothing stays allocated when a failing job closes its allocator.
 */
class TableRestoreTest {
  private static final Schema SCHEMA = Schema.of(new Field("ID", ColumnType.INT64));

  private static VectorSchemaRoot rows(RootAllocator allocator, int from, int n) {
    VectorSchemaRoot b = SCHEMA.newBatch(allocator);
    b.allocateNew();
    for (int i = 0; i < n; i++) ((BigIntVector) b.getVector(0)).setSafe(i, from + i);
    b.setRowCount(n);
    return b;
  }

  /** Builds as LiveReferences does: every batch of the reader, counted, into one table. */
  private static LiveTable build(RootAllocator allocator, BatchReader reader, long[] read)
      throws Exception {
    List<VectorSchemaRoot> batches = new ArrayList<>();
    VectorSchemaRoot b;
    while ((b = reader.next()) != null) {
      read[0] += b.getRowCount();
      batches.add(b);
    }
    return LiveTable.build("enrich", SCHEMA, batches, new int[] {0}, OnDuplicate.LAST, null,
        4096, allocator);
  }

  private static BatchReader restored(RootAllocator allocator) {
    return BatchReader.of(new ArrayList<>(List.of(rows(allocator, 0, 700), rows(allocator, 700, 300))));
  }

  @Test
  void shouldHandOverTheTableOfTheVersionRestored() throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      TableRestore<LiveTable> restore = new TableRestore<>("enrich", (r, read) -> build(allocator, r, read));
      restore.restoring("v1", () -> restored(allocator));
      long[] read = {5};
      try (LiveTable table = restore.take("v1", read)) {
        assertNotNull(table);
        assertEquals(1000, table.base().rowCount());
        assertEquals(1005, read[0], "the rows it read are added to the count");
      }
      assertNull(restore.take("v1", read), "handed over once");
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void shouldTellHowLongTheBuildTookAndHowLongTheTakeWaitedForIt() throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      TableRestore<LiveTable> restore = new TableRestore<>("enrich", (r, read) -> {
        Thread.sleep(200); // a build the take has to wait for
        return build(allocator, r, read);
      });
      assertEquals(-1, restore.buildMillis(), "nothing taken yet");
      restore.restoring("v1", () -> restored(allocator));
      try (LiveTable table = restore.take("v1", new long[1])) {
        assertNotNull(table);
      }
      assertTrue(restore.buildMillis() >= 200, "build " + restore.buildMillis() + " ms");
      assertTrue(restore.waitMillis() >= 100 && restore.waitMillis() <= restore.buildMillis() + 100,
          "waited " + restore.waitMillis() + " ms of a build of " + restore.buildMillis() + " ms");
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void shouldCloseTheTableOfAnotherVersionAndHandOverNothing() throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      TableRestore<LiveTable> restore = new TableRestore<>("enrich", (r, read) -> build(allocator, r, read));
      restore.restoring("v1", () -> restored(allocator));
      long[] read = {0};
      assertNull(restore.take("v2", read));
      assertNull(restore.take(null, read));
      assertEquals(0, read[0]);
      assertEquals(0, allocator.getAllocatedMemory(), "the table of v1 was closed");

      TableRestore<LiveTable> none = new TableRestore<>("enrich", (r, count) -> build(allocator, r, count));
      assertNull(none.take("v1", read), "nothing restored: nothing to hand over");
    }
  }

  @Test
  void shouldHandOverNothingWhenTheBuildFailed() throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      TableRestore<LiveTable> restore = new TableRestore<>("enrich", (r, read) -> {
        throw new IllegalStateException("no room");
      });
      restore.restoring("v1", () -> restored(allocator));
      assertNull(restore.take("v1", new long[1]));
      assertEquals(0, allocator.getAllocatedMemory(), "the rows given were closed");
    }
  }

  @Test
  void shouldCloseTheTableWhenInterruptedWhileWaitingForIt() throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      CountDownLatch release = new CountDownLatch(1);
      TableRestore<LiveTable> restore = new TableRestore<>("enrich", (r, read) -> {
        release.await();
        return build(allocator, r, read);
      });
      restore.restoring("v1", () -> restored(allocator));
      Thread.currentThread().interrupt(); // a stop, as the job's thread gets it
      new Thread(() -> {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        release.countDown();
      }).start();
      InterruptedException stopped = org.junit.jupiter.api.Assertions.assertThrows(
          InterruptedException.class, () -> restore.take("v1", new long[1]));
      assertTrue(stopped.getMessage().contains("enrich"), stopped.getMessage());
      assertFalse(Thread.currentThread().isInterrupted(), "the flag is the exception");
      assertEquals(0, allocator.getAllocatedMemory(), "the table was built, then closed");
    }
  }

  @Test
  void shouldWaitForABuildUnderWayWhenDiscarded() throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      TableRestore<LiveTable> restore = new TableRestore<>("enrich", (r, read) -> {
        started.countDown();
        release.await();
        return build(allocator, r, read);
      });
      restore.restoring("v1", () -> restored(allocator));
      assertTrue(started.await(10, TimeUnit.SECONDS));
      Thread discarding = new Thread(restore::discard);
      discarding.start();
      discarding.join(300);
      assertTrue(discarding.isAlive(), "discard returned while the table was still being built");
      release.countDown();
      discarding.join(10_000);
      assertFalse(discarding.isAlive());
      assertEquals(0, allocator.getAllocatedMemory(), "the table built after the discard was closed");
    }
  }
}
