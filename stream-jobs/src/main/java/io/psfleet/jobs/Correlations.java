package io.psfleet.jobs;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.correlation.CorrelationFunction;
import io.psfleet.jobs.sigma.RuleSetVersion;
import io.psfleet.jobs.sigma.SigmaFunction;
import io.psfleet.jobs.sigma.SigmaRules;
import io.psfleet.sigma.correlation.CorrelationRule;
import io.psfleet.sigma.correlation.CorrelationSet;
import io.psfleet.sigma.correlation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The correlation part of the graph, after the Sigma operator: correlations grouped by host run on
 * the Sigma operator's host observations, still partitioned by host (no shuffle); fleet-wide ones
 * on its fleet observations and on the per-host matches they build on, keyed by their group's
 * values. For rules fixed at definition only the operators the rule set needs are made: none, and
 * no shuffle, without correlation rules. Rules that may change while the job runs need both: a push
 * may bring either kind.
 */
final class Correlations {
  private Correlations() {}

  /**
   * The correlation alerts of {@code rules} and of the versions on {@code versions}, or null when
   * the graph needs no correlation operator.
   *
   * @param live whether {@code versions} may bring new rule sets
   * @param allowedLateness how far behind the watermark an observation is still judged
   */
  static DataStream<Alert> define(
      SingleOutputStreamOperator<Alert> sigma,
      SigmaRules rules,
      BroadcastStream<RuleSetVersion> versions,
      boolean live,
      Duration allowedLateness) {
    // Read where the job is defined, to shape the graph; the operators compile their own copy.
    CorrelationSet set = rules.load().ruleSet().correlations();
    boolean host = live || set.rules().stream().anyMatch(CorrelationRule::hostScoped);
    boolean fleet = live || set.rules().stream().anyMatch(c -> !c.hostScoped());
    List<DataStream<Alert>> alerts = new ArrayList<>();
    DataStream<Observation> fleetInput =
        fleet ? sigma.getSideOutput(SigmaFunction.FLEET_OBSERVATIONS) : null;
    if (host) {
      SingleOutputStreamOperator<Alert> perHost =
          DataStreamUtils.reinterpretAsKeyedStream(
                  sigma.getSideOutput(SigmaFunction.HOST_OBSERVATIONS),
                  CorrelationFunction::hostKey)
              .connect(versions)
              .process(
                  new CorrelationFunction(rules, CorrelationFunction.Scope.HOST, allowedLateness))
              .uid(CorrelationFunction.Scope.HOST.uid)
              .name(CorrelationFunction.Scope.HOST.operatorName);
      alerts.add(perHost);
      if (fleet) {
        fleetInput = fleetInput.union(perHost.getSideOutput(CorrelationFunction.FORWARD));
      }
    }
    if (fleet) {
      alerts.add(
          fleetInput
              .keyBy(Observation::valuesKey)
              .connect(versions)
              .process(
                  new CorrelationFunction(rules, CorrelationFunction.Scope.FLEET, allowedLateness))
              .uid(CorrelationFunction.Scope.FLEET.uid)
              .name(CorrelationFunction.Scope.FLEET.operatorName));
    }
    if (alerts.isEmpty()) {
      return null;
    }
    DataStream<Alert> all = alerts.get(0);
    for (int i = 1; i < alerts.size(); i++) {
      all = all.union(alerts.get(i));
    }
    return all;
  }
}
