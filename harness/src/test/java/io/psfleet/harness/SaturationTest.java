package io.psfleet.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SaturationTest {
  @Test
  void aStepThatKeepsUpIsHealthy() {
    assertThat(Saturation.verdict(10_000, 9_500, 100, 300, 5, 800, 10_000, "detection job"))
        .isNull();
  }

  @Test
  void aSimulatorShortOfTheRateByMoreThanAFifthSaturates() {
    assertThat(Saturation.verdict(10_000, 7_900, 0, 0, 5, 800, 10_000, "detection job"))
        .startsWith("simulator/publisher");
    assertThat(Saturation.verdict(10_000, 8_000, 0, 0, 5, 800, 10_000, "detection job")).isNull();
  }

  @Test
  void lagGrowingByMoreThanTwoSecondsOfInputSaturatesTheJob() {
    assertThat(Saturation.verdict(10_000, 10_000, 1_000, 21_001, 5, 800, 10_000, "detection job"))
        .isEqualTo("detection job: consumer lag grows");
    // Grown by two seconds of input, not more: still keeping up.
    assertThat(Saturation.verdict(10_000, 10_000, 1_000, 21_000, 5, 800, 10_000, "detection job"))
        .isNull();
  }

  @Test
  void slowAlertsSaturateOnlyWhenThereAreAlerts() {
    assertThat(Saturation.verdict(10_000, 10_000, 0, 0, 3, 12_000, 10_000, "detection job"))
        .contains("time to alert p95 above 10000 ms");
    assertThat(Saturation.verdict(10_000, 10_000, 0, 0, 0, 12_000, 10_000, "detection job"))
        .isNull();
  }

  @Test
  void endToEndLatencyAboveTheLimitOrNothingBackSaturatesTheOutputTopic() {
    io.psfleet.harness.latency.LatencyTracker t =
        new io.psfleet.harness.latency.LatencyTracker(1, 10);
    t.published("a", 0);
    t.observed("a", 12_000_000_000L);
    assertThat(Saturation.latencyVerdict(t.closeStep(), 10_000, "out"))
        .isEqualTo("output topic out: end-to-end latency p95 above 10000 ms");
    t.published("b", 0);
    t.observed("b", 9_000_000_000L);
    assertThat(Saturation.latencyVerdict(t.closeStep(), 10_000, "out")).isNull();
    t.published("c", 0);
    assertThat(Saturation.latencyVerdict(t.closeStep(), 10_000, "out"))
        .startsWith("output topic out: none of 1 tracked ids came back within 10000 ms");
  }
}
