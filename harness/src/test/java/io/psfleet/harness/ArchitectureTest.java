package io.psfleet.harness;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The harness is what every command stands on: it knows the pipeline's pieces and nothing of the
 * commands or the benchmarks built on it; its report is plain data, free of Kafka and Flink.
 */
@AnalyzeClasses(
    packages = "io.psfleet.harness",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule standsBelowTheCommandsAndBenchmarks =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.psfleet.cli..", "io.psfleet.bench..", "picocli..")
          .because("commands and benchmarks are built on the harness, not the other way round");

  @ArchTest
  static final ArchRule theReportJoinsAndFormatsWithoutFlink =
      noClasses()
          .that()
          .resideInAPackage("io.psfleet.harness.report..")
          // The two that read the world: the telemetry topic, and the versions a report records.
          .and()
          .doNotHaveSimpleName("TelemetryScan")
          .and()
          .doNotHaveSimpleName("RunFacts")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
          .because(
              "joining alerts with ground truth and writing the report are plain computations");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.psfleet.harness.(*)..").should().beFreeOfCycles();
}
