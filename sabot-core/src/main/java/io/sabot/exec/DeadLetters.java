package io.sabot.exec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sabot.connect.RecordRejecter;
import io.sabot.error.JobExecutionException;
import io.sabot.graph.OnError;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Applies a source's {@code on_error} policy to the records its readers cannot decode, and counts
 * them. With {@code dead_letter}, each record is appended as one JSON line:
 *
 * <pre>
 * {"source":"load_quotes","partition":"quotes.csv","line":17,"reason":"column=price value='abc' is not a float64","record":"17,abc,100"}
 * </pre>
 *
 * The file is created on the first rejected record only, so a clean run leaves no file behind.
 */
final class DeadLetters implements RecordRejecter, AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();
  private final String sourceName;
  private final OnError policy;
  private final Path path;
  private final LongAdder rejected = new LongAdder();
  private final Set<String> destinations = new LinkedHashSet<>();
  private FileChannel channel;
  private BufferedWriter writer;

  DeadLetters(String sourceName, OnError policy, Path path) {
    this.sourceName = sourceName;
    this.policy = policy;
    this.path = path;
  }

  @Override
  public void reject(String partition, long position, String rawRecord, String reason) {
    if (policy == OnError.FAIL) {
      throw new JobExecutionException(sourceName, partition, "line " + position + ": " + reason
          + "; set on_error: dead_letter (or skip) on the source to keep going past bad records");
    }
    rejected.increment();
    if (policy == OnError.DEAD_LETTER) write(partition, position, rawRecord, reason);
  }

  @Override
  public void deadLettered(String destination, String partition, long position, String reason) {
    if (policy != OnError.DEAD_LETTER) {
      reject(partition, position, "", reason);
      return;
    }
    rejected.increment();
    synchronized (this) {
      destinations.add(destination);
    }
  }

  /** Dead-letter destinations of the source's own (a Kafka topic), in first-use order. */
  synchronized List<String> otherDestinations() {
    return List.copyOf(destinations);
  }

  private synchronized void write(String partition, long position, String raw, String reason) {
    try {
      if (writer == null) {
        if (path.getParent() != null) Files.createDirectories(path.getParent());
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        writer = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
      }
      StringWriter line = new StringWriter();
      try (JsonGenerator g = JSON.createGenerator(line)) {
        g.writeStartObject();
        g.writeStringField("source", sourceName);
        g.writeStringField("partition", partition);
        g.writeNumberField("line", position);
        g.writeStringField("reason", reason);
        g.writeStringField("record", raw);
        g.writeEndObject();
      }
      writer.write(line.toString());
      writer.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write dead letter file " + path, e);
    }
  }

  long rejected() {
    return rejected.sum();
  }

  /** Where rejected records went, or null when none were written. */
  synchronized Path writtenTo() {
    return writer == null ? null : path;
  }

  /** Flushes and fsyncs: a dead letter is kept as durably as an output row. */
  @Override
  public synchronized void close() throws IOException {
    if (writer == null) return;
    try {
      writer.flush();
      channel.force(false);
    } finally {
      writer.close();
    }
  }
}
