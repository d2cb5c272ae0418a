package io.sabot;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The package layers of sabot-core, bottom first. A package may use the packages below it and
 * never one above it; a new package fails {@link #shouldPlaceEveryPackageInALayer} until it is
 * given a place here. Sub-packages belong to their parent's layer ({@code optimizer.rule} is
 * {@code optimizer}, {@code connect.csv} is {@code connect}). Only production classes are
 * checked: a test may set up whatever it needs.
 */
class LayeringTest {
  /** Layer name to why it sits where it does; the order is the rule. */
  private static final Map<String, String> LAYERS = new LinkedHashMap<>();

  static {
    LAYERS.put("error", "the three failure kinds; at the bottom so every layer may throw them");
    LAYERS.put("types", "column types and schemas: plain values");
    LAYERS.put("expr", "conditions over named columns: what a FILTER or reference_filter says");
    LAYERS.put("graph", "the logical job the user writes (JobGraph, nodes, typed operator specs, "
        + "job file)");
    LAYERS.put("connect", "the connector SPI and its sources and sinks, opened from graph nodes");
    LAYERS.put("reference", "keyed, versioned reference tables; know no operator");
    LAYERS.put("physical", "operators and kernels over Arrow batches; probe reference tables");
    LAYERS.put("optimizer", "rewrites the logical graph, with statistics from connect; never lowers");
    LAYERS.put("plan", "lowers the optimized graph to physical pipelines");
    LAYERS.put("cluster", "jobs on agents: the submit/list/cancel API JobManager.connect returns, "
        + "and the service interface sabot-kafka implements");
    LAYERS.put("exec", "runs a plan: executor, workers, scheduling, dead letters; the top");
  }

  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
      .importPackages("io.sabot");

  @Test
  void shouldNeverImportALayerAbove() {
    List<String> names = List.copyOf(LAYERS.keySet());
    LayeredArchitecture arch = layeredArchitecture()
        .consideringOnlyDependenciesInLayers();
    for (String name : names) arch = arch.layer(name).definedBy("io.sabot." + name + "..");
    for (int i = 0; i < names.size(); i++) {
      String[] above = names.subList(i + 1, names.size()).toArray(new String[0]);
      arch = above.length == 0
          ? arch.whereLayer(names.get(i)).mayNotBeAccessedByAnyLayer()
          : arch.whereLayer(names.get(i)).mayOnlyBeAccessedByLayers(above);
    }
    arch.because("a package uses only the layers below it (bottom first: " + names + ")")
        .check(CORE);
  }

  @Test
  void shouldPlaceEveryPackageInALayer() {
    String[] packages = LAYERS.keySet().stream().map(n -> "io.sabot." + n + "..")
        .toArray(String[]::new);
    classes().should().resideInAnyPackage(packages)
        .because("every package of sabot-core has a place in LayeringTest.LAYERS: "
            + Arrays.toString(packages))
        .check(CORE);
  }

  /**
   * The built-in connectors, one sub-package of {@code connect} each (csv, jsonl, arrow, generator,
   * memory, console), share code only through the SPI ({@code connect}), the record codecs
   * ({@code connect.text}) and the file machinery ({@code connect.file}), never with one another;
   * {@code text} and {@code file} know none of them. A new sub-package is held to the same rule.
   */
  @Test
  void shouldKeepConnectorFormatsApart() {
    slices().matching("io.sabot.connect.(*)..").namingSlices("connect.$1")
        .should().notDependOnEachOther()
        .ignoreDependency(alwaysTrue(), resideInAnyPackage("io.sabot.connect.text..",
            "io.sabot.connect.file.."))
        .ignoreDependency(resideInAnyPackage("io.sabot.connect.builtin.."), alwaysTrue())
        .because("a connector shares code with another only through the SPI, connect.text and "
            + "connect.file; connect.builtin, which registers the built-in connectors, is the one "
            + "package that knows them all")
        .check(CORE);
  }

  @Test
  void shouldKeepTheConnectorSpiFreeOfConnectors() {
    noClasses().that().resideInAPackage("io.sabot.connect")
        .should().dependOnClassesThat().resideInAPackage("io.sabot.connect.*..")
        .because("every connector, the built-in ones included, reaches the SPI through "
            + "ConnectorProvider, so io.sabot.connect itself names none of them")
        .check(CORE);
  }

  @Test
  void shouldHaveNoCycleBetweenPackages() {
    slices().matching("io.sabot.(*)..").should().beFreeOfCycles().check(CORE);
  }
}
