/**
 * Tables held in this process's memory as Arrow batches ({@code memory: NAME}), for benchmarks and
 * embedding: {@link io.sabot.connect.memory.MemoryTables} holds them, {@link
 * io.sabot.connect.memory.MemorySource} reads one, and its reader hands the batches to a job as
 * views in the job's allocator, without copying.
 *
 * <pre>{@code
 * MemoryTables.register("quotes", schema, batches);   // the registry now owns the batches
 * jobManager.submitJob(graph);                        // SOURCE {memory: quotes}, any number
 * MemoryTables.unregister("quotes");                  // closes them once no reader holds them
 * }</pre>
 */
package io.sabot.connect.memory;
