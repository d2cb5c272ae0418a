package io.sabot.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sabot.connect.Connectors;
import io.sabot.error.InvalidJobException;
import io.sabot.graph.OperatorType;
import io.sabot.graph.StreamOperatorNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kafka_topic parameters are checked when the job is planned, before any broker is asked. */
class KafkaSpecsTest {
  private static StreamOperatorNode node(OperatorType type, Object... kv) {
    Map<String, Object> p = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) p.put((String) kv[i], kv[i + 1]);
    return new StreamOperatorNode(type, "op", p);
  }

  @Test
  void shouldFindTheKafkaConnectorsThroughTheCoreFactory() {
    var source = Connectors.source(node(OperatorType.SOURCE, "kafka_topic", "quotes",
        "schema", Map.of("id", "int64")), Path.of("."));
    assertInstanceOf(KafkaSource.class, source);
    assertEquals("id", source.schema().field(0).name());
    assertInstanceOf(KafkaSink.class, Connectors.sink(node(OperatorType.SINK, "kafka_topic", "out"), Path.of(".")));
  }

  @Test
  void shouldUseTheDocumentedDefaults() {
    KafkaSourceConfig c = KafkaSourceConfig.parse(node(OperatorType.SOURCE, "kafka_topic", "quotes",
        "schema", Map.of("id", "int64")));
    assertEquals("127.0.0.1:9092", c.bootstrapServers());
    assertEquals(RecordFormat.JSONL, c.format());
    assertEquals("sabot-op", c.groupId());
    assertEquals("committed", c.start());
    assertEquals("quotes.dlq", c.deadLetterTopic());
    assertEquals(false, c.bounded());
    KafkaSinkConfig s = KafkaSinkConfig.parse(node(OperatorType.SINK, "kafka_topic", "out"));
    assertEquals(false, s.exactlyOnce());
    assertEquals(null, s.transactionalId(), "no transactions without exactly-once");
    KafkaSinkConfig eos = KafkaSinkConfig.parse(node(OperatorType.SINK, "kafka_topic", "out",
        "delivery", "exactly_once"));
    assertEquals("sabot-op-out", eos.transactionalId());
    assertEquals(1, s.partitions(), "a topic the sink creates has one partition by default");
    assertEquals(null, s.replicationFactor(), "and the broker's default replication");
  }

  @Test
  void shouldNameBadTopicSettings() {
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> KafkaSinkConfig.parse(
        node(OperatorType.SINK, "kafka_topic", "out", "partitions", 0, "replication_factor", 0)));
    assertEquals(java.util.List.of(
        "operator=op parameter=partitions value=0 must be a positive whole number up to 2147483647",
        "operator=op parameter=replication_factor value=0 must be a whole number from 1 to 32767 "
            + "(at most the number of brokers); leave it out to use the broker's "
            + "default.replication.factor"), e.problems());
  }

  @Test
  void shouldNameEveryBadParameterAtOnce() {
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> KafkaSourceConfig.parse(
        node(OperatorType.SOURCE, "kafka_topic", "quotes", "format", "xml", "start", "first",
            "bounded", "sometimes")));
    String m = e.getMessage();
    assertTrue(m.contains("operator=op parameter=format value=xml is not supported with kafka_topic; use jsonl, csv or arrow"), m);
    assertTrue(m.contains("parameter=start value=first is not supported; use earliest, latest or committed"), m);
    assertTrue(m.contains("parameter=bounded value=sometimes must be true or false"), m);
  }

  @Test
  void shouldNeedASchemaForJsonAndCsvTopics() {
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> KafkaSourceConfig.parse(
        node(OperatorType.SOURCE, "kafka_topic", "quotes", "format", "csv")));
    assertTrue(e.getMessage().contains("parameter=schema is missing; a kafka_topic source with format=csv"), e.getMessage());
  }

  @Test
  void shouldRefuseAKeyColumnThatIsNotInTheSchema() {
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> KafkaSourceConfig.parse(
        node(OperatorType.SOURCE, "kafka_topic", "securities", "key", "SEC_ID", "schema", Map.of("ID", "int64"))));
    assertTrue(e.getMessage().contains("parameter=key column=SEC_ID is not in the schema; available: ID"), e.getMessage());
  }

  @Test
  void shouldRefuseARowKeyForArrowRecordsAndAnUnknownDelivery() {
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> KafkaSinkConfig.parse(
        node(OperatorType.SINK, "kafka_topic", "out", "format", "arrow", "key", "id", "delivery", "twice")));
    assertTrue(e.getMessage().contains("parameter=key is not used with format=arrow"), e.getMessage());
    assertTrue(e.getMessage().contains("parameter=delivery value=twice is not supported; use at_least_once or exactly_once"), e.getMessage());
  }

  private static java.util.List<String> planProblems(Path dir, String sourceExtra, String mode)
      throws Exception {
    Path job = dir.resolve("job.yaml");
    java.nio.file.Files.writeString(job, String.join("\n",
        "job_name: j",
        "operators:",
        "  - {name: quotes, type: SOURCE, parameters: {kafka_topic: q, schema: {id: int64}" + sourceExtra + "}}",
        "  - {name: out, type: SINK, parameters: {path: out.csv, mode: " + mode + "}}",
        "connect: [[quotes, out]]"));
    return assertThrows(InvalidJobException.class,
        () -> io.sabot.plan.JobPlanner.plan(io.sabot.graph.JobFile.load(job))).problems();
  }

  @Test
  void shouldRefuseToReplaceAFileFedByATopicThatResumesOrNeverEnds(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    assertEquals(java.util.List.of("operator=out parameter=mode value=overwrite: source quotes "
        + "(kafka_topic=q group_id=sabot-quotes start=committed bounded=true) resumes from its committed "
        + "positions, so each run reads only new records and replacing the file would lose the rows of "
        + "earlier runs; use mode: append (the default for this source), or have the source re-read "
        + "from the start"), planProblems(dir, ", bounded: true", "overwrite"));
    assertEquals(java.util.List.of("operator=out parameter=mode value=fail_if_exists: source quotes "
        + "(kafka_topic=q group_id=sabot-quotes start=earliest bounded=false) never ends, and a file in "
        + "this mode appears only when the input ends; use mode: append, or make the source bounded"),
        planProblems(dir, ", start: earliest", "fail_if_exists"));
  }

  /** An agent receives a job's specs as JSON: a Kafka spec reads back equal, defaults and all. */
  @Test
  void shouldRoundTripKafkaSpecsThroughJson() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (StreamOperatorNode n : java.util.List.of(
        node(OperatorType.SOURCE, "kafka_topic", "quotes", "schema", Map.of("id", "int64"),
            "start", "earliest", "bounded", true, "on_error", "skip", "properties",
            Map.of("max.poll.records", 500)),
        node(OperatorType.SOURCE, "kafka_topic", "q", "format", "arrow"),
        node(OperatorType.SINK, "kafka_topic", "out", "key", "id", "delivery", "exactly_once"),
        node(OperatorType.SINK, "kafka_topic", "out", "partitions", 6, "replication_factor", 3),
        node(OperatorType.SINK, "kafka_topic", "out", "format", "arrow", "properties",
            Map.of("transactional.id", "tx-1", "linger.ms", 5)))) {
      String text = json.writeValueAsString(n.spec().toParameters());
      @SuppressWarnings("unchecked")
      Map<String, Object> back = json.readValue(text, LinkedHashMap.class);
      assertEquals(n.spec(), new StreamOperatorNode(n.operatorType(), "elsewhere", back).spec(), text);
    }
  }

  @Test
  void shouldRefuseFileSinkParametersOnATopic() {
    InvalidJobException e = assertThrows(InvalidJobException.class, () -> KafkaSinkConfig.parse(
        node(OperatorType.SINK, "kafka_topic", "out", "mode", "append")));
    assertEquals(java.util.List.of("operator=op parameter=mode is not a parameter of a Kafka topic "
        + "sink (kafka_topic); accepted: kafka_topic, bootstrap_servers, format, key, properties, "
        + "delivery, partitions, replication_factor"), e.problems());
  }
}
