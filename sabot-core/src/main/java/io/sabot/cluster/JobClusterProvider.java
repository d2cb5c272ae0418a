package io.sabot.cluster;

/**
 * Connects to a cluster of agents; found with {@link java.util.ServiceLoader} (sabot-kafka
 * provides the one there is: {@code META-INF/services/io.sabot.cluster.JobClusterProvider}), so
 * sabot-core does not depend on Kafka.
 */
public interface JobClusterProvider {
  /**
   * @param settings Kafka client settings for every client it makes (how to connect:
   *                 security.protocol, sasl.*, ssl.*); empty for plaintext
   */
  JobCluster connect(String bootstrapServers, java.util.Map<String, String> settings);
}
