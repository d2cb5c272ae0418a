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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The data of one benchmark, prepared before anything is timed: the quotes and securities of
 * docs/workload.md generated into Arrow batches and registered as memory tables (the
 * engine reads them with {@code memory: NAME}, the HashMap baseline copies them into objects),
 * and, for a file format, written once to files in the data folder and reused by later runs.
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
    quotesFile = options.dataDir().resolve("quotes-" + options.rows() + "-" + options.referenceRows()
        + "-" + options.batchSize() + "." + ext);
    securitiesFile = options.dataDir().resolve("securities-" + options.referenceRows() + "." + ext);
    write(quotesFile, GeneratorSource.Kind.QUOTES.schema(), quotes, log);
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
