package io.psfleet.cli.cluster;

import io.psfleet.commandline.Durations;
import io.psfleet.harness.report.DetectionReport;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster run's verdict: it passes only when no telemetry was lost or doubled, every attack was
 * alerted without a false positive or an alert delivered twice, and every fault that was asked for
 * happened early enough to be tested by the attacks after it, and was recovered from as it should
 * be (a job restored from its checkpoint or savepoint, a shard reconnected).
 */
final class ClusterVerdict {
  private ClusterVerdict() {}

  /**
   * What failed the run; empty when it passed.
   *
   * @param faults each fault asked for and what became of it
   */
  static List<String> problems(
      List<ShardSummary> summaries,
      DetectionReport.HostTelemetry seen,
      DetectionReport report,
      int duplicateAlerts,
      List<ClusterRun.FaultOutcome> faults) {
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
    for (ClusterRun.FaultOutcome f : faults) {
      Fault fault = f.fault();
      if (!f.done()) {
        problems.add(
            "the shards ended before "
                + fault.option()
                + " was due at +"
                + Durations.format(fault.at())
                + ": it never happened; make it earlier or raise --duration");
        continue;
      }
      if (f.attacksAfter() == 0) {
        problems.add(
            "no attack was injected after "
                + fault.describe()
                + ": raise --duration or make it earlier");
      } else if (f.detectedAfter() < f.attacksAfter()) {
        problems.add(
            (f.attacksAfter() - f.detectedAfter())
                + " of "
                + f.attacksAfter()
                + " attacks injected after "
                + fault.describe()
                + " not alerted");
      }
      if (!f.recovered()) {
        problems.add(fault.describe() + ": " + f.recovery());
      }
    }
    return problems;
  }
}
