package io.sabot.connect.generator;

import java.util.OptionalLong;
import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.Source;
import io.sabot.connect.SourcePartition;
import io.sabot.types.ColumnType;
import io.sabot.types.Field;
import io.sabot.types.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The benchmark workload of docs/workload.md as a source ({@code generator: quotes} or
 * {@code securities}), so a job, a test and a benchmark all see the same rows. One partition: the
 * quotes come from one sequential random stream. Values are written straight into the vectors;
 * only projected columns are filled, but every random draw is made for every row, so a value
 * never depends on the projection.
 */
public final class GeneratorSource implements Source {
  /** R when {@code reference_rows} is not given. */
  public static final long DEFAULT_REFERENCE_ROWS = 10_000;

  /** Which table to generate. */
  public enum Kind {
    /** The stream: instrumentId, price, size, ts. */
    QUOTES(new Schema(List.of(new Field("instrumentId", ColumnType.INT64),
        new Field("price", ColumnType.FLOAT64), new Field("size", ColumnType.INT64),
        new Field("ts", ColumnType.INT64)))),
    /** The reference table: ID, CUSIP, NAME, SECTOR, EXCHANGE, STATUS, DESCRIPTION, F0..F7. */
    SECURITIES(securitiesSchema());

    private final Schema schema;

    Kind(Schema schema) {
      this.schema = schema;
    }

    public Schema schema() {
      return schema;
    }

    /** {@code quotes} or {@code securities} (any case); null for anything else. */
    public static Kind parse(String name) {
      switch (name.trim().toLowerCase(Locale.ROOT)) {
        case "quotes": return QUOTES;
        case "securities": return SECURITIES;
        default: return null;
      }
    }

    private static Schema securitiesSchema() {
      List<Field> fields = new ArrayList<>();
      fields.add(new Field("ID", ColumnType.INT64));
      for (String s : List.of("CUSIP", "NAME", "SECTOR", "EXCHANGE", "STATUS", "DESCRIPTION")) {
        fields.add(new Field(s, ColumnType.STRING));
      }
      for (int k = 0; k < 8; k++) fields.add(new Field("F" + k, ColumnType.FLOAT64));
      return new Schema(fields);
    }
  }

  private final Kind kind;
  private final long rows;
  private final long referenceRows;

  private GeneratorSource(Kind kind, long rows, long referenceRows) {
    if (rows < 0 || referenceRows < 0) throw new IllegalArgumentException("negative row count");
    this.kind = kind;
    this.rows = rows;
    this.referenceRows = referenceRows;
  }

  /** N quotes whose instrument ids are drawn for R securities. */
  public static GeneratorSource quotes(long rows, long referenceRows) {
    return new GeneratorSource(Kind.QUOTES, rows, referenceRows);
  }

  /** R securities. */
  public static GeneratorSource securities(long referenceRows) {
    return new GeneratorSource(Kind.SECURITIES, referenceRows, referenceRows);
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public OptionalLong estimatedRows() {
    return OptionalLong.of(rows);
  }

  public long rows() {
    return rows;
  }

  @Override
  public String describe() {
    return "generator=" + kind.name().toLowerCase(java.util.Locale.ROOT) + " rows=" + rows;
  }

  @Override
  public Schema schema() {
    return kind.schema();
  }

  @Override
  public List<SourcePartition> partitions() {
    return List.of(new SourcePartition() {
      @Override
      public String description() {
        return "generator";
      }

      @Override
      public BatchReader open(ReadContext context) {
        return new GeneratorBatchReader(newFiller(context.columns()), rows, context);
      }
    });
  }

  private WorkloadFiller newFiller(Schema columns) {
    return kind == Kind.QUOTES ? new QuotesFiller(columns, referenceRows) : new SecuritiesFiller(columns);
  }

  /**
   * The whole table in memory, all columns, in batches of {@code batchSize} rows (the caller owns
   * and closes them): for benchmarks that time the join with the data already loaded.
   *
   * @param rows for quotes N; for securities R ({@code referenceRows} is then ignored)
   */
  public static List<VectorSchemaRoot> generate(Kind kind, long rows, long referenceRows,
                                                int batchSize, BufferAllocator allocator) {
    GeneratorSource source = kind == Kind.QUOTES ? quotes(rows, referenceRows) : securities(rows);
    ReadContext context = new ReadContext(allocator, kind.schema(), batchSize, (p, pos, raw, why) -> {
      throw new IllegalStateException("the generator rejected a row: " + why);
    });
    List<VectorSchemaRoot> out = new ArrayList<>();
    try (BatchReader reader = source.partitions().get(0).open(context)) {
      VectorSchemaRoot batch;
      while ((batch = reader.next()) != null) out.add(batch);
    } catch (Exception | Error e) {
      out.forEach(VectorSchemaRoot::close);
      if (e instanceof RuntimeException) throw (RuntimeException) e;
      if (e instanceof Error) throw (Error) e;
      throw new IllegalStateException(e);
    }
    return out;
  }
}
