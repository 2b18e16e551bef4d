package io.psfleet.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The commands sit on top: {@code io.psfleet.cli} wires the command line together, its feature
 * packages ({@code cluster}, {@code rules}) stand on the harness and the modules below, never on
 * the command line that holds them.
 */
@AnalyzeClasses(packages = "io.psfleet.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule featurePackagesDoNotReachBackIntoTheCommandLine =
      noClasses()
          .that()
          .resideInAnyPackage("io.psfleet.cli.cluster..", "io.psfleet.cli.rules..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.psfleet.cli")
          .because("the command line assembles the features, not the other way round");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.psfleet.cli.(*)..").should().beFreeOfCycles();
}
