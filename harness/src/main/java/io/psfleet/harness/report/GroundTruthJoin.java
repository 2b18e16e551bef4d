package io.psfleet.harness.report;

import io.psfleet.jobs.event.Telemetry;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.GroundTruthLabel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins alerts with what the simulator injected. An alert belongs to a scenario instance when it
 * names one of the instance's events as evidence (whatever technique the rule is tagged with: a
 * Sigma rule written for another technique that fires on an attack's events caught that attack),
 * or, when it names no instance's events, when it has the instance's technique, is on one of its
 * hosts, and names one of its processes (for a fleet campaign: every host the alert names is one of
 * the campaign's, so each campaign is credited with the alert that names its hosts). So an alert on
 * a credential dump of lsass is the dump's, not also that of an antivirus scan of the same lsass on
 * the same host. An attack with such an alert is detected; a look-alike with one is a false
 * positive; an alert that belongs to no attack is a false positive too.
 *
 * <p>Order does not matter: alerts may be joined before or after their ground truth arrives, and
 * several alerts for one instance count once (the earliest gives the time to alert).
 */
public final class GroundTruthJoin {
  /** A ground-truth record and when it reached Kafka. */
  public record Truth(GroundTruth record, long kafkaTimestampMillis) {}

  /** One injected scenario instance and what became of it. */
  public record Instance(
      String scenarioId,
      String scenario,
      String technique,
      boolean attack,
      List<String> hosts,
      List<String> alertUids,
      Long timeToAlertMillis) {
    public boolean alerted() {
      return !alertUids.isEmpty();
    }
  }

  /** The join's outcome. */
  public record Result(List<Instance> instances, List<AlertRecord> unexplainedAlerts) {}

  private GroundTruthJoin() {}

  public static Result join(List<Truth> truths, List<AlertRecord> alerts) {
    Map<String, List<Truth>> byInstance = new LinkedHashMap<>();
    for (Truth truth : truths) {
      byInstance
          .computeIfAbsent(truth.record().getScenarioId(), id -> new ArrayList<>())
          .add(truth);
    }
    Set<String> everyListedEvent = new HashSet<>();
    for (Truth truth : truths) {
      GroundTruth record = truth.record();
      for (long sequence : record.getEventSequences()) {
        everyListedEvent.add(Telemetry.eventId(record.getHostId(), record.getBootId(), sequence));
      }
    }
    Set<String> withListedEvidence = new HashSet<>();
    for (AlertRecord alert : alerts) {
      if (!Collections.disjoint(alert.evidenceEventIds(), everyListedEvent)) {
        withListedEvidence.add(alert.uid());
      }
    }
    List<Instance> instances = new ArrayList<>();
    Set<String> explained = new HashSet<>();
    for (List<Truth> parts : byInstance.values()) {
      GroundTruth first = parts.get(0).record();
      boolean fleet = first.getTechnique().equals("T1570");
      Set<String> hosts = new HashSet<>();
      Set<String> keys = new HashSet<>();
      Set<String> events = new HashSet<>();
      for (Truth part : parts) {
        GroundTruth record = part.record();
        hosts.add(record.getHostId());
        for (long key : record.getProcessGuids()) {
          keys.add(String.format("%016x", key));
        }
        for (long sequence : record.getEventSequences()) {
          events.add(Telemetry.eventId(record.getHostId(), record.getBootId(), sequence));
        }
      }
      List<String> uids = new ArrayList<>();
      Long timeToAlert = null;
      for (AlertRecord alert : alerts) {
        boolean namesItsEvents = !Collections.disjoint(alert.evidenceEventIds(), events);
        boolean sameTechnique = alert.technique().equals(first.getTechnique());
        // A fleet alert names its campaign's hosts: it is that campaign's when they all are,
        // not another campaign's that happens to share one host with it.
        boolean sameHost =
            fleet
                ? !alert.hosts().isEmpty() && hosts.containsAll(alert.hosts())
                : !Collections.disjoint(alert.hosts(), hosts);
        boolean sameProcess = !Collections.disjoint(alert.processKeys(), keys);
        boolean byAssociation =
            !withListedEvidence.contains(alert.uid())
                && sameTechnique
                && sameHost
                && (fleet || sameProcess);
        if (namesItsEvents || byAssociation) {
          uids.add(alert.uid());
          long latestTruth = latestBefore(parts, alert.kafkaTimestampMillis());
          long tta = Math.max(0, alert.kafkaTimestampMillis() - latestTruth);
          timeToAlert = timeToAlert == null ? tta : Math.min(timeToAlert, tta);
        }
      }
      boolean attack = first.getLabel() == GroundTruthLabel.ATTACK;
      if (attack) {
        explained.addAll(uids);
      }
      instances.add(
          new Instance(
              first.getScenarioId(),
              first.getScenario(),
              first.getTechnique(),
              attack,
              hosts.stream().sorted().toList(),
              List.copyOf(uids),
              attack ? timeToAlert : null));
    }
    List<AlertRecord> unexplained =
        alerts.stream().filter(a -> !explained.contains(a.uid())).toList();
    return new Result(instances, unexplained);
  }

  /** The latest ground-truth time not after the alert (the alert may race its ground truth). */
  private static long latestBefore(List<Truth> parts, long alertMillis) {
    long latest = Long.MIN_VALUE;
    long earliest = Long.MAX_VALUE;
    for (Truth part : parts) {
      earliest = Math.min(earliest, part.kafkaTimestampMillis());
      if (part.kafkaTimestampMillis() <= alertMillis) {
        latest = Math.max(latest, part.kafkaTimestampMillis());
      }
    }
    return latest == Long.MIN_VALUE ? earliest : latest;
  }
}
