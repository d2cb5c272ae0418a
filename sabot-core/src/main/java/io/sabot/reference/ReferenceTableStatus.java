package io.sabot.reference;

/**
 * A reference table as a running job has it now, for progress, an agent's reports and metrics.
 *
 * @param join            the join that probes it (a table is named by its join)
 * @param rows            rows in its current version
 * @param versions        versions built so far: 1 for a table read once, more for a table kept
 *                        live from a changelog (a new version per change seen)
 * @param bootstrapMillis how long the first version took to load and build
 */
public record ReferenceTableStatus(String join, long rows, long versions, long bootstrapMillis) {}
