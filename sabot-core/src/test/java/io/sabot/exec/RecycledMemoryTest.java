package io.sabot.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Freed Arrow buffers kept and reused: classes, the cap on idle bytes, and dirty memory reused. */
class RecycledMemoryTest {
  private static RootAllocator allocatorOn(RecycledMemory memory, long limit) {
    return new RootAllocator(RootAllocator.configBuilder().maxAllocation(limit)
        .allocationManagerFactory(memory.factory()).build());
  }

  @Test
  void shouldRoundToPowersOfTwoUpTo16MibAndToEighthsOfAnOctaveAbove() {
    assertEquals(64, RecycledMemory.sizeClass(1));
    assertEquals(64, RecycledMemory.sizeClass(64));
    assertEquals(128, RecycledMemory.sizeClass(65));
    assertEquals(4096, RecycledMemory.sizeClass(4096));
    assertEquals(8192, RecycledMemory.sizeClass(4097));
    assertEquals(16L << 20, RecycledMemory.sizeClass(16L << 20));
    assertEquals((16L << 20) + (2L << 20), RecycledMemory.sizeClass((16L << 20) + 1));
    assertEquals(1L << 30, RecycledMemory.sizeClass((1L << 30) - 5));
    assertEquals((1L << 30) + (128L << 20), RecycledMemory.sizeClass((1L << 30) + 1));
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      long size = 1 + (random.nextLong() >>> (24 + random.nextInt(40))); // up to 1 TiB
      long block = RecycledMemory.sizeClass(size);
      assertTrue(block >= size, size + " -> " + block);
      long most = size <= 64 ? 64 : size <= 16L << 20 ? 2 * size : size + size / 8;
      assertTrue(block <= most, size + " -> " + block);
      assertEquals(block, RecycledMemory.sizeClass(block), "a class is its own class: " + block);
    }
  }

  @Test
  void shouldReuseAFreedBlockForTheNextBufferOfItsClass() {
    RecycledMemory memory = new RecycledMemory(1 << 20);
    try (BufferAllocator allocator = allocatorOn(memory, 1 << 30)) {
      long first;
      try (ArrowBuf buf = allocator.buffer(3000)) {
        first = buf.memoryAddress();
        assertEquals(4096, allocator.getAllocatedMemory(), "Arrow's rounding, not the class's");
      }
      assertEquals(0, allocator.getAllocatedMemory());
      assertEquals(4096, memory.idleBytes());
      try (ArrowBuf again = allocator.buffer(2500); ArrowBuf other = allocator.buffer(8000)) {
        assertEquals(first, again.memoryAddress());
        assertNotEquals(first, other.memoryAddress());
        assertEquals(0, memory.idleBytes());
      }
      assertEquals(1, memory.reusedBlocks());
      assertEquals(2, memory.allocatedBlocks());
      assertEquals(4096 + 8192, memory.idleBytes());
    }
    memory.drain();
    assertEquals(0, memory.idleBytes());
  }

  @Test
  void shouldFreeWhatWouldPassTheCapOnIdleBytes() {
    RecycledMemory memory = new RecycledMemory(10_000);
    try (BufferAllocator allocator = allocatorOn(memory, 1 << 30)) {
      ArrowBuf a = allocator.buffer(4096);
      ArrowBuf b = allocator.buffer(4096);
      ArrowBuf c = allocator.buffer(4096);
      a.close();
      b.close();
      c.close(); // a third would make 12,288 idle bytes: freed
      assertEquals(8192, memory.idleBytes());
      try (ArrowBuf d = allocator.buffer(4096); ArrowBuf e = allocator.buffer(4096);
           ArrowBuf f = allocator.buffer(4096)) {
        assertEquals(0, memory.idleBytes());
        assertEquals(2, memory.reusedBlocks());
        assertEquals(4, memory.allocatedBlocks());
      }
    }
    memory.drain();
  }

  @Test
  void shouldFreeTheBlocksOfTheSizeLeastRecentlyAskedForToKeepOneAskedForNow() {
    long[] now = {0};
    RecycledMemory memory = new RecycledMemory(3 * 4096, () -> now[0]);
    try (BufferAllocator allocator = allocatorOn(memory, 1 << 30)) {
      ArrowBuf a = allocator.buffer(4096);
      ArrowBuf b = allocator.buffer(4096);
      a.close();
      b.close();
      assertEquals(8192, memory.idleBytes());
      now[0] = 5_000_000L;
      ArrowBuf big = allocator.buffer(8192); // a class asked for after the 4096s
      big.close(); // over the cap: a 4096 block (the class wanted longest ago) is freed for it
      assertEquals(4096 + 8192, memory.idleBytes());
      long allocatedBefore = memory.allocatedBlocks();
      try (ArrowBuf again = allocator.buffer(8192)) {
        assertEquals(allocatedBefore, memory.allocatedBlocks(), "the 8192 block was kept");
      }
      now[0] = 6_000_000L;
      ArrowBuf c = allocator.buffer(4096); // the 4096s are the newest wanted now
      ArrowBuf d = allocator.buffer(4096);
      assertEquals(8192, memory.idleBytes());
      c.close();
      d.close(); // idle 4096 + 4096 + 8192 > cap: the 8192 block gives way
      assertEquals(8192, memory.idleBytes());
      try (ArrowBuf e = allocator.buffer(4096); ArrowBuf f = allocator.buffer(4096)) {
        assertEquals(0, memory.idleBytes());
      }
    }
    memory.drain();
  }

  @Test
  void shouldFreeABlockLargerThanTheCapWithoutFlushingTheOthers() {
    RecycledMemory memory = new RecycledMemory(64 << 10);
    try (BufferAllocator allocator = allocatorOn(memory, 1 << 30)) {
      allocator.buffer(4096).close();
      allocator.buffer(1 << 20).close();
      assertEquals(4096, memory.idleBytes());
    }
    memory.drain();
  }

  @Test
  void shouldFreeTheBlocksOfASizeNotAskedForIn30Seconds() {
    long[] now = {0};
    RecycledMemory memory = new RecycledMemory(1 << 20, () -> now[0]);
    try (BufferAllocator allocator = allocatorOn(memory, 1 << 30)) {
      allocator.buffer(65536).close();
      allocator.buffer(4096).close();
      assertEquals(65536 + 4096, memory.idleBytes());
      now[0] = 20_000_000_000L;
      allocator.buffer(4096).close(); // the 4096s were wanted 20 s after the 65536s
      now[0] = RecycledMemory.STALE_NANOS + 1_000_000_000L;
      allocator.buffer(128).close(); // a free, 31 s on: the 65536s are stale, the 4096s are not
      assertEquals(4096 + 128, memory.idleBytes());
    }
    memory.drain();
  }

  @Test
  void shouldGiveVectorsOnReusedDirtyMemoryNoValuesOfTheirOwn() {
    RecycledMemory memory = new RecycledMemory(64 << 20);
    try (BufferAllocator allocator = allocatorOn(memory, 1 << 30)) {
      for (int round = 0; round < 3; round++) {
        try (IntVector ints = new IntVector("i", allocator);
             VarCharVector strings = new VarCharVector("s", allocator)) {
          ints.allocateNew(10_000);
          strings.allocateNew(200_000, 10_000);
          for (int r = 0; r < 10_000; r++) {
            assertTrue(ints.isNull(r), "round " + round + " row " + r);
            assertTrue(strings.isNull(r), "round " + round + " row " + r);
            assertEquals(0, strings.getOffsetBuffer().getInt(4L * r));
          }
          assertEquals(0, ints.getDataBuffer().getLong(0));
          // leave the memory dirty for the next round
          for (int r = 0; r < 10_000; r++) {
            ints.set(r, -1 - r);
            strings.setSafe(r, ("value " + r).getBytes(StandardCharsets.UTF_8));
          }
          ints.setValueCount(10_000);
          strings.setValueCount(10_000);
        }
      }
      assertTrue(memory.reusedBlocks() >= 6, "reused " + memory.reusedBlocks());
    }
    memory.drain();
  }

  @Test
  void shouldTakeBackABlockFreedOnAnotherThread() throws Exception {
    RecycledMemory memory = new RecycledMemory(1 << 20);
    try (BufferAllocator allocator = allocatorOn(memory, 1 << 30)) {
      ArrowBuf buf = allocator.buffer(1 << 16);
      long address = buf.memoryAddress();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread closer = new Thread(() -> {
        try {
          buf.close();
        } catch (Throwable t) {
          failed.set(t);
        }
      });
      closer.start();
      closer.join();
      assertEquals(null, failed.get());
      try (ArrowBuf again = allocator.buffer(1 << 16)) {
        assertEquals(address, again.memoryAddress());
      }
    }
    memory.drain();
  }

  /**
   * Four threads allocate, fill and free buffers of a few sizes at once, through a cap small
   * enough that freeing often evicts: a block handed to two buffers at a time would show as a
   * buffer whose fill another thread overwrote (or, for a block freed twice, as a crash), and
   * the idle bytes must come back to what the kept blocks hold.
   */
  @Test
  @Timeout(60) // a deadlock in the pool fails the test instead of hanging the build
  void shouldNeverHandOneBlockToTwoBuffersWhenThreadsShareIt() throws Exception {
    RecycledMemory memory = new RecycledMemory(256 << 10);
    int threads = 4;
    int rounds = 20_000;
    long[] sizes = {64, 1000, 4096, 20_000, 70_000};
    try (BufferAllocator allocator = allocatorOn(memory, 1L << 30)) {
      AtomicReference<Throwable> failed = new AtomicReference<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        workers.add(new Thread(() -> {
          Random random = new Random(id);
          ArrowBuf[] held = new ArrowBuf[3];
          long[] fill = new long[held.length];
          try {
            for (int i = 0; i < rounds && failed.get() == null; i++) {
              int k = random.nextInt(held.length);
              if (held[k] != null) {
                long expected = fill[k];
                for (long at = 0; at + 8 <= held[k].capacity(); at += 512) {
                  assertEquals(expected, held[k].getLong(at), "thread " + id + " round " + i);
                }
                held[k].close();
                held[k] = null;
              } else {
                held[k] = allocator.buffer(sizes[random.nextInt(sizes.length)]);
                fill[k] = ((long) id << 32) | i;
                for (long at = 0; at + 8 <= held[k].capacity(); at += 512) {
                  held[k].setLong(at, fill[k]);
                }
              }
            }
          } catch (Throwable e) {
            failed.compareAndSet(null, e);
          } finally {
            for (ArrowBuf b : held) if (b != null) b.close();
          }
        }));
      }
      workers.forEach(Thread::start);
      for (Thread w : workers) w.join();
      if (failed.get() != null) throw new AssertionError(failed.get());
      assertEquals(0, allocator.getAllocatedMemory());
      assertTrue(memory.idleBytes() <= 256 << 10, "idle " + memory.idleBytes());
      assertTrue(memory.reusedBlocks() > rounds / 4, "reused " + memory.reusedBlocks());
    }
    memory.drain();
    assertEquals(0, memory.idleBytes(), "the idle count matches the blocks kept");
  }
}
