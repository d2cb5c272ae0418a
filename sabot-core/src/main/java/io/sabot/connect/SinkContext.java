package io.sabot.connect;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What a sink is opened with besides its spec: the job's folder (relative paths resolve there),
 * the stream that feeds it (a file sink's default mode and the modes it rules out depend on it),
 * and where {@code stdout: true} writes.
 *
 * @param stream     the source at the head of the sink's pipeline; null when the plan has none
 *                   (the pipeline has a problem of its own)
 * @param streamName that source's operator name
 */
public record SinkContext(Path baseDir, Source stream, String streamName, PrintStream stdout) {
  /** A sink opened on its own: no stream known, stdout is {@link System#out}. */
  public static SinkContext of(Path baseDir) {
    return new SinkContext(baseDir, null, null, System.out);
  }
}
