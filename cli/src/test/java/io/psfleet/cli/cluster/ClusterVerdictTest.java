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

  private static final Fault KILL = new Fault.KillBroker(2, Duration.ofSeconds(10));
  private static final Fault KILL_TM = new Fault.KillTaskManager(1, Duration.ofSeconds(15));

  private static List<String> verdict(
      HostTelemetry seen, DetectionReport report, ClusterRun.FaultOutcome... faults) {
    return ClusterVerdict.problems(SHARDS, seen, report, 0, List.of(faults));
  }

  private static ClusterRun.FaultOutcome done(Fault fault, int attacksAfter, int detectedAfter) {
    return new ClusterRun.FaultOutcome(fault, 1_000, attacksAfter, detectedAfter, true, "");
  }

  @Test
  void aCompleteRunWithEveryAttackAlertedPasses() {
    assertThat(verdict(COMPLETE, report(6, 6, 0), done(KILL, 3, 3), done(KILL_TM, 2, 2))).isEmpty();
  }

  @Test
  void lostTelemetryAMissedAttackAndAFalsePositiveEachFailTheRun() {
    HostTelemetry lossy = new HostTelemetry(4, 150, 148, 2, 0, List.of("host-000003"));

    assertThat(verdict(lossy, report(6, 5, 1)))
        .containsExactly(
            "the shards generated 150 telemetry events but the topic holds 148 distinct ones",
            "2 sequence numbers missing on [host-000003]",
            "1 of 6 attacks not alerted",
            "1 false-positive alerts");
  }

  @Test
  void aFaultThatNeverHappenedOrCameTooLateFailsTheRun() {
    assertThat(
            verdict(
                COMPLETE,
                report(6, 6, 0),
                new ClusterRun.FaultOutcome(KILL, 0, 0, 0, false, "never happened")))
        .singleElement()
        .asString()
        .contains("--kill-broker was due at +10s: it never happened");
    assertThat(verdict(COMPLETE, report(6, 6, 0), done(KILL, 0, 0)))
        .singleElement()
        .asString()
        .contains("no attack was injected after kill broker 2");
  }

  @Test
  void anAttackMissedAfterAFaultOrARecoveryNotSeenFailsTheRun() {
    assertThat(verdict(COMPLETE, report(6, 6, 0), done(KILL_TM, 3, 2)))
        .singleElement()
        .asString()
        .isEqualTo(
            "1 of 3 attacks injected after kill TaskManager 1 (SIGKILL) at +15s, start a"
                + " replacement not alerted");
    assertThat(
            verdict(
                COMPLETE,
                report(6, 6, 0),
                new ClusterRun.FaultOutcome(
                    KILL_TM, 1_000, 3, 3, false, "the job did not restart from a checkpoint")))
        .singleElement()
        .asString()
        .endsWith(": the job did not restart from a checkpoint");
  }
}
