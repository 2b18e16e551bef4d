package io.psfleet.jobs;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.psfleet.jobs.event.Telemetry;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The jobs' layers as STYLE.md and ARCHITECTURE.md draw them: decisions live in plain domain
 * classes, Flink and Kafka stay in the thin classes around them, and the feature packages form no
 * cycle.
 *
 * <p>Domain classes are the classes of {@code lineage}, {@code detect}, {@code fleet}, {@code
 * alert}, {@code event}, {@code sigma} and {@code correlation} (nested classes included) whose
 * top-level class is not named {@code *Function}, {@code *Serializer}, {@code *Schema} or {@code
 * *TypeInfo}: those four are Flink's extension points and may use Flink. {@code io} is the Kafka
 * boundary and exempt as a whole.
 *
 * <p>Known exceptions are named in the rules they break, with a comment giving the target, and a
 * rule of their own allows each exactly the dependency it has today: the list can shrink, not grow
 * unnoticed.
 */
@AnalyzeClasses(packages = "io.psfleet.jobs", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String[] DOMAIN_PACKAGES = {
    "io.psfleet.jobs.lineage..",
    "io.psfleet.jobs.detect..",
    "io.psfleet.jobs.fleet..",
    "io.psfleet.jobs.alert..",
    "io.psfleet.jobs.event..",
    "io.psfleet.jobs.sigma..",
    "io.psfleet.jobs.correlation.."
  };

  /** A top-level class name, and any nested class in it ({@code $...}), of a Flink adapter. */
  private static final String FLINK_ADAPTER = ".*(Function|Serializer|Schema|TypeInfo)(\\$.*)?";

  @ArchTest
  static final ArchRule domainClassesImportNeitherFlinkNorKafka =
      noClasses()
          .that()
          .resideInAnyPackage(DOMAIN_PACKAGES)
          .and()
          .haveNameNotMatching(FLINK_ADAPTER)
          // Exception, see telemetryUsesFlinkOnlyForItsTypeInfoAnnotation.
          .and()
          .doNotHaveFullyQualifiedName(Telemetry.class.getName())
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
          .because("decisions live in plain classes that unit tests run without Flink or Kafka");

  /**
   * Exception to the domain rule, found when the rule was written: {@link Telemetry} carries
   * {@code @TypeInfo(TelemetryTypeInfo.Factory.class)} so that Flink picks its hand-written
   * serializer wherever the type appears. The target is a Telemetry free of Flink: the job
   * registers the factory instead ({@code pipeline.serialization-config}, or the type information
   * given where the stream is made); then this rule and the exclusion above go.
   */
  @ArchTest
  static final ArchRule telemetryUsesFlinkOnlyForItsTypeInfoAnnotation =
      classes()
          .that()
          .haveFullyQualifiedName(Telemetry.class.getName())
          .should()
          .onlyDependOnClassesThat(
              not(resideInAnyPackage("org.apache.flink..", "org.apache.kafka.."))
                  .or(equivalentTo(TypeInfo.class)))
          .because("the @TypeInfo annotation is the one tolerated Flink dependency of Telemetry");

  /**
   * Kafka's own types (records, headers, clients) stay in {@code io}, the Kafka boundary; the
   * detection packages hand records to it and never see a {@code ProducerRecord}.
   */
  @ArchTest
  static final ArchRule kafkaTypesStayInTheIoPackage =
      noClasses()
          .that()
          .resideInAnyPackage(DOMAIN_PACKAGES)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.kafka..")
          .because("io holds the sources, sinks and serde; the rest reads and writes records");

  @ArchTest
  static final ArchRule featurePackagesAreFreeOfCycles =
      slices().matching("io.psfleet.(**)").should().beFreeOfCycles();
}
