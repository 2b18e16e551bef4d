package io.psfleet.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A detection test's outcome per ATT&CK technique: what was injected, detected and missed, which
 * alerts were false positives, precision, recall and time to alert; plus what the telemetry topic
 * says about loss and duplicates per host.
 *
 * <p>Time to alert runs from the Kafka timestamp of the last telemetry record the alert names as
 * evidence to the alert's own Kafka timestamp (both wall clock); when an evidence record cannot be
 * found it falls back to the scenario's ground-truth record.
 *
 * @param configuration the run's settings, versions and machine facts, for reproducing it
 */
public record DetectionReport(
    Map<String, String> configuration,
    List<TechniqueRow> techniques,
    Totals totals,
    List<Long> timesToAlertMillis,
    HostTelemetry telemetry) {

  /** One technique's figures. */
  public record TechniqueRow(
      String technique,
      int injected,
      int detected,
      List<String> missed,
      int alerts,
      List<String> falsePositives,
      double precision,
      double recall,
      Latency timeToAlert) {}

  /** Percentiles in milliseconds, or null fields when nothing was detected. */
  public record Latency(Long p50, Long p95, Long p99, Long max) {
    /** Percentiles of {@code values} (any order); all null when there are none. */
    public static Latency of(List<Long> values) {
      if (values.isEmpty()) {
        return new Latency(null, null, null, null);
      }
      List<Long> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      return new Latency(
          at(sorted, 50), at(sorted, 95), at(sorted, 99), sorted.get(sorted.size() - 1));
    }

    private static long at(List<Long> sorted, int p) {
      int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
  }

  /** Over all techniques. */
  public record Totals(
      int injected,
      int detected,
      int alerts,
      int falsePositives,
      double precision,
      double recall,
      Latency timeToAlert) {}

  /**
   * What the telemetry topic held per host: {@code sent} is the highest sequence number (the sensor
   * numbers every event), {@code seen} the distinct sequence numbers on the topic.
   */
  public record HostTelemetry(
      int hosts, long sent, long seen, long missing, long duplicates, List<String> hostsWithLoss) {}

  /**
   * Builds the report.
   *
   * @param evidenceTimes Kafka timestamp (ms) of each telemetry record by event id ({@code
   *     host:boot:sequence}); may miss ids, then the ground truth's time is used
   */
  public static DetectionReport build(
      Map<String, String> configuration,
      GroundTruthJoin.Result result,
      List<AlertRecord> alerts,
      Map<String, Long> evidenceTimes,
      HostTelemetry telemetry) {
    Map<String, List<GroundTruthJoin.Instance>> attacksByTechnique = new TreeMap<>();
    for (GroundTruthJoin.Instance instance : result.instances()) {
      if (instance.attack()) {
        attacksByTechnique
            .computeIfAbsent(instance.technique(), t -> new ArrayList<>())
            .add(instance);
      }
    }
    Map<String, List<AlertRecord>> alertsByTechnique = new TreeMap<>();
    for (AlertRecord alert : alerts) {
      alertsByTechnique.computeIfAbsent(alert.technique(), t -> new ArrayList<>()).add(alert);
      attacksByTechnique.computeIfAbsent(alert.technique(), t -> new ArrayList<>());
    }
    Map<String, AlertRecord> alertByUid = new TreeMap<>();
    alerts.forEach(a -> alertByUid.put(a.uid(), a));
    List<String> unexplained = result.unexplainedAlerts().stream().map(AlertRecord::uid).toList();
    List<TechniqueRow> rows = new ArrayList<>();
    List<Long> allTimes = new ArrayList<>();
    int injected = 0;
    int detected = 0;
    int falsePositives = 0;
    for (Map.Entry<String, List<GroundTruthJoin.Instance>> entry : attacksByTechnique.entrySet()) {
      String technique = entry.getKey();
      List<String> missed = new ArrayList<>();
      List<Long> times = new ArrayList<>();
      int found = 0;
      for (GroundTruthJoin.Instance instance : entry.getValue()) {
        if (!instance.alerted()) {
          missed.add(instance.scenarioId());
          continue;
        }
        found++;
        times.add(timeToAlert(instance, alertByUid, evidenceTimes));
      }
      List<AlertRecord> techniqueAlerts = alertsByTechnique.getOrDefault(technique, List.of());
      List<String> fps =
          techniqueAlerts.stream().map(AlertRecord::uid).filter(unexplained::contains).toList();
      int total = entry.getValue().size();
      rows.add(
          new TechniqueRow(
              technique,
              total,
              found,
              missed,
              techniqueAlerts.size(),
              fps,
              techniqueAlerts.isEmpty()
                  ? 1.0
                  : (techniqueAlerts.size() - fps.size()) / (double) techniqueAlerts.size(),
              total == 0 ? 1.0 : found / (double) total,
              Latency.of(times)));
      injected += total;
      detected += found;
      falsePositives += fps.size();
      allTimes.addAll(times);
    }
    Totals totals =
        new Totals(
            injected,
            detected,
            alerts.size(),
            falsePositives,
            alerts.isEmpty() ? 1.0 : (alerts.size() - falsePositives) / (double) alerts.size(),
            injected == 0 ? 1.0 : detected / (double) injected,
            Latency.of(allTimes));
    Collections.sort(allTimes);
    return new DetectionReport(configuration, rows, totals, allTimes, telemetry);
  }

  /** The earliest matching alert's delay after the last evidence record it names. */
  private static long timeToAlert(
      GroundTruthJoin.Instance instance,
      Map<String, AlertRecord> alerts,
      Map<String, Long> evidenceTimes) {
    long best = Long.MAX_VALUE;
    for (String uid : instance.alertUids()) {
      AlertRecord alert = alerts.get(uid);
      long lastEvidence = Long.MIN_VALUE;
      for (String id : alert.evidenceEventIds()) {
        Long t = evidenceTimes.get(id);
        if (t != null) {
          lastEvidence = Math.max(lastEvidence, t);
        }
      }
      long delay =
          lastEvidence == Long.MIN_VALUE
              ? instance.timeToAlertMillis()
              : Math.max(0, alert.kafkaTimestampMillis() - lastEvidence);
      best = Math.min(best, delay);
    }
    return best;
  }

  /** True when recall and false positives meet the thresholds a CI job gives. */
  public boolean passes(double minRecall, int maxFalsePositives) {
    return totals.recall() >= minRecall && totals.falsePositives() <= maxFalsePositives;
  }
}
