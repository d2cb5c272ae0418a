package io.sabot.connect.memory;

import java.util.OptionalLong;
import io.sabot.connect.BatchReader;
import io.sabot.connect.ReadContext;
import io.sabot.connect.Source;
import io.sabot.connect.SourcePartition;
import io.sabot.error.InvalidJobException;
import io.sabot.types.Schema;
import java.util.List;

/**
 * A table registered in {@link MemoryTables} as a source ({@code memory: NAME}): one partition,
 * the registered batches in order. Batches are views of the registered buffers, not copies (see
 * {@link MemoryBatchReader}), so running a job over the same table many times reads the same
 * memory.
 */
public final class MemorySource implements Source {
  private final MemoryTables.Table table;

  private MemorySource(MemoryTables.Table table) {
    this.table = table;
  }

  /**
   * The source for the table registered as {@code name}.
   *
   * @throws InvalidJobException when no table has that name, listing the registered ones
   */
  public static MemorySource of(String operator, String name) {
    MemoryTables.Table table = MemoryTables.get(name);
    if (table == null) {
      throw new InvalidJobException("operator=" + operator + " parameter=memory value=" + name
          + " is not a registered memory table; registered: "
          + (MemoryTables.names().isEmpty() ? "none" : String.join(", ", MemoryTables.names())));
    }
    return new MemorySource(table);
  }

  /** The registered name. */
  public String name() {
    return table.name;
  }

  @Override
  public Schema schema() {
    return table.schema;
  }

  @Override
  public OptionalLong estimatedRows() {
    return OptionalLong.of(table.rows);
  }

  @Override
  public List<SourcePartition> partitions() {
    return List.of(new SourcePartition() {
      @Override
      public String description() {
        return "memory:" + table.name;
      }

      @Override
      public BatchReader open(ReadContext context) {
        return new MemoryBatchReader(table, context);
      }
    });
  }
}
