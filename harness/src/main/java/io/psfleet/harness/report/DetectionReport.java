package io.psfleet.harness.report;

import io.psfleet.jobs.alert.Rule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A detection test's outcome per ATT&CK technique, per rule and per scenario: what was injected,
 * detected and missed, which alerts were false positives, precision, recall and time to alert; plus
 * what the telemetry topic says about loss and duplicates per host.
 *
 * <p>Time to alert runs from the Kafka timestamp of the last telemetry record the alert names as
 * evidence to the alert's own Kafka timestamp (both wall clock); when an evidence record cannot be
 * found it falls back to the scenario's ground-truth record.
 *
 * @param configuration the run's settings, versions and machine facts, for reproducing it
 * @param scenarios per injected scenario (a recording transplanted with {@code --replay} is one):
 *     its instances and which rules caught how many of them
 */
public record DetectionReport(
    Map<String, String> configuration,
    List<Row> techniques,
    List<Row> rules,
    List<ScenarioRow> scenarios,
    Totals totals,
    List<Long> timesToAlertMillis,
    HostTelemetry telemetry) {

  /**
   * One technique's or one rule's figures. A rule is credited with an attack when one of its own
   * alerts matched it; its time to alert is that of its own earliest alert.
   *
   * @param name the technique id, or the rule id
   * @param technique the ATT&CK technique (the rule's, for a rule row)
   * @param falsePositivesPer1000HostHours how noisy the rule or technique is on the benign fleet:
   *     its false positives per 1,000 simulated host-hours, or null when the run's host-hours are
   *     unknown
   */
  public record Row(
      String name,
      String technique,
      int injected,
      int detected,
      List<String> missed,
      int alerts,
      List<String> falsePositives,
      double precision,
      double recall,
      Latency timeToAlert,
      Double falsePositivesPer1000HostHours) {}

  /**
   * One attack scenario's instances (for a recording: one per host and time it was transplanted to)
   * and the rules that caught them.
   *
   * @param detectedBy rule id to the number of instances its alerts caught; a recording's own Sigma
   *     rule fired on every host when its count equals {@code injected}
   */
  public record ScenarioRow(
      String scenario,
      String technique,
      int injected,
      int detected,
      List<String> missed,
      Map<String, Integer> detectedBy) {}

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
   * @param hostHours simulated host-hours of the run (hosts x simulated duration), the exposure
   *     false positives are counted against; 0 when unknown
   */
  public static DetectionReport build(
      Map<String, String> configuration,
      GroundTruthJoin.Result result,
      List<AlertRecord> alerts,
      Map<String, Long> evidenceTimes,
      HostTelemetry telemetry,
      double hostHours) {
    Map<String, List<GroundTruthJoin.Instance>> attacksByTechnique = new TreeMap<>();
    for (GroundTruthJoin.Instance instance : result.instances()) {
      if (instance.attack()) {
        attacksByTechnique
            .computeIfAbsent(instance.technique(), t -> new ArrayList<>())
            .add(instance);
      }
    }
    Map<String, List<AlertRecord>> alertsByTechnique = new TreeMap<>();
    Map<String, List<AlertRecord>> alertsByRule = new TreeMap<>();
    Map<String, String> ruleTechniques = new TreeMap<>();
    for (Rule rule : Rule.values()) {
      ruleTechniques.put(rule.id(), rule.technique());
      alertsByRule.put(rule.id(), new ArrayList<>());
    }
    Map<String, AlertRecord> alertByUid = new TreeMap<>();
    alerts.forEach(a -> alertByUid.put(a.uid(), a));
    // An attack's row counts the alerts the join credited to it, whatever their own technique.
    for (Map.Entry<String, List<GroundTruthJoin.Instance>> e : attacksByTechnique.entrySet()) {
      List<AlertRecord> credited =
          alertsByTechnique.computeIfAbsent(e.getKey(), t -> new ArrayList<>());
      for (GroundTruthJoin.Instance instance : e.getValue()) {
        for (String uid : instance.alertUids()) {
          AlertRecord alert = alertByUid.get(uid);
          if (!alert.technique().equals(e.getKey()) && !credited.contains(alert)) {
            credited.add(alert);
          }
        }
      }
    }
    for (AlertRecord alert : alerts) {
      alertsByTechnique.computeIfAbsent(alert.technique(), t -> new ArrayList<>()).add(alert);
      attacksByTechnique.computeIfAbsent(alert.technique(), t -> new ArrayList<>());
      alertsByRule.computeIfAbsent(alert.ruleId(), r -> new ArrayList<>()).add(alert);
      ruleTechniques.putIfAbsent(alert.ruleId(), alert.technique());
    }
    Set<String> unexplained =
        result.unexplainedAlerts().stream().map(AlertRecord::uid).collect(Collectors.toSet());
    RowBuilder rows = new RowBuilder(alertByUid, unexplained, evidenceTimes, hostHours);

    List<Row> techniqueRows = new ArrayList<>();
    List<Long> allTimes = new ArrayList<>();
    for (Map.Entry<String, List<GroundTruthJoin.Instance>> entry : attacksByTechnique.entrySet()) {
      String technique = entry.getKey();
      techniqueRows.add(
          rows.row(
              technique,
              technique,
              entry.getValue(),
              alertsByTechnique.getOrDefault(technique, List.of()),
              allTimes));
    }
    List<Row> ruleRows = new ArrayList<>();
    alertsByRule.forEach(
        (rule, ruleAlerts) -> {
          String technique = ruleTechniques.get(rule);
          ruleRows.add(
              rows.row(
                  rule,
                  technique,
                  attacksOf(technique, ruleAlerts, result, attacksByTechnique),
                  ruleAlerts,
                  new ArrayList<>()));
        });
    int injected = techniqueRows.stream().mapToInt(Row::injected).sum();
    int detected = techniqueRows.stream().mapToInt(Row::detected).sum();
    int falsePositives = techniqueRows.stream().mapToInt(r -> r.falsePositives().size()).sum();
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
    return new DetectionReport(
        configuration,
        techniqueRows,
        ruleRows,
        scenarioRows(result, alertByUid),
        totals,
        allTimes,
        telemetry);
  }

  private static List<ScenarioRow> scenarioRows(
      GroundTruthJoin.Result result, Map<String, AlertRecord> alertByUid) {
    Map<String, List<GroundTruthJoin.Instance>> byScenario = new TreeMap<>();
    for (GroundTruthJoin.Instance instance : result.instances()) {
      if (instance.attack()) {
        byScenario.computeIfAbsent(instance.scenario(), s -> new ArrayList<>()).add(instance);
      }
    }
    List<ScenarioRow> rows = new ArrayList<>();
    byScenario.forEach(
        (scenario, instances) -> {
          List<String> missed = new ArrayList<>();
          Map<String, Integer> detectedBy = new TreeMap<>();
          for (GroundTruthJoin.Instance instance : instances) {
            if (!instance.alerted()) {
              missed.add(instance.scenarioId());
            }
            instance.alertUids().stream()
                .map(uid -> alertByUid.get(uid).ruleId())
                .distinct()
                .forEach(rule -> detectedBy.merge(rule, 1, Integer::sum));
          }
          rows.add(
              new ScenarioRow(
                  scenario,
                  instances.get(0).technique(),
                  instances.size(),
                  instances.size() - missed.size(),
                  missed,
                  detectedBy));
        });
    return rows;
  }

  /**
   * The attacks a rule answers for: those of its technique, and those its alerts caught under
   * another technique (a Sigma rule is often tagged with a technique beside the attack's own).
   */
  private static List<GroundTruthJoin.Instance> attacksOf(
      String technique,
      List<AlertRecord> ruleAlerts,
      GroundTruthJoin.Result result,
      Map<String, List<GroundTruthJoin.Instance>> attacksByTechnique) {
    Set<String> uids = ruleAlerts.stream().map(AlertRecord::uid).collect(Collectors.toSet());
    List<GroundTruthJoin.Instance> attacks =
        new ArrayList<>(attacksByTechnique.getOrDefault(technique, List.of()));
    for (GroundTruthJoin.Instance instance : result.instances()) {
      if (instance.attack()
          && !attacks.contains(instance)
          && instance.alertUids().stream().anyMatch(uids::contains)) {
        attacks.add(instance);
      }
    }
    return attacks;
  }

  /** Computes a row from the attacks it covers and the alerts that count for it. */
  private record RowBuilder(
      Map<String, AlertRecord> alertByUid,
      Set<String> unexplained,
      Map<String, Long> evidenceTimes,
      double hostHours) {

    /** The row; the times to alert of its detected attacks are also added to {@code times}. */
    Row row(
        String name,
        String technique,
        List<GroundTruthJoin.Instance> attacks,
        List<AlertRecord> rowAlerts,
        List<Long> times) {
      Set<String> uids = rowAlerts.stream().map(AlertRecord::uid).collect(Collectors.toSet());
      List<String> missed = new ArrayList<>();
      List<Long> rowTimes = new ArrayList<>();
      for (GroundTruthJoin.Instance instance : attacks) {
        List<String> matching = instance.alertUids().stream().filter(uids::contains).toList();
        if (matching.isEmpty()) {
          missed.add(instance.scenarioId());
        } else {
          rowTimes.add(timeToAlert(instance, matching, alertByUid, evidenceTimes));
        }
      }
      List<String> fps =
          rowAlerts.stream().map(AlertRecord::uid).filter(unexplained::contains).toList();
      int found = attacks.size() - missed.size();
      times.addAll(rowTimes);
      return new Row(
          name,
          technique,
          attacks.size(),
          found,
          missed,
          rowAlerts.size(),
          fps,
          rowAlerts.isEmpty() ? 1.0 : (rowAlerts.size() - fps.size()) / (double) rowAlerts.size(),
          attacks.isEmpty() ? 1.0 : found / (double) attacks.size(),
          Latency.of(rowTimes),
          hostHours > 0 ? fps.size() * 1000.0 / hostHours : null);
    }
  }

  /** The earliest matching alert's delay after the last evidence record it names. */
  private static long timeToAlert(
      GroundTruthJoin.Instance instance,
      List<String> alertUids,
      Map<String, AlertRecord> alerts,
      Map<String, Long> evidenceTimes) {
    long best = Long.MAX_VALUE;
    for (String uid : alertUids) {
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
