package io.psfleet.cli.cluster;

import io.psfleet.commandline.Durations;
import io.psfleet.harness.report.DetectionReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster run's verdict: it passes only when no telemetry was lost or doubled, every attack was
 * alerted without a false positive or an alert delivered twice, and a fault that was asked for
 * happened early enough to be tested by the attacks after it.
 */
final class ClusterVerdict {
  private ClusterVerdict() {}

  /**
   * What failed the run; empty when it passed.
   *
   * @param killBroker the broker the run was to kill, or 0
   * @param killAfter when it was to die
   * @param killed the broker killed, or 0 when the shards ended first
   */
  static List<String> problems(
      List<ShardSummary> summaries,
      DetectionReport.HostTelemetry seen,
      DetectionReport report,
      int duplicateAlerts,
      int killBroker,
      Duration killAfter,
      int killed,
      ClusterRun.AfterKill afterKill) {
    List<String> problems = new ArrayList<>();
    long events = summaries.stream().mapToLong(ShardSummary::events).sum();
    long sent = summaries.stream().mapToLong(ShardSummary::sent).sum();
    long delivered = summaries.stream().mapToLong(ShardSummary::delivered).sum();
    long failed = summaries.stream().mapToLong(ShardSummary::failed).sum();
    if (failed > 0 || delivered != sent) {
      problems.add(
          "the shards sent "
              + sent
              + " records, "
              + delivered
              + " delivered, "
              + failed
              + " failed");
    }
    if (seen.seen() != events) {
      problems.add(
          "the shards generated "
              + events
              + " telemetry events but the topic holds "
              + seen.seen()
              + " distinct ones");
    }
    if (seen.missing() > 0) {
      problems.add(seen.missing() + " sequence numbers missing on " + seen.hostsWithLoss());
    }
    if (seen.duplicates() > 0) {
      problems.add(seen.duplicates() + " duplicate telemetry records");
    }
    if (report.totals().detected() < report.totals().injected()) {
      problems.add(
          (report.totals().injected() - report.totals().detected())
              + " of "
              + report.totals().injected()
              + " attacks not alerted");
    }
    if (report.totals().falsePositives() > 0) {
      problems.add(report.totals().falsePositives() + " false-positive alerts");
    }
    if (duplicateAlerts > 0) {
      problems.add(duplicateAlerts + " alerts delivered twice");
    }
    if (killBroker > 0 && killed == 0) {
      problems.add(
          "the shards ended before --kill-after "
              + Durations.format(killAfter)
              + ": no broker was killed; lower --kill-after or raise --duration");
    }
    if (killed > 0 && afterKill.injected() == 0) {
      problems.add(
          "no attack was injected after the broker was killed: raise --duration or lower --kill-after");
    }
    return problems;
  }
}
