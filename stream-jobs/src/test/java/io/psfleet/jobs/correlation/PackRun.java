package io.psfleet.jobs.correlation;

import static io.psfleet.jobs.detect.TestEvents.at;
import static io.psfleet.jobs.detect.TestEvents.millis;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.sigma.RuleSetVersion;
import io.psfleet.jobs.sigma.SigmaDetector;
import io.psfleet.jobs.sigma.SigmaRules;
import io.psfleet.sigma.correlation.CorrelationRule;
import io.psfleet.sigma.correlation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * psfleet's rule pack as the job runs it, on Flink's keyed test harnesses: each event through the
 * Sigma detector, its observations into the per-host or the fleet-wide correlation operator, event
 * time moved on by watermarks. For the tests of the pack's correlation rules.
 */
public final class PackRun implements AutoCloseable {
  static final SigmaRules PACK = SigmaRules.defaultPack();

  public final SigmaDetector detector = new SigmaDetector(PACK);
  public final List<Alert> singleEventAlerts = new ArrayList<>();
  final KeyedTwoInputStreamOperatorTestHarness<String, Observation, RuleSetVersion, Alert> host;
  final KeyedTwoInputStreamOperatorTestHarness<String, Observation, RuleSetVersion, Alert> fleet;

  public PackRun() throws Exception {
    // No allowed lateness: the pack's tests judge windows, expiry and cleanup at the watermark.
    host =
        CorrelationFunctionTest.harness(PACK, CorrelationFunction.Scope.HOST, null, Duration.ZERO);
    fleet =
        CorrelationFunctionTest.harness(PACK, CorrelationFunction.Scope.FLEET, null, Duration.ZERO);
  }

  /** Runs the detector on {@code e} and sends its observations on; returns the event id. */
  public String send(EnrichedEvent e) throws Exception {
    List<Observation> observations = new ArrayList<>();
    detector.evaluate(e, singleEventAlerts::add, observations::add);
    for (Observation o : observations) {
      CorrelationRule rule = detector.correlations().rule(o.correlation());
      (rule.hostScoped() ? host : fleet).processElement1(o, millis(e.event().timeNanos()));
    }
    return e.event().eventId();
  }

  public void watermark(double seconds) throws Exception {
    host.processWatermark1(new Watermark(millis(at(seconds))));
    fleet.processWatermark1(new Watermark(millis(at(seconds))));
  }

  /** Moves event time to {@code millis} (a record timestamp) in both correlation operators. */
  public void watermarkMillis(long millis) throws Exception {
    host.processWatermark1(new Watermark(millis));
    fleet.processWatermark1(new Watermark(millis));
  }

  public List<Alert> hostAlerts() {
    return host.extractOutputValues();
  }

  public List<Alert> fleetAlerts() {
    return fleet.extractOutputValues();
  }

  public int stateEntries() {
    return host.numKeyedStateEntries() + fleet.numKeyedStateEntries();
  }

  public int timers() {
    return host.numEventTimeTimers() + fleet.numEventTimeTimers();
  }

  @Override
  public void close() throws Exception {
    host.close();
    fleet.close();
  }
}
