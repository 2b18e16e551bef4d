package io.psfleet.kafka;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The embedded broker is a run mode of the pipeline (the demo and the commands start it too), not
 * only a test fixture: JUnit is a provided dependency, so only the extension may touch it, and the
 * module needs nothing of psfleet but the topic names in schemas.
 *
 * <p>No rule has exceptions today.
 */
@AnalyzeClasses(packages = "io.psfleet.kafka", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule onlyTheExtensionUsesJUnit =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName(EmbeddedKafkaExtension.class.getName())
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.junit..")
          .because("JUnit is provided scope: a command that starts the broker has no JUnit");

  @ArchTest
  static final ArchRule importsNoFlink =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.flink..")
          .because("the broker serves every module; Flink belongs to stream-jobs");

  @ArchTest
  static final ArchRule usesNoPsfleetModuleButSchemas =
      noClasses()
          .should()
          .dependOnClassesThat(
              resideInAPackage("io.psfleet..")
                  .and(resideOutsideOfPackages("io.psfleet.kafka..", "io.psfleet.schema..")))
          .because("the simulator and the jobs depend on this module, not the other way round");

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("io.psfleet.(**)").should().beFreeOfCycles();
}
