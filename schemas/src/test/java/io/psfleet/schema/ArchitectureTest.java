package io.psfleet.schema;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The schemas module is the contract every other module shares, so it carries Avro and nothing
 * else: the simulator, the jobs and the tools each bring their own Kafka and Flink.
 *
 * <p>No rule has exceptions today.
 */
@AnalyzeClasses(
    packages = "io.psfleet.schema",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule schemasImportNoKafka =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.kafka..")
          .because("a schema and its codec must not tie their users to a Kafka client version");

  @ArchTest
  static final ArchRule schemasImportNoFlink =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.flink..")
          .because("Flink types of the jobs are mapped from the Avro records in stream-jobs");

  @ArchTest
  static final ArchRule schemasImportNoOtherPsfleetModule =
      noClasses()
          .should()
          .dependOnClassesThat(
              resideInAPackage("io.psfleet..").and(resideOutsideOfPackage("io.psfleet.schema..")))
          .because("every module depends on schemas, so schemas depends on none of them");

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("io.psfleet.(**)").should().beFreeOfCycles();
}
