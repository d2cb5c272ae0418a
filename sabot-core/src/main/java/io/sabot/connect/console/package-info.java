/**
 * Sinks that keep nothing: {@link io.sabot.connect.console.StdoutTableSink} prints the rows as an
 * aligned table for a person to read ({@code stdout: true}), {@link
 * io.sabot.connect.console.DiscardSink} only counts them ({@code discard: true}), for benchmarks
 * and dry runs (with {@code materialize: true} after the executor has built each output batch). {@code stdout: true} with {@code format: csv} or {@code jsonl} is the CSV or JSONL
 * sink writing to stdout ({@code connect.csv}, {@code connect.jsonl}).
 */
package io.sabot.connect.console;
