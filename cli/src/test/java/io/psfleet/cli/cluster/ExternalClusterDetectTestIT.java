package io.psfleet.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.cli.DetectTestCommand;
import io.psfleet.commandline.Commands;
import io.psfleet.kafka.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * detect-test against an external Kafka and an external Flink (a standalone cluster of separate
 * JVMs, the job jar submitted over REST), twice on the same topics: the second report must count
 * only its own run, not the records the first one left.
 */
class ExternalClusterDetectTestIT {
  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES) // the run bounds itself; this guards a hang
  void detectTestOnAnExternalKafkaAndFlinkReportsOnlyItsOwnRun(@TempDir Path tmp) throws Exception {
    Path checkout = Path.of("..").toAbsolutePath().normalize();
    ClusterHome home = ClusterHome.locate(checkout);
    ProcessLedger ledger = new ProcessLedger(tmp.resolve("pids"));
    Path log4j = tmp.resolve("log4j2.properties");
    Files.writeString(log4j, "rootLogger.level = WARN\n");
    FlinkCluster flink = null;
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      flink =
          FlinkCluster.start(
              home, ledger, tmp.resolve("flink"), 1, 2, log4j, Duration.ofMinutes(3));
      JsonNode first = detectTest(kafka.bootstrapServers(), flink, checkout, tmp.resolve("first"));
      JsonNode second =
          detectTest(kafka.bootstrapServers(), flink, checkout, tmp.resolve("second"));

      for (JsonNode report : new JsonNode[] {first, second}) {
        assertThat(report.at("/totals/injected").asInt()).isEqualTo(3);
        assertThat(report.at("/totals/detected").asInt()).isEqualTo(3);
        assertThat(report.at("/totals/falsePositives").asInt()).isZero();
        assertThat(report.at("/telemetry/duplicates").asLong()).isZero();
        assertThat(report.at("/telemetry/missing").asLong()).isZero();
        assertThat(report.at("/configuration/flink cluster").asText())
            .startsWith("http://127.0.0.1:");
      }
      // The same seed publishes the same events again: only this run's count.
      assertThat(second.at("/telemetry/seen").asLong())
          .isEqualTo(first.at("/telemetry/seen").asLong());
    } finally {
      if (flink != null) {
        flink.stop(Duration.ofSeconds(15));
      }
    }
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive))
        .as("processes the test started")
        .isEmpty();
  }

  private static JsonNode detectTest(String bootstrap, FlinkCluster flink, Path checkout, Path out)
      throws Exception {
    String[] args =
        new String[] {
          "--bootstrap", bootstrap,
          "--flink", flink.rest().base().toString(),
          "--job-jar", checkout.resolve("stream-jobs/target/psfleet-jobs.jar").toString(),
          "--out", out.toString(),
          "--hosts", "8",
          "--duration", "10m",
          "--speedup", "60",
          "--scenarios", "dll-injection:1,ppid-spoofing:1,office-macro-chain:1",
          "--checkpoint-interval", "2s",
          "--settle", "30s"
        };
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int exit =
        Commands.execute(
            new DetectTestCommand(new PrintStream(console, true, StandardCharsets.UTF_8)),
            args,
            new PrintStream(console, true, StandardCharsets.UTF_8),
            System.err);
    System.out.print(console.toString(StandardCharsets.UTF_8));
    assertThat(exit).isZero();
    // Ended with a savepoint, so its last alert transaction committed instead of hanging.
    assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain("savepoint failed");
    return new ObjectMapper().readTree(out.resolve("report.json").toFile());
  }
}
