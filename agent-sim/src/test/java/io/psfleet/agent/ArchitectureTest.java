package io.psfleet.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The simulator's layers as ARCHITECTURE.md draws them, checked on the compiled main classes: the
 * Ps notification core stands alone, the behaviour models know nothing of how hosts are scheduled
 * or where their events go, and the feature packages form no cycle.
 *
 * <p>No rule has exceptions today; a new violation fails the build instead of drifting in.
 */
@AnalyzeClasses(packages = "io.psfleet.agent", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String KERNEL = "io.psfleet.agent.kernel..";

  /** A model of the kernel contract: plain Java, so a sensor could be written against it alone. */
  @ArchTest
  static final ArchRule kernelImportsOnlyTheJdk =
      classes()
          .that()
          .resideInAPackage(KERNEL)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(KERNEL, "java..")
          .because("the Ps notification core is pure Java: no Kafka, no Avro, no other package");

  /** Benign behaviour and attacks describe what a host does, not how many run or where to. */
  @ArchTest
  static final ArchRule workloadAndScenariosIgnoreFleetPublishAndCli =
      noClasses()
          .that()
          .resideInAnyPackage("io.psfleet.agent.workload..", "io.psfleet.agent.scenario..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.psfleet.agent.fleet..", "io.psfleet.agent.publish..", "io.psfleet.agent.cli..")
          .because("workloads and scenarios are driven by the fleet, never the other way round");

  /** Kafka stays behind the publisher's small interface (and the command line that wires it). */
  @ArchTest
  static final ArchRule onlyPublishAndCliTouchKafkaClients =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.psfleet.agent.publish..", "io.psfleet.agent.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.kafka..")
          .because("publish is the Kafka adapter; the rest of the simulator runs without a broker");

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      slices().matching("io.psfleet.agent.(*)..").should().beFreeOfCycles();
}
