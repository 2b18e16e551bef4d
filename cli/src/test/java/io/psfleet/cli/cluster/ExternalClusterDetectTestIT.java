package io.psfleet.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.cli.DetectTestCommand;
import io.psfleet.commandline.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
    try (ExternalPipeline pipeline = ExternalPipeline.start(tmp)) {
      JsonNode first = detectTest(pipeline, tmp.resolve("first"));
      JsonNode second = detectTest(pipeline, tmp.resolve("second"));

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
    }
    ExternalPipeline.assertNoProcessLeft();
  }

  private static JsonNode detectTest(ExternalPipeline pipeline, Path out) throws Exception {
    String[] args =
        new String[] {
          "--bootstrap", pipeline.bootstrap(),
          "--flink", pipeline.flinkRest(),
          "--job-jar", pipeline.home.jobJar().toString(),
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
