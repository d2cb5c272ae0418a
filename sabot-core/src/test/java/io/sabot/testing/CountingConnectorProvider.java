package io.sabot.testing;

import io.sabot.connect.BatchReader;
import io.sabot.connect.ConnectorProvider;
import io.sabot.connect.ReadContext;
import io.sabot.connect.Source;
import io.sabot.connect.SourceConnector;
import io.sabot.connect.SourcePartition;
import io.sabot.connect.generator.GeneratorSource;
import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import io.sabot.graph.SourceSpec;
import io.sabot.types.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A test connector that counts: a SOURCE with {@code counting: NAME:quotes} (or
 * {@code :securities}, with {@code rows}) serves the workload generator's rows and records, under
 * NAME, how often such a source was created (which is when a source learns its schema) and how
 * often one of its partitions was opened (which is when data is read). Registered in this
 * module's test {@code META-INF/services}; give each test its own NAME.
 */
public final class CountingConnectorProvider implements ConnectorProvider {
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
  public List<SourceConnector> sources() {
    return List.of(new SourceConnector() {
      @Override
      public String selector() {
        return "counting";
      }

      @Override
      public String description() {
        return "a counting test source";
      }

      @Override
      public List<String> parameters() {
        return List.of("counting", "rows");
      }

      @Override
      public ConnectorSpec parse(OperatorParameters p) {
        String[] parts = p.text("counting", "").split(":");
        if (parts.length != 2) p.problem("counting", "must be NAME:quotes or NAME:securities");
        long rows = p.count("rows", 100);
        return p.isValid() ? new Spec(parts[0], parts[1], rows) : null;
      }

      @Override
      public Class<? extends ConnectorSpec> specType() {
        return Spec.class;
      }

      @Override
      public Source open(String operator, SourceSpec spec, Path baseDir) {
        return CountingConnectorProvider.open((Spec) spec.connector());
      }
    });
  }

  /** {@code counting: NAME:quotes|securities}, {@code rows}. */
  public record Spec(String name, String kind, long rows) implements ConnectorSpec {
    @Override
    public Map<String, Object> toParameters() {
      return Map.of("counting", name + ":" + kind, "rows", rows);
    }
  }

  private static Source open(Spec spec) {
    String name = spec.name();
    long rows = spec.rows();
    Source data = spec.kind().equals("quotes") ? GeneratorSource.quotes(rows, 100)
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
}
