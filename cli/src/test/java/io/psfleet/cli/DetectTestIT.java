package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.commandline.Commands;
import io.psfleet.kafka.EmbeddedKafkaExtension;
import io.psfleet.schema.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One short detect-test run on the embedded stack; asserts the report's content, not its timings,
 * and that every alert the run wrote is valid OCSF 1.3.0. The test owns the broker (passed with
 * {@code --bootstrap}) so that it can read the alerts topic after the run, which would otherwise
 * close the broker it started.
 */
class DetectTestIT {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Test
  void reportCountsEveryAttackAndNamesTheOneTheMixMakesUndetectable(@TempDir Path dir)
      throws Exception {
    String[] args =
        new String[] {
          "--bootstrap",
          KAFKA.bootstrapServers(),
          "--out",
          dir.toString(),
          "--hosts",
          "12",
          "--duration",
          "12m",
          "--speedup",
          "60",
          "--scenarios",
          "attacks:1,uac-elevation:1",
          "--campaign-hosts",
          "2",
          "--settle",
          "25s",
          "--min-recall",
          "0.8",
          "--checkpoint-interval",
          "2s"
        };
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    int exit =
        Commands.execute(
            new DetectTestCommand(new PrintStream(console, true, StandardCharsets.UTF_8)),
            args,
            new PrintStream(console, true, StandardCharsets.UTF_8),
            System.err);

    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(report.at("/totals/injected").asInt()).isEqualTo(6);
    assertThat(report.at("/totals/detected").asInt())
        .isEqualTo(5); // a 2-host campaign is below K = 5
    assertThat(report.at("/totals/falsePositives").asInt()).isZero();
    JsonNode campaign = null;
    for (JsonNode row : report.path("techniques")) {
      if (row.path("technique").asText().equals("T1570")) {
        campaign = row;
      }
    }
    assertThat(campaign).isNotNull();
    assertThat(campaign.path("missed").get(0).asText()).isEqualTo("fleet-campaign-0001");
    JsonNode fleetRule = null;
    for (JsonNode row : report.path("rules")) {
      if (row.path("name").asText().equals("psfleet-006")) {
        fleetRule = row;
      }
    }
    assertThat(fleetRule).isNotNull();
    assertThat(fleetRule.path("technique").asText()).isEqualTo("T1570");
    assertThat(fleetRule.path("detected").asInt()).isZero();
    assertThat(report.at("/telemetry/missing").asLong()).isZero();
    assertThat(report.at("/telemetry/sent").asLong())
        .isEqualTo(report.at("/telemetry/seen").asLong())
        .isPositive();
    assertThat(report.at("/configuration/seed").asText()).isEqualTo("1");
    assertThat(Files.readString(dir.resolve("report.html")))
        .contains("recall per technique", "Per rule", "fleet-campaign-0001");
    assertThat(console.toString(StandardCharsets.UTF_8)).contains("T1055.001", "PASSED");
    assertThat(exit).isZero(); // recall 5/6 meets --min-recall 0.8
    assertThat(OcsfFeedCheck.assertEveryAlertIsValidOcsf(KAFKA.bootstrapServers(), Topics.ALERTS))
        .as("alerts on the topic")
        .isGreaterThanOrEqualTo(report.at("/totals/detected").asInt());
  }
}
