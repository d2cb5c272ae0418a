package io.sabot.testing;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ConnectorProvider;
import io.sabot.connect.ReadContext;
import io.sabot.connect.Sink;
import io.sabot.connect.Source;
import io.sabot.connect.SourcePartition;
import io.sabot.connect.generator.GeneratorSource;
import io.sabot.graph.StreamOperatorNode;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A test connector that counts: a SOURCE with {@code memory: counting:NAME:quotes} (or
 * {@code :securities}, with {@code rows}) serves the workload generator's rows and records, under
 * NAME, how often such a source was created (which is when a source learns its schema) and how
 * often one of its partitions was opened (which is when data is read). Registered in this
 * module's test {@code META-INF/services}; give each test its own NAME.
 */
public final class CountingConnectorProvider implements ConnectorProvider {
  private static final String PREFIX = "counting:";
  private static final Map<String, AtomicInteger> CREATED = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> OPENED = new ConcurrentHashMap<>();

  /** How many sources named {@code name} were created (each learned its schema once). */
  public static int created(String name) {
    return CREATED.getOrDefault(name, new AtomicInteger()).get();
  }

  /** How many partitions of sources named {@code name} were opened for reading. */
  public static int opened(String name) {
    return OPENED.getOrDefault(name, new AtomicInteger()).get();
  }

  @Override
  public boolean handles(StreamOperatorNode node) {
    Object memory = node.parameter("memory");
    return memory instanceof String && ((String) memory).startsWith(PREFIX);
  }

  @Override
  public Source source(StreamOperatorNode node, Path baseDir) {
    String[] parts = ((String) node.parameter("memory")).split(":");
    String name = parts[1];
    long rows = ((Number) node.parameter("rows")).longValue();
    Source data = parts[2].equals("quotes") ? GeneratorSource.quotes(rows, 100)
        : GeneratorSource.securities(rows);
    CREATED.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    AtomicInteger opened = OPENED.computeIfAbsent(name, k -> new AtomicInteger());
    Schema schema = data.schema();
    List<SourcePartition> partitions = data.partitions().stream()
        .map(p -> (SourcePartition) new SourcePartition() {
          @Override
          public String description() {
            return p.description();
          }

          @Override
          public BatchReader open(ReadContext context) throws IOException {
            opened.incrementAndGet();
            return p.open(context);
          }
        }).collect(Collectors.toList());
    return new Source() {
      @Override
      public Schema schema() {
        return schema;
      }

      @Override
      public List<SourcePartition> partitions() {
        return partitions;
      }
    };
  }

  @Override
  public Sink sink(StreamOperatorNode node, Path baseDir) {
    throw new UnsupportedOperationException("the counting connector has no sink");
  }
}
