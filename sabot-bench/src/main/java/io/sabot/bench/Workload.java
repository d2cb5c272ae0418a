package io.sabot.bench;

import io.sabot.connect.Sink;
import io.sabot.connect.arrow.ArrowIpcSink;
import io.sabot.connect.csv.CsvSink;
import io.sabot.connect.generator.GeneratorSource;
import io.sabot.connect.jsonl.JsonlSink;
import io.sabot.connect.memory.MemoryTables;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The data of one benchmark, prepared before anything is timed: the quotes and securities of
 * docs/workload.md generated into Arrow batches and registered as memory tables (the
 * engine reads them with {@code memory: NAME}, the HashMap baseline copies them into objects),
 * and, for a file format, written once to files in the data folder and reused by later runs
 * (the quotes as one file, or with {@code --files K} as a folder of K files).
 */
final class Workload implements AutoCloseable {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final BenchOptions options;
  private final RootAllocator allocator;
  private final String quotesTable;
  private final String securitiesTable;
  private final List<VectorSchemaRoot> quotes;
  private final List<VectorSchemaRoot> securities;
  private Path quotesFile;
  private Path securitiesFile;

  private Workload(BenchOptions options, RootAllocator allocator, List<VectorSchemaRoot> quotes,
                   List<VectorSchemaRoot> securities) {
    this.options = options;
    this.allocator = allocator;
    int id = SEQUENCE.incrementAndGet();
    this.quotesTable = "bench" + id + ".quotes";
    this.securitiesTable = "bench" + id + ".securities";
    this.quotes = quotes;
    this.securities = securities;
  }

  /** Generates (and for a file format writes, unless cached) the data; prints what it did. */
  static Workload prepare(BenchOptions options, PrintStream log) {
    long t0 = System.nanoTime();
    RootAllocator generating = new RootAllocator();
    Workload w = null;
    boolean registered = false;
    try {
      List<VectorSchemaRoot> q = GeneratorSource.generate(GeneratorSource.Kind.QUOTES,
          options.rows(), options.referenceRows(), options.batchSize(), generating);
      List<VectorSchemaRoot> s;
      try {
        // One batch: the engine would concatenate them anyway, and the baseline reads it whole.
        s = GeneratorSource.generate(GeneratorSource.Kind.SECURITIES, options.referenceRows(),
            options.referenceRows(), (int) options.referenceRows(), generating);
      } catch (RuntimeException | Error e) {
        q.forEach(VectorSchemaRoot::close);
        throw e;
      }
      w = new Workload(options, generating, q, s);
      try {
        MemoryTables.register(w.quotesTable, GeneratorSource.Kind.QUOTES.schema(), q);
      } catch (RuntimeException | Error e) {
        s.forEach(VectorSchemaRoot::close); // register closed q
        throw e;
      }
      registered = true;
      MemoryTables.register(w.securitiesTable, GeneratorSource.Kind.SECURITIES.schema(), s);
      log.printf("data: generated %,d quotes (%s) and %,d securities (%s) in memory in %.1f s%n",
          options.rows(), Measurement.mib(bytes(q)), options.referenceRows(),
          Measurement.mib(bytes(s)), (System.nanoTime() - t0) / 1e9);
      if (options.format() != BenchOptions.Format.MEMORY) w.writeFiles(log);
      return w;
    } catch (RuntimeException | Error e) {
      if (registered) w.unregister();
      generating.close();
      throw e;
    }
  }

  private static long bytes(List<VectorSchemaRoot> batches) {
    long sum = 0;
    for (VectorSchemaRoot b : batches) {
      for (var v : b.getFieldVectors()) sum += v.getBufferSize();
    }
    return sum;
  }

  private void writeFiles(PrintStream log) {
    String ext = options.format() == BenchOptions.Format.ARROW ? "arrow" : options.format().text();
    String quotesName = "quotes-" + options.rows() + "-" + options.referenceRows() + "-"
        + options.batchSize();
    securitiesFile = options.dataDir().resolve("securities-" + options.referenceRows() + "." + ext);
    if (options.files() == 1) {
      quotesFile = options.dataDir().resolve(quotesName + "." + ext);
      write(quotesFile, GeneratorSource.Kind.QUOTES.schema(), quotes, log);
    } else {
      quotesFile = options.dataDir().resolve(quotesName + "-" + options.files() + "files." + ext);
      writeFolder(quotesFile, ext, GeneratorSource.Kind.QUOTES.schema(), quotes, log);
    }
    write(securitiesFile, GeneratorSource.Kind.SECURITIES.schema(), securities, log);
  }

