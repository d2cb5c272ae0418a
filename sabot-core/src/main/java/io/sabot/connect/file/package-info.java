/**
 * What the file connectors (csv, jsonl, arrow) share. Reading: which files a source's {@code path}
 * names ({@link io.sabot.connect.file.FileSet}: a file, a folder or a glob, in natural order, by
 * {@link io.sabot.connect.file.FileFormat}), one {@link io.sabot.connect.file.FilePartition} each.
 * Writing: {@link io.sabot.connect.file.EncodingSink}, which the format sinks extend, keeps the
 * durability contract of {@link io.sabot.connect.Sink} over a {@link
 * io.sabot.connect.file.SinkOutput}:
 *
 * <pre>
 *   write ─► encode ─► output stream ─┬─ every SYNC_EVERY_MS, flush, finish: output.sync()
 *   onDurable ─► pending ─────────────┘   ─► written for good? run pending (in order)
 *   finish ─► trailer ─► output.publish() ─► run pending          close without finish ─► abandon
 *
 *   SinkOutput:  overwrite, fail_if_exists ─► ReplacingFileOutput  (.NAME.sabot-partial, renamed)
 *                append                    ─► AppendingFileOutput  (length in .NAME.sabot-append)
 *                stdout, /dev/null, a pipe ─► StreamOutput
 * </pre>
 *
 * {@code DurableFiles} holds the few file-system steps they are made of (fsync, lock, atomic
 * replace, syncing a folder).
 */
package io.sabot.connect.file;
