package io.sabot.cli;

import io.sabot.connect.file.Folders;
import io.sabot.kafka.KafkaClientWarmUp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What bin/sabot runs once per JVM and CLI jar, under {@code -XX:ArchiveClassesAtExit}, so that
 * the classes a job loads are kept in a class data sharing archive that every later start maps
 * instead of reading, parsing, verifying and linking them from the jar again: picocli, the job
 * file's parser, the optimizer and planner, Arrow, the file sinks, RocksDB's Java side and Kafka's
 * clients. On this project's VM that took the main example job from about 1.1 s to 0.8 s.
 *
 * <pre>
 *   run      generated quotes ⋈ securities, memory table, csv file      (engine, Arrow, file sink)
 *   run      the same, left outer, state_backend: rocksdb, jsonl file   (RocksDB's classes)
 *   explain  a Kafka job                                                 (its parser, and the
 *            clients' classes, from the warm-up its parsing starts; nothing connects)
 * </pre>
 *
 * Works in a temporary folder it deletes, reads no input and connects to nothing; exits 0 when
 * every step did what it should, else 1 (bin/sabot then starts without an archive).
 */
public final class ClassArchiveTraining {
  private static final String LOCAL_JOB = String.join("\n",
      "job_name: class_archive_training",
      "operators:",
      "  - {name: quotes, type: SOURCE, parameters: {generator: quotes, rows: 20000, reference_rows: 5000}}",
      "  - {name: securities, type: SOURCE, parameters: {generator: securities, rows: 5000}}",
      "  - {name: expensive, type: FILTER, parameters: {column: price, operator: '>', value: 100}}",
      "  - {name: named, type: SELECT, parameters: {columns: [ID, CUSIP, NAME]}}",
      "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID,",
      "      join_type: %s, state_backend: %s}}",
      "  - {name: out, type: SINK, parameters: {path: '%s', format: %s}}",
      "connect:",
      "  - [quotes, expensive]",
      "  - [expensive, enrich]",
      "  - [securities, named]",
      "  - [named, enrich]",
      "  - [enrich, out]",
      "");
  private static final String KAFKA_JOB = String.join("\n",
      "job_name: class_archive_training_kafka",
      "operators:",
      "  - name: quotes",
      "    type: SOURCE",
      "    parameters: {kafka_topic: quotes, bootstrap_servers: '127.0.0.1:9', format: jsonl,",
      "      schema: {instrumentId: int64, price: float64}}",
      "  - name: securities",
      "    type: SOURCE",
      "    parameters: {kafka_topic: securities, bootstrap_servers: '127.0.0.1:9', format: jsonl,",
      "      schema: {ID: int64, NAME: string}}",
      "  - {name: enrich, type: HASH_JOIN, parameters: {left_key: instrumentId, right_key: ID,",
      "      state_dir: '%s'}}",
      "  - {name: out, type: SINK, parameters: {kafka_topic: enriched, bootstrap_servers: '127.0.0.1:9'}}",
      "connect:",
      "  - [quotes, enrich]",
      "  - [securities, enrich]",
      "  - [enrich, out]",
      "");

  private ClassArchiveTraining() {}

  public static void main(String[] args) throws Exception {
    System.exit(train() ? 0 : 1);
  }

  /** Runs every step in a temporary folder, deleted after; true when each did what it should. */
  static boolean train() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("sabot-class-training");
    try {
      boolean ok = run(dir, "memory.yaml", String.format(LOCAL_JOB, "inner", "memory",
              dir.resolve("memory.csv"), "csv"))
          & run(dir, "rocksdb.yaml", String.format(LOCAL_JOB, "left outer", "rocksdb",
              dir.resolve("rocksdb.jsonl"), "jsonl"))
          & SabotCommand.execute("explain", write(dir, "kafka.yaml",
              String.format(KAFKA_JOB, dir.resolve("state")))) == SabotCommand.EXIT_OK;
      KafkaClientWarmUp.awaitIfStarted(Duration.ofSeconds(60));
      return ok;
    } finally {
      Folders.deleteTree(dir);
    }
  }

  private static boolean run(Path dir, String name, String job) throws IOException {
    return SabotCommand.execute("run", "--quiet", write(dir, name, job)) == SabotCommand.EXIT_OK;
  }

  private static String write(Path dir, String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8).toString();
  }
}
