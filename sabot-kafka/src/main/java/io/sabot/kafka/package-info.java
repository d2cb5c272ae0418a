/**
 * Kafka topics as sources, sinks and live reference tables, plugged into the engine through
 * {@link io.sabot.kafka.KafkaConnectorProvider} (a {@code ConnectorProvider} found on the class
 * path; its {@code kafka_topic} connectors parse {@link io.sabot.kafka.KafkaSourceSpec} and
 * {@link io.sabot.kafka.KafkaSinkSpec}, defaults written out, on the shared
 * {@code OperatorParameters}), and {@link io.sabot.kafka.KafkaBroker}, the real single-node broker that
 * {@code sabot broker} and the integration tests run. Only this module imports
 * {@code org.apache.kafka}.
 *
 * <pre>
 *   poll ─► records of partition p ─► TopicDecoder ─► batch + checkpoint{p: next offset, ...}
 *        ─► executor ─► sink acks ─► delivered(checkpoint) ─► queue ─► commit on the next poll
 * </pre>
 *
 * Offsets are committed only for rows a sink has made durable (at-least-once), or in the same
 * transaction as the rows ({@code delivery: exactly_once}). A compacted topic on the reference
 * side of a join is read as a changelog by {@link io.sabot.kafka.KafkaReferenceFeed}. Every wait
 * for the broker is bounded, so a lost broker fails the job rather than hanging it.
 */
package io.sabot.kafka;
