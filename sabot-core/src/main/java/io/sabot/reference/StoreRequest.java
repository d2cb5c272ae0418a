package io.sabot.reference;

import io.sabot.graph.OnDuplicate;
import io.sabot.types.Schema;
import java.nio.file.Path;

/**
 * What a {@link ReferenceStoreProvider} builds: a join's reference table.
 *
 * @param operatorName the HASH_JOIN, for messages
 * @param schema every column of the reference rows (keys and payload)
 * @param keyColumns indexes of the key columns in {@code schema}
 * @param memoryBudget bytes the store may keep in memory (block cache, write buffers)
 * @param stateDir the folder for its files (created, and removed at close when it was made
 *     temporary), or null for a new temporary folder
 */
public record StoreRequest(String operatorName, Schema schema, int[] keyColumns,
                           OnDuplicate onDuplicate, long memoryBudget, Path stateDir) {
  public StoreRequest {
    keyColumns = keyColumns.clone();
  }
}
