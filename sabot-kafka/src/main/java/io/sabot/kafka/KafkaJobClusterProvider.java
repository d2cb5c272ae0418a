package io.sabot.kafka;

import io.sabot.cluster.JobCluster;
import io.sabot.cluster.JobClusterProvider;

/** Gives {@code JobManager.connect} its Kafka cluster ({@link KafkaJobCluster}). */
public final class KafkaJobClusterProvider implements JobClusterProvider {
  @Override
  public JobCluster connect(String bootstrapServers, java.util.Map<String, String> settings) {
    return KafkaJobCluster.connect(bootstrapServers, CONTROL, settings);
  }

  private static final String CONTROL = JobCluster.CONTROL_TOPIC;
}
