package io.sabot.kafka;

import io.sabot.connect.ConnectorProvider;
import io.sabot.connect.Sink;
import io.sabot.connect.SinkConnector;
import io.sabot.connect.SinkContext;
import io.sabot.connect.Source;
import io.sabot.connect.SourceConnector;
import io.sabot.graph.ConnectorSpec;
import io.sabot.graph.OperatorParameters;
import io.sabot.graph.SourceSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code kafka_topic} source and sink (a job parsed with either starts
 * {@link KafkaClientWarmUp}); found by {@link io.sabot.connect.Connectors} through
 * {@link java.util.ServiceLoader}, so sabot-core needs no Kafka import.
 */
public final class KafkaConnectorProvider implements ConnectorProvider {
  @Override
  public List<SourceConnector> sources() {
    return List.of(new SourceConnector() {
      @Override
      public String selector() {
        return "kafka_topic";
      }

      @Override
      public String description() {
        return "a Kafka topic source (kafka_topic)";
      }

      @Override
      public List<String> parameters() {
        return KafkaSourceSpec.PARAMETERS;
      }

      @Override
      public ConnectorSpec parse(OperatorParameters p) {
        KafkaSourceSpec spec = KafkaSourceSpec.parse(p);
        KafkaClientWarmUp.start(); // while the job is planned
        return spec;
      }

      @Override
      public Class<? extends ConnectorSpec> specType() {
        return KafkaSourceSpec.class;
      }

      @Override
      public Source open(String operator, SourceSpec spec, Path baseDir) {
        return new KafkaSource(KafkaSourceConfig.of(operator, (KafkaSourceSpec) spec.connector(),
            spec.onError()));
      }
    });
  }

  @Override
  public List<SinkConnector> sinks() {
    return List.of(new SinkConnector() {
      @Override
      public String selector() {
        return "kafka_topic";
      }

      @Override
      public String description() {
        return "a Kafka topic sink (kafka_topic)";
      }

      @Override
      public List<String> parameters() {
        return KafkaSinkSpec.PARAMETERS;
      }

      @Override
      public ConnectorSpec parse(OperatorParameters p) {
        KafkaSinkSpec spec = KafkaSinkSpec.parse(p);
        KafkaClientWarmUp.start(); // while the job is planned
        return spec;
      }

      @Override
      public Class<? extends ConnectorSpec> specType() {
        return KafkaSinkSpec.class;
      }

      @Override
      public Sink open(String operator, ConnectorSpec spec, SinkContext context) {
        return new KafkaSink(KafkaSinkConfig.of(operator, (KafkaSinkSpec) spec));
      }
    });
  }
}
