package io.psfleet.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.harness.report.DetectionReport;
import io.psfleet.harness.report.DetectionReport.HostTelemetry;
import io.psfleet.harness.report.DetectionReport.Latency;
import io.psfleet.harness.report.DetectionReport.Totals;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterVerdictTest {
  private static final List<ShardSummary> SHARDS =
      List.of(new ShardSummary(100, 104, 104, 0), new ShardSummary(50, 52, 52, 0));
  private static final HostTelemetry COMPLETE = new HostTelemetry(4, 150, 150, 0, 0, List.of());
  private static final Latency NONE = new Latency(null, null, null, null);

  private static DetectionReport report(int injected, int detected, int falsePositives) {
    return new DetectionReport(
        Map.of(),
        List.of(),
        List.of(),
        List.of(),
        new Totals(injected, detected, detected + falsePositives, falsePositives, 1, 1, NONE),
        List.of(),
        COMPLETE);
  }

  private static List<String> verdict(
      HostTelemetry seen, DetectionReport report, int killBroker, int killed, int afterKill) {
    return ClusterVerdict.problems(
        SHARDS,
        seen,
        report,
        0,
        killBroker,
        Duration.ofSeconds(10),
        killed,
        new ClusterRun.AfterKill(afterKill, afterKill));
  }

  @Test
  void aCompleteRunWithEveryAttackAlertedPasses() {
    assertThat(verdict(COMPLETE, report(6, 6, 0), 2, 2, 3)).isEmpty();
  }

  @Test
  void lostTelemetryAMissedAttackAndAFalsePositiveEachFailTheRun() {
    HostTelemetry lossy = new HostTelemetry(4, 150, 148, 2, 0, List.of("host-000003"));

    assertThat(verdict(lossy, report(6, 5, 1), 0, 0, 0))
        .containsExactly(
            "the shards generated 150 telemetry events but the topic holds 148 distinct ones",
            "2 sequence numbers missing on [host-000003]",
            "1 of 6 attacks not alerted",
            "1 false-positive alerts");
  }

  @Test
  void aKillThatNeverHappenedOrCameTooLateFailsTheRun() {
    assertThat(verdict(COMPLETE, report(6, 6, 0), 2, 0, 0))
        .singleElement()
        .asString()
        .contains("no broker was killed");
    assertThat(verdict(COMPLETE, report(6, 6, 0), 2, 2, 0))
        .singleElement()
        .asString()
        .contains("no attack was injected after the broker was killed");
  }
}