  /** Writes {@code batches} to {@code file} unless it is there already (from an earlier run). */
  private void write(Path file, Schema schema, List<VectorSchemaRoot> batches, PrintStream log) {
    if (Files.isRegularFile(file)) {
      log.printf("data: reusing %s (%s)%n", file, Measurement.mib(size(file)));
      return;
    }
    long t0 = System.nanoTime();
    try {
      Files.createDirectories(file.getParent());
      try (Sink sink = newSink(file)) { // appears under its name only when complete
        sink.open(schema);
        for (VectorSchemaRoot b : batches) sink.write(b);
        sink.finish();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write benchmark data to " + file, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write benchmark data to " + file + ": " + e, e);
    }
    log.printf("data: wrote %s (%s) in %.1f s%n", file, Measurement.mib(size(file)),
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Writes {@code batches} as {@code options.files()} files {@code part-0.ext} ...
   * {@code part-<K-1>.ext} of {@code folder}, unless the folder is there already (from an earlier
   * run): file f holds rows [f * N / K, (f + 1) * N / K) (the first N mod K files one row more),
   * contiguous slices of the batches in order, so the folder read in natural order gives the
   * quotes in their order. The parts are written into a hidden folder beside it that is then
   * renamed, so the folder appears only complete.
   */
  private void writeFolder(Path folder, String ext, Schema schema, List<VectorSchemaRoot> batches,
                           PrintStream log) {
    int k = options.files();
    List<String> parts = new ArrayList<>(k);
    for (int f = 0; f < k; f++) parts.add("part-" + f + "." + ext);
    if (Files.isDirectory(folder)) {
      List<String> found = visibleFiles(folder);
      if (!found.equals(parts.stream().sorted().collect(Collectors.toList()))) {
        throw new IllegalStateException("cannot reuse benchmark data in " + folder + ": it should "
            + "hold exactly " + k + " files part-0." + ext + " .. part-" + (k - 1) + "." + ext
            + ", and holds " + found.size() + " " + found + "; delete it to have it written again");
      }
      log.printf("data: reusing %s (%s, %d files)%n", folder, Measurement.mib(size(folder, parts)), k);
      return;
    }
    long t0 = System.nanoTime();
    Path partial = null;
    try {
      Files.createDirectories(folder.getParent());
      // Hidden, so never taken for the data; made with createDirectory, which keeps the umask.
      Path hidden = folder.resolveSibling("." + folder.getFileName() + ".partial-"
          + ProcessHandle.current().pid());
      deleteQuietly(hidden); // left by a process with this id that died while writing it
      partial = Files.createDirectory(hidden);
      long base = options.rows() / k;
      long extra = options.rows() % k;
      int batch = 0; // the batch holding the next row to write
      int offset = 0; // that row, in its batch
      for (int f = 0; f < k; f++) {
        long left = base + (f < extra ? 1 : 0);
        try (Sink sink = newSink(partial.resolve(parts.get(f)))) {
          sink.open(schema);
          while (left > 0) {
            VectorSchemaRoot b = batches.get(batch);
            int n = (int) Math.min(left, b.getRowCount() - offset);
            if (offset == 0 && n == b.getRowCount()) {
              sink.write(b);
            } else {
              try (VectorSchemaRoot slice = b.slice(offset, n)) {
                sink.write(slice);
              }
            }
            left -= n;
            offset += n;
            if (offset == b.getRowCount()) {
              batch++;
              offset = 0;
            }
          }
          sink.finish();
        }
      }
      Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
      partial = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write benchmark data to " + folder, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write benchmark data to " + folder + ": " + e, e);
    } finally {
      if (partial != null) deleteQuietly(partial);
    }
    log.printf("data: wrote %s (%s, %d files) in %.1f s%n", folder,
        Measurement.mib(size(folder, parts)), k, (System.nanoTime() - t0) / 1e9);
  }

  /** The names of the files of {@code dir}, hidden ones left out, sorted. */
  private static List<String> visibleFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
          .sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list benchmark data in " + dir, e);
    }
  }

  private static long size(Path dir, List<String> files) {
    long sum = 0;
    for (String f : files) sum += size(dir.resolve(f));
    return sum;
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // a leftover hidden folder; the next run writes a fresh one
        }
      });
    } catch (IOException ignored) {
      // as above
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  private Sink newSink(Path path) {
    switch (options.format()) {
      case CSV: return CsvSink.toPath(path);
      case JSONL: return JsonlSink.toPath(path);
      case ARROW: return ArrowIpcSink.toPath(path);
      default: throw new AssertionError(options.format());
    }
  }

  /** The SOURCE parameters that read the quotes. */
  Map<String, Object> quotesSource() {
    return source(quotesTable, quotesFile, GeneratorSource.Kind.QUOTES.schema());
  }

  /** The SOURCE parameters that read the securities. */
  Map<String, Object> securitiesSource() {
    return source(securitiesTable, securitiesFile, GeneratorSource.Kind.SECURITIES.schema());
  }

  private Map<String, Object> source(String table, Path file, Schema schema) {
    Map<String, Object> p = new LinkedHashMap<>();
    if (options.format() == BenchOptions.Format.MEMORY) {
      p.put("memory", table);
    } else {
      p.put("path", file.toString());
      p.put("format", options.format().text());
      if (options.format() != BenchOptions.Format.ARROW) {
        Map<String, String> types = new LinkedHashMap<>();
        for (Field f : schema.fields()) types.put(f.name(), f.type().jobName());
        p.put("schema", types);
      }
    }
    p.put("batch_size", options.batchSize());
    return p;
  }

  /** The generated quotes, all columns (owned by the memory table; do not close). */
  List<VectorSchemaRoot> quotes() {
    return quotes;
  }

  /** The generated securities, all columns (owned by the memory table; do not close). */
  List<VectorSchemaRoot> securities() {
    return securities;
  }

  private void unregister() {
    MemoryTables.unregister(quotesTable);
    MemoryTables.unregister(securitiesTable);
  }

  /** Unregisters the tables and closes their memory; fails if a job still holds some of it. */
  @Override
  public void close() {
    unregister();
    long held = allocator.getAllocatedMemory();
    if (held != 0) {
      throw new IllegalStateException("Internal error: " + held + " bytes of benchmark data are "
          + "still referenced after every job ended; this is a bug in Sabot; please report it");
    }
    allocator.close();
  }
}
