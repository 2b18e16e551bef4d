package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.commandline.Commands;
import io.psfleet.kafka.EmbeddedKafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few of SigmaHQ's regression recordings transplanted onto simulated hosts through the whole
 * pipeline with every SigmaHQ rule: each recording's own rule fires on every host it was
 * transplanted to. The subset covers one event and several, a load in a process the recording never
 * creates, and a rule that tests the recorded parent. BENCHMARKS.md has the run of every folder.
 */
class ReplayRegressionIT {
  private static final Path SIGMA = Path.of("/work/shared/sigma");
  private static final String WINDOWS = "regression_data/rules/windows/";

  /** Folder to its rule id (the recordings are named after it). */
  private static final Map<String, String> SUBSET =
      Map.of(
          WINDOWS + "image_load/image_load_side_load_vcruntime140",
          "d7a63acb-1284-49bc-bfea-7771146c8b1c",
          WINDOWS + "process_creation/proc_creation_win_chcp_codepage_lookup",
          "7090adee-82e2-4269-bd59-80691e7c6338",
          WINDOWS + "process_creation/proc_creation_win_reg_system_restore_modification",
          "7c06ab9b-b1d2-4ba9-b06e-09491ded20d9",
          WINDOWS + "process_creation/proc_creation_win_amsi_registry_tampering",
          "7dbbcac2-57a0-45ac-b306-ff30a8bd2981");

  private static final int HOSTS_EACH = 2;

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Test
  void everyRecordingsOwnRuleFiresOnEveryHostItWasTransplantedTo(@TempDir Path dir)
      throws Exception {
    assumeTrue(
        Files.isDirectory(SIGMA.resolve("regression_data")),
        "SigmaHQ snapshot with regression data not found at " + SIGMA + ": skipped");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap", KAFKA.bootstrapServers(),
                "--out", dir.toString(),
                "--hosts", "6",
                "--duration", "4m",
                "--speedup", "0",
                "--scenarios", "none",
                "--rules", SIGMA.toString(),
                "--settle", "25s",
                "--checkpoint-interval", "2s",
                "--min-recall", "1",
                "--max-false-positives", "1000"));
    SUBSET.forEach(
        (folder, rule) -> {
          args.add("--replay");
          args.add(
              SIGMA.resolve(folder).resolve(rule + ".evtx")
                  + ":hosts="
                  + HOSTS_EACH
                  + ":parent=recorded");
        });
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    int exit =
        Commands.execute(
            new DetectTestCommand(new PrintStream(console, true, StandardCharsets.UTF_8)),
            args.toArray(String[]::new),
            new PrintStream(console, true, StandardCharsets.UTF_8),
            System.err);

    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.at("/totals/injected").asInt()).isEqualTo(SUBSET.size() * HOSTS_EACH);
    SUBSET.forEach(
        (folder, rule) -> {
          String scenario = Path.of(folder).getFileName().toString();
          JsonNode row = null;
          for (JsonNode r : report.path("scenarios")) {
            if (r.path("scenario").asText().equals(scenario)) {
              row = r;
            }
          }
          assertThat(row).as("scenario row of %s in %s", scenario, console).isNotNull();
          assertThat(row.path("injected").asInt()).isEqualTo(HOSTS_EACH);
          assertThat(row.at("/detectedBy/" + rule).asInt())
              .as("hosts on which %s's own rule %s fired", scenario, rule)
              .isEqualTo(HOSTS_EACH);
        });
    assertThat(exit).as(console.toString(StandardCharsets.UTF_8)).isZero();
  }
}
