package io.sabot.reference;

/**
 * A reference table as a running job has it now, for progress, an agent's reports and metrics.
 *
 * @param join            the join that probes it (a table is named by its join)
 * @param rows            rows in its current version
 * @param versions        versions built so far: 1 for a table read once, more for a table kept
 *                        live from a changelog (a new version per change seen)
 * @param bootstrapMillis how long the first version took to load and build
 * @param rowsChanged     rows a live table's changes removed or added in place (0 for others)
 */
public record ReferenceTableStatus(String join, long rows, long versions, long bootstrapMillis,
                                   long rowsChanged) {
  /** A table no change reached (read once, or not changed yet). */
  public ReferenceTableStatus(String join, long rows, long versions, long bootstrapMillis) {
    this(join, rows, versions, bootstrapMillis, 0);
  }
}
