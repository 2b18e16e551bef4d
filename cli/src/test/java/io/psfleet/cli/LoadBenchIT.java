package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.commandline.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One short bench run on the embedded stack; asserts the report's content, not its timings. */
class LoadBenchIT {
  @Test
  void reportHasEveryStepAndTheReferenceRatios(@TempDir Path dir) throws Exception {
    String[] args =
        new String[] {
          "--rates", "3000,6000", "--step-seconds", "6", "--hosts", "200", "--out", dir.toString()
        };
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    int exit =
        Commands.execute(
            new LoadBenchCommand(new PrintStream(console, true, StandardCharsets.UTF_8)),
            args,
            new PrintStream(console, true, StandardCharsets.UTF_8),
            System.err);

    assertThat(exit).isZero();
    JsonNode report = new ObjectMapper().readTree(dir.resolve("bench.json").toFile());
    JsonNode steps = report.path("steps");
    assertThat(steps.size()).isBetween(1, 2);
    assertThat(steps.get(0).path("offered").asLong()).isEqualTo(3000);
    assertThat(steps.get(0).path("achieved").asDouble()).isPositive();
    assertThat(steps.get(0).path("cpuCoresByComponent").has("flink")).isTrue();
    assertThat(report.path("producerPerformanceRecordsPerSecond").asDouble()).isPositive();
    assertThat(report.path("floorJobEventsPerSecond").asDouble()).isPositive();
    assertThat(report.path("configuration").path("rates").asText()).isEqualTo("3000,6000");
    assertThat(Files.readString(dir.resolve("bench.html")))
        .contains("throughput per step", "time to alert per step");
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("ProducerPerformance", "floor job");
  }
}
