package io.psfleet.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryLayoutTest {
  private static final String DETECTION =
      """
        selection:
          Image|endswith: '\\\\whoami.exe'
        condition: selection
      """;

  @Test
  void aFolderWalkPassesOverRegressionDataAndHiddenFolders(@TempDir Path repo) throws Exception {
    Files.createDirectories(repo.resolve("rules/windows"));
    Files.writeString(repo.resolve("rules/windows/whoami.yml"), TestRules.ruleYaml(DETECTION));
    Path regression = Files.createDirectories(repo.resolve("regression_data/rules/windows/x"));
    Files.writeString(regression.resolve("info.yml"), "id: x\nregression_tests_info: []\n");
    Path github = Files.createDirectories(repo.resolve(".github/workflows"));
    Files.writeString(github.resolve("ci.yml"), "on: push\n");

    LoadReport report = SigmaLoader.check(java.util.List.of(repo));

    assertThat(report.loaded()).hasSize(1);
    assertThat(report.rejected()).isEmpty();
  }

  @Test
  void aNonRuleFileNamedDirectlyIsStillRejected(@TempDir Path dir) throws Exception {
    Path info = Files.writeString(dir.resolve("info.yml"), "id: x\nregression_tests_info: []\n");

    LoadReport report = SigmaLoader.check(java.util.List.of(info));

    assertThat(report.rejected())
        .singleElement()
        .satisfies(o -> assertThat(o.source()).isEqualTo(info.toString()));
  }
}
