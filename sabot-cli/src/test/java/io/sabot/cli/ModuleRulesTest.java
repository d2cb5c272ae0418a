package io.sabot.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module rules of DESIGN.md and STYLE.md that the compiler does not check, over every class of
 * the shipped jar (this module's class path holds sabot-core, sabot-kafka, sabot-bench and
 * sabot-cli, main and test classes). The package layers inside sabot-core are LayeringTest's.
 */
class ModuleRulesTest {
  private static final JavaClasses SABOT = new ClassFileImporter().importPackages("io.sabot");

  @Test
  void shouldSeeEveryModuleOfTheShippedJar() {
    Set<String> packages = SABOT.stream().map(c -> c.getPackageName()).collect(Collectors.toSet());
    for (String p : Set.of("io.sabot.exec", "io.sabot.kafka", "io.sabot.rocksdb", "io.sabot.bench",
        "io.sabot.cli")) {
      assertTrue(packages.contains(p), p + " is on the class path, so the rules below check it");
    }
  }

  @Test
  void shouldLeaveKafkaToSabotKafka() {
    noClasses().that().resideOutsideOfPackage("io.sabot.kafka..")
        .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
        .because("only sabot-kafka (io.sabot.kafka) talks to Kafka; others go through its public "
            + "classes (KafkaBroker, KafkaTopics, the kafka_topic connector)")
        .check(SABOT);
  }

  @Test
  void shouldLeaveRocksDbToSabotRocksDb() {
    noClasses().that().resideOutsideOfPackage("io.sabot.rocksdb..")
        .should().dependOnClassesThat().resideInAPackage("org.rocksdb..")
        .because("only sabot-rocksdb (io.sabot.rocksdb) talks to RocksDB; sabot-core reaches it "
            + "through the ReferenceStore SPI")
        .check(SABOT);
  }

  @Test
  void shouldKeepJmhToTheJmhBenchmarks() {
    noClasses().that().resideOutsideOfPackage("io.sabot.bench.jmh..")
        .should().dependOnClassesThat().resideInAPackage("org.openjdk.jmh..")
        .because("sabot.jar does not carry JMH (built only with -Pjmh); sabot bench must run "
            + "without it")
        .check(SABOT);
  }
}
