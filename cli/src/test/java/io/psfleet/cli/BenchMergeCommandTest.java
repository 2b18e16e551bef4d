package io.psfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.harness.latency.LatencyTracker;
import io.psfleet.harness.latency.StepLatency;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchMergeCommandTest {
  private static StepLatency latency(String prefix, int ids, long millis) {
    LatencyTracker t = new LatencyTracker(1, 1_000);
    for (int i = 0; i < ids; i++) {
      t.published(prefix + i, 0);
      t.observed(prefix + i, millis * 1_000_000);
    }
    return t.closeStep();
  }

  private static LoadBenchCommand.Step step(
      long offered, double achieved, long lagStart, long lagEnd, StepLatency latency) {
    return new LoadBenchCommand.Step(
        offered,
        achieved,
        0,
        null,
        null,
        null,
        null,
        lagStart,
        lagEnd,
        Map.of("simulator", 0.5),
        Map.of("simulator", 10.0),
        100,
        latency,
        "2026-12-02T08:00:00Z",
        null);
  }

  @Test
  void ratesAddUpLagIsTheLargestAndLatencyComesFromTheAddedHistograms() {
    LoadBenchCommand.Step merged =
        BenchMergeCommand.merge(
            List.of(
                step(500, 490, 100, 300, latency("a", 90, 20)),
                step(500, 495, 120, 250, latency("b", 10, 2_000))),
            10_000,
            "g",
            "out");

    assertThat(merged.offered()).isEqualTo(1_000);
    assertThat(merged.achieved()).isEqualTo(985);
    // Both shards read the one group's lag: the larger, not the sum.
    assertThat(merged.lagStart()).isEqualTo(120);
    assertThat(merged.lagEnd()).isEqualTo(300);
    assertThat(merged.cpuCoresByComponent()).containsEntry("simulator", 1.0);
    assertThat(merged.latency().samples()).isEqualTo(100);
    assertThat(merged.latency().p50Millis()).isBetween(19.9, 20.1);
    assertThat(merged.latency().p95Millis()).isBetween(1_990.0, 2_010.0);
    assertThat(merged.saturated()).isNull();
  }

  @Test
  void aShardThatCouldNotOfferItsShareMarksTheMergedStep() {
    LoadBenchCommand.Step merged =
        BenchMergeCommand.merge(
            List.of(step(500, 100, 0, 0, null), step(500, 500, 0, 0, null)), 10_000, "g", null);

    assertThat(merged.saturated()).isEqualTo("simulator/publisher could not offer the rate");
  }

  @Test
  void aMissingShardIsNamed(@TempDir Path dir) throws Exception {
    Path one = Files.createDirectories(dir.resolve("one"));
    LoadBenchCommand.JSON.writeValue(
        one.resolve("bench.json").toFile(),
        Map.of(
            "shard",
            "1/2",
            "configuration",
            Map.of("rates", "100"),
            "steps",
            List.of(step(50, 50, 0, 0, null))));
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit =
        Psfleet.commandLine(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute("bench", "merge", one.toString(), "--out", dir.resolve("m").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("shard 2/2 is missing");
  }
}
