/**
 * The seed's examples written against the public API: {@link
 * io.sabot.examples.LocalEnrichment} builds the stream-enrichment job (filter quotes, select
 * security columns, join) as a {@code JobGraph} in Java and runs it with a {@code JobManager};
 * the job files beside it in {@code examples/stream-enrichment} are the same job for
 * {@code bin/sabot}.
 */
package io.sabot.examples;
