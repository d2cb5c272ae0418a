package io.sabot.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.Sink;
import io.sabot.connect.Source;
import io.sabot.connect.arrow.ArrowIpcSink;
import io.sabot.connect.arrow.ArrowIpcSource;
import io.sabot.connect.csv.CsvSink;
import io.sabot.connect.csv.CsvSource;
import io.sabot.connect.generator.GeneratorSource;
import io.sabot.connect.jsonl.JsonlSink;
import io.sabot.connect.jsonl.JsonlSource;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading {@link KernelData#ROWS} quotes from a file into Arrow batches: the engine's CSV, JSON
 * lines and Arrow IPC readers, each against the plain library way (FastCSV records with
 * {@code Long.parseLong}/{@code Double.parseDouble}; Jackson's streaming parser; Arrow's
 * {@link ArrowStreamReader}), all summing a column so nothing is optimized away. Files are written
 * once per trial. Score: rows/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED",
    "-Darrow.enable_unsafe_memory_access=true", "-Darrow.enable_null_check_for_get=false"})
public class DecodeBenchmark {
  private static final Schema QUOTES = GeneratorSource.Kind.QUOTES.schema();

  private RootAllocator allocator;
  private Path dir;
  private Path csv;
  private Path jsonl;
  private Path arrow;
  private Source csvSource;
  private Source jsonlSource;
  private Source arrowSource;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    allocator = new RootAllocator();
    dir = Files.createTempDirectory("sabot-jmh-decode");
    List<VectorSchemaRoot> batches = KernelData.quotes(10_000, allocator);
    try {
      csv = write(CsvSink.toPath(dir.resolve("quotes.csv")), dir.resolve("quotes.csv"), batches);
      jsonl = write(JsonlSink.toPath(dir.resolve("quotes.jsonl")), dir.resolve("quotes.jsonl"), batches);
      arrow = write(ArrowIpcSink.toPath(dir.resolve("quotes.arrow")), dir.resolve("quotes.arrow"), batches);
    } finally {
      batches.forEach(VectorSchemaRoot::close);
    }
    Map<String, ColumnType> declared = new LinkedHashMap<>();
    for (Field f : QUOTES.fields()) declared.put(f.name(), f.type());
    csvSource = new CsvSource("quotes", List.of(csv), declared);
    jsonlSource = new JsonlSource("quotes", List.of(jsonl), declared);
    arrowSource = new ArrowIpcSource("quotes", List.of(arrow));
  }

  private static Path write(Sink sink, Path path, List<VectorSchemaRoot> batches) throws Exception {
    try (Sink s = sink) {
      s.open(QUOTES);
      for (VectorSchemaRoot b : batches) s.write(b);
      s.finish();
    }
    return path;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    allocator.close();
    for (Path p : List.of(csv, jsonl, arrow)) Files.deleteIfExists(p);
    Files.deleteIfExists(dir);
  }

  /** Reads every batch, sums the size column, closes the batches. */
  private long readAll(Source source) throws IOException {
    long sum = 0;
    ReadContext context = new ReadContext(allocator, QUOTES, KernelData.BATCH,
        (p, pos, raw, why) -> {
          throw new IllegalStateException(why);
        });
    try (BatchReader reader = source.partitions().get(0).open(context)) {
      VectorSchemaRoot b;
      while ((b = reader.next()) != null) {
        try (VectorSchemaRoot batch = b) {
          BigIntVector size = (BigIntVector) batch.getVector("size");
          for (int i = 0; i < batch.getRowCount(); i++) sum += size.get(i);
        }
      }
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(KernelData.ROWS)
  public long engineCsv() throws IOException {
    return readAll(csvSource);
  }

  @Benchmark
  @OperationsPerInvocation(KernelData.ROWS)
  public long baselineFastCsvParse() throws IOException {
    long sum = 0;
    double prices = 0;
    try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(csv)) {
      boolean header = true;
      for (CsvRecord r : reader) {
        if (header) {
          header = false;
          continue;
        }
        sum += Long.parseLong(r.getField(0)) + Long.parseLong(r.getField(2))
            + Long.parseLong(r.getField(3));
        prices += Double.parseDouble(r.getField(1));
      }
    }
    return sum + (long) prices;
  }

  @Benchmark
  @OperationsPerInvocation(KernelData.ROWS)
  public long engineJsonl() throws IOException {
    return readAll(jsonlSource);
  }

  private static final JsonFactory JSON = new JsonFactory();

  @Benchmark
  @OperationsPerInvocation(KernelData.ROWS)
  public long baselineJacksonStreaming() throws IOException {
    long sum = 0;
    double prices = 0;
    try (InputStream in = Files.newInputStream(jsonl); JsonParser p = JSON.createParser(in)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.VALUE_NUMBER_INT) {
          sum += p.getLongValue();
        } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
          prices += p.getDoubleValue();
        }
      }
    }
    return sum + (long) prices;
  }

  @Benchmark
  @OperationsPerInvocation(KernelData.ROWS)
  public long engineArrowIpc() throws IOException {
    return readAll(arrowSource);
  }

  @Benchmark
  @OperationsPerInvocation(KernelData.ROWS)
  public long baselineArrowStreamReader() throws IOException {
    long sum = 0;
    try (InputStream in = Files.newInputStream(arrow);
         ArrowStreamReader reader = new ArrowStreamReader(in, allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      while (reader.loadNextBatch()) {
        BigIntVector size = (BigIntVector) root.getVector("size");
        for (int i = 0; i < root.getRowCount(); i++) sum += size.get(i);
      }
    }
    return sum;
  }
}
