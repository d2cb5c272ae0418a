package io.sabot.exec;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Arrow memory kept once freed, for the next buffer of its size class, up to a number of idle
 * bytes: every job's root allocator ({@link LocalExecutor}) allocates through {@link #factory()}.
 *
 * <p>Why: a batch's buffers are freed as it leaves the pipeline and the next batch's are
 * allocated a moment later. Freed to malloc, large blocks go back to the kernel (munmap, or the
 * top of an arena trimmed), and the next allocation faults every page in again, each zeroed by
 * the kernel first: on the 2-core virtual machine of BENCHMARKS.md, faults and page zeroing
 * were the largest item of the stream's workers and of a live table's threads. Kept here, a block
 * is reused as it is: its pages stay mapped. Its bytes are not cleared, nor need to be: malloc's
 * never were, and Arrow's vectors zero what they read before writing (validity bits, offsets,
 * fixed-width values).
 *
 * <pre>
 *   allocate n bytes:  class c = n rounded up (powers of two; 8 classes an octave above 16 MiB)
 *                      free block of class c? take it : malloc(c)
 *   free (last ref):   idle + c &lt;= cap? keep it in class c's list
 *                      else free blocks of the classes least recently asked for, or this one
 *   a class not asked for in 30 s: its blocks freed (checked at most once a second, on a free)
 * </pre>
 *
 * A buffer reports the size asked for ({@link AllocationManager#getSize()}): a job's memory limit
 * counts what its vectors asked for, not the class's rounding nor the idle blocks.
 */
public final class RecycledMemory {
  /** Below this a block is of this class: tiny buffers are too many to keep one list each. */
  static final long SMALLEST_CLASS = 64;

  private static final RecycledMemory SHARED = new RecycledMemory(defaultIdleBytes());

  private final long idleCap;
  private final AtomicLong idle = new AtomicLong();
  private final AtomicLong reused = new AtomicLong();
  private final AtomicLong allocated = new AtomicLong();
  private final ConcurrentHashMap<Long, Blocks> free = new ConcurrentHashMap<>();
  private final AllocationManager.Factory factory = new AllocationManager.Factory() {
    @Override
    public AllocationManager create(BufferAllocator accountingAllocator, long size) {
      return new Recycled(accountingAllocator, size);
    }

    @Override
    public ArrowBuf empty() {
      return UnsafeAllocationManager.FACTORY.empty();
    }
  };

  private final LongSupplier clock;
  private final AtomicLong lastTrim;

  RecycledMemory(long idleCap) {
    this(idleCap, System::nanoTime);
  }

  /** @param clock nanoseconds, as {@link System#nanoTime} (tests give their own) */
  RecycledMemory(long idleCap, LongSupplier clock) {
    this.idleCap = idleCap;
    this.clock = clock;
    this.lastTrim = new AtomicLong(clock.getAsLong());
  }

  /** The process's recycled memory, which every job's allocator shares. */
  public static RecycledMemory shared() {
    return SHARED;
  }

  /**
   * Idle bytes kept at most: the system property {@code sabot.recycledMemory} (bytes; 0 keeps
   * none), else a sixteenth of the machine's memory, at most 1 GiB.
   */
  private static long defaultIdleBytes() {
    String set = System.getProperty("sabot.recycledMemory");
    if (set != null) {
      try {
        return Math.max(0, Long.parseLong(set.trim()));
      } catch (NumberFormatException e) { // a job must not fail for it: keep the default
        System.err.println("sabot: -Dsabot.recycledMemory=" + set + " is not a number of bytes;"
            + " using the default cap");
      }
    }
    long machine = 0;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      machine = os.getTotalMemorySize();
    }
    return machine <= 0 ? 256L << 20 : Math.min(1L << 30, machine / 16);
  }

  public AllocationManager.Factory factory() {
    return factory;
  }

  /** The size of the block a buffer of {@code size} bytes gets (its class). */
  static long sizeClass(long size) {
    if (size <= SMALLEST_CLASS) return SMALLEST_CLASS;
    if (size > 1L << 60) return size; // no such allocation succeeds; no overflow either
    int octave = 63 - Long.numberOfLeadingZeros(size - 1); // 2^octave < size <= 2^(octave + 1)
    // up to 16 MiB (Arrow rounds these to a power of two already): the power of two; above,
    // an eighth of the octave, so a large buffer wastes at most an eighth
    long step = octave < 24 ? 1L << (octave + 1) : 1L << (octave - 3);
    return (size + step - 1) & -step;
  }

  /** Bytes of freed blocks kept now. */
  public long idleBytes() {
    return idle.get();
  }

  /** Blocks taken from the kept ones, and blocks allocated anew, since the start. */
  public long reusedBlocks() {
    return reused.get();
  }

  public long allocatedBlocks() {
    return allocated.get();
  }

  /** Frees every kept block (a failed allocation tries this before giving up). */
  public void drain() {
    for (var e : free.entrySet()) freeAll(e.getKey(), e.getValue());
  }

  private void freeAll(long block, Blocks blocks) {
    long address;
    while ((address = blocks.pop()) != 0) {
      idle.addAndGet(-block);
      MemoryUtil.freeMemory(address);
    }
  }

  private long take(long block) {
    Blocks blocks = blocks(block);
    blocks.lastWanted = clock.getAsLong();
    long address = blocks.pop();
    if (address != 0) {
      idle.addAndGet(-block);
      reused.incrementAndGet();
      return address;
    }
    allocated.incrementAndGet();
    try {
      return MemoryUtil.allocateMemory(block);
    } catch (OutOfMemoryError e) {
      drain(); // the idle blocks of other classes may be what malloc lacks
      return MemoryUtil.allocateMemory(block);
    }
  }

  private void give(long address, long block) {
    if (block > idleCap) { // it could never fit: keeping it would only flush every other class
      MemoryUtil.freeMemory(address);
      return;
    }
    Blocks blocks = blocks(block);
    trimStale();
    if (idle.addAndGet(block) > idleCap && !makeRoom(blocks)) {
      idle.addAndGet(-block);
      MemoryUtil.freeMemory(address);
      return;
    }
    blocks.push(address);
  }

  /** The list of class {@code block}, made when the class is first asked for. */
  private Blocks blocks(long block) {
    Blocks blocks = free.get(block);
    return blocks != null ? blocks : free.computeIfAbsent(block, b -> new Blocks(clock.getAsLong()));
  }

  /**
   * Frees blocks of the classes least recently wanted until the idle bytes are within the cap;
   * false when {@code incoming}'s class is itself the least recently wanted of those holding
   * blocks (then its block is the one to free). A job's sizes change (a live table rebuilt with
   * more rows, a wider batch): the blocks of sizes no longer asked for give way to those that are.
   */
  private boolean makeRoom(Blocks incoming) {
    while (idle.get() > idleCap) {
      long oldestBlock = 0;
      Blocks oldest = null;
      for (var e : free.entrySet()) {
        Blocks b = e.getValue();
        if (b.size() > 0 && (oldest == null || b.lastWanted < oldest.lastWanted)) {
          oldest = b;
          oldestBlock = e.getKey();
        }
      }
      if (oldest == null || oldest == incoming || oldest.lastWanted >= incoming.lastWanted) {
        return false;
      }
      long address = oldest.pop();
      if (address != 0) {
        idle.addAndGet(-oldestBlock);
        MemoryUtil.freeMemory(address);
      }
    }
    return true;
  }

  /** A class of blocks not asked for in this long is freed: the memory goes back to the system. */
  static final long STALE_NANOS = 30_000_000_000L;

  /** At most once a second, frees the blocks of every class not asked for since {@link #STALE_NANOS}. */
  private void trimStale() {
    long now = clock.getAsLong();
    long last = lastTrim.get();
    if (now - last < 1_000_000_000L || !lastTrim.compareAndSet(last, now)) return;
    for (var e : free.entrySet()) {
      if (now - e.getValue().lastWanted >= STALE_NANOS) freeAll(e.getKey(), e.getValue());
    }
  }

  /** The free blocks of one class: a stack (the last freed is the warmest). */
  private static final class Blocks {
    private long[] addresses = new long[8];
    private int size;
    /** When a block of this class was last asked for: nanoTime. */
    volatile long lastWanted;

    Blocks(long now) {
      lastWanted = now;
    }

    synchronized void push(long address) {
      if (size == addresses.length) addresses = Arrays.copyOf(addresses, size * 2);
      addresses[size++] = address;
    }

    /** A block's address, or 0 when none is kept. */
    synchronized long pop() {
      return size == 0 ? 0 : addresses[--size];
    }

    synchronized int size() {
      return size;
    }
  }

  /** One buffer's memory: a block of its class, given back to the kept ones when released. */
  private final class Recycled extends AllocationManager {
    private final long size;
    private final long block;
    private final long address;

    Recycled(BufferAllocator accountingAllocator, long size) {
      super(accountingAllocator);
      this.size = size;
      this.block = sizeClass(size);
      this.address = take(block);
    }

    @Override
    public long getSize() {
      return size;
    }

    @Override
    protected long memoryAddress() {
      return address;
    }

    @Override
    protected void release0() {
      give(address, block);
    }
  }
}
