package io.sabot.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The JVM heap's peak between {@link #reset} and {@link #read}: the sum of each heap pool's peak
 * ({@link MemoryPoolMXBean#getPeakUsage}). Pools peak at different moments, so the sum is an
 * upper bound of the true simultaneous peak; it includes whatever was live at the reset.
 */
final class HeapPeak {
  private static final List<MemoryPoolMXBean> HEAP = ManagementFactory.getMemoryPoolMXBeans()
      .stream().filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).collect(Collectors.toList());

  private HeapPeak() {}

  /**
   * A full collection ({@link #reset}'s System.gc()) gives the heap back to the system down to
   * what its live set needs (68 MB here), and every run then grew it again, faulting in pages a
   * job that runs on touches once; the live table's threads, which allocate most, paid most
   * (BENCHMARKS.md, eleventh round). The Kafka benchmark keeps the heap a run grew: G1 reads
   * MaxHeapFreeRatio at each resize, and HotSpot lets it be changed while running. Its peak heap
   * then counts more garbage (a larger heap is collected less often), so {@code sabot bench},
   * whose peaks compare the engine's memory with the baselines', does not.
   */
  static void keepTheHeapAfterFullCollections() {
    try {
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .setVMOption("MaxHeapFreeRatio", "100");
    } catch (RuntimeException e) { // not HotSpot: the runs then regrow the heap, as before
      System.err.println("bench: the heap may shrink between runs (" + e.getMessage() + ")");
    }
  }

  /**
   * Collects garbage (so a run starts from the live set), then restarts every pool's peak.
   *
   * @return the heap in use after the collection: what was live before the run
   */
  static long reset() {
    System.gc();
    long used = 0;
    for (MemoryPoolMXBean p : HEAP) {
      p.resetPeakUsage();
      used += p.getUsage().getUsed();
    }
    return used;
  }

  /** Bytes: the sum of the heap pools' peaks since {@link #reset}. */
  static long read() {
    long sum = 0;
    for (MemoryPoolMXBean p : HEAP) sum += p.getPeakUsage().getUsed();
    return sum;
  }
}
