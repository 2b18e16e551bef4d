package io.psfleet.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.winevent.EvtxDumpJson;
import io.psfleet.winevent.WinEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every rule of the SigmaHQ snapshot loads, and every regression recording makes its rule fire at
 * least {@code match_count} times (once where no count is given), as SigmaHQ's own runner checks.
 */
class SigmaHqConformanceTest {
  private static Path home;
  private static LoadResult loaded;

  @BeforeAll
  static void load() {
    home = SigmaSnapshot.requireHome();
    loaded = SigmaLoader.load(SigmaSnapshot.ruleFolders(home));
  }

  @Test
  void everySnapshotRuleLoads() throws IOException {
    LoadReport report = loaded.report();
    assertThat(report.rejected()).as(() -> "rejected rules:\n" + report.format()).isEmpty();
    long files = 0;
    for (Path folder : SigmaSnapshot.ruleFolders(home)) {
      try (Stream<Path> s = Files.walk(folder)) {
        files += s.filter(p -> p.toString().endsWith(".yml")).count();
      }
    }
    assertThat(report.loaded()).hasSize((int) files);
    assertThat(report.notApplicable()).isEmpty();
  }

  @Test
  void everyRegressionRecordingFiresItsRule() throws IOException {
    List<Path> infos;
    try (Stream<Path> s = Files.walk(home.resolve("regression_data"))) {
      infos = s.filter(p -> p.getFileName().toString().equals("info.yml")).sorted().toList();
    }
    assertThat(infos).isNotEmpty();
    RuleTester tester = new RuleTester(loaded.ruleSet());
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Path info : infos) {
      Map<String, Object> meta = readInfo(info);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rules = (List<Map<String, Object>>) meta.get("rule_metadata");
      String ruleId = String.valueOf(rules.get(0).get("id"));
      int expected = matchCount(meta);
      Path json = info.resolveSibling(ruleId + ".json");
      if (!Files.exists(json)) {
        failures.add(info + ": no " + json.getFileName());
        continue;
      }
      if (loaded.ruleSet().rule(ruleId) == null) {
        failures.add(info + ": rule " + ruleId + " not loaded");
        continue;
      }
      int fired = 0;
      for (WinEvent e : EvtxDumpJson.read(json)) {
        if (WinEventFields.fire(tester, e).contains(ruleId)) {
          fired++;
        }
      }
      checked++;
      if (fired < expected) {
        failures.add(
            info.getParent().getFileName()
                + ": rule "
                + ruleId
                + " fired "
                + fired
                + " times, expected at least "
                + expected);
      }
    }
    assertThat(failures).as(() -> String.join("\n", failures)).isEmpty();
    assertThat(checked).isEqualTo(infos.size());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readInfo(Path info) throws IOException {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    return (Map<String, Object>) yaml.load(Files.readString(info));
  }

  @SuppressWarnings("unchecked")
  private static int matchCount(Map<String, Object> meta) {
    Object tests = meta.get("regression_tests_info");
    if (tests instanceof List<?> list) {
      List<Integer> counts =
          list.stream()
              .filter(Map.class::isInstance)
              .map(m -> ((Map<String, Object>) m).get("match_count"))
              .filter(Number.class::isInstance)
              .map(n -> ((Number) n).intValue())
              .collect(Collectors.toList());
      if (!counts.isEmpty()) {
        return counts.stream().mapToInt(Integer::intValue).max().getAsInt();
      }
    }
    return 1;
  }
}
