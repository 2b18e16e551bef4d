package io.psfleet.jobs.correlation;

import static io.psfleet.jobs.detect.TestEvents.KERNEL32;
import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.at;
import static io.psfleet.jobs.detect.TestEvents.millis;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.OcsfDetectionFinding;
import io.psfleet.jobs.detect.TestEvents;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.sigma.SigmaAnalytics;
import io.psfleet.jobs.sigma.SigmaDetector;
import io.psfleet.jobs.sigma.SigmaRuleText;
import io.psfleet.jobs.sigma.SigmaRules;
import io.psfleet.ocsf.OcsfValidator;
import io.psfleet.ocsf.ValidationResult;
import io.psfleet.sigma.correlation.CorrelationRule;
import io.psfleet.sigma.correlation.Observation;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The correlation operator on Flink's keyed test harness, fed by the Sigma detector's observations
 * of test events: alerts, their stable uid, state and timers gone after the window, and state that
 * survives a snapshot and restore.
 */
class CorrelationFunctionTest {
  static final String INJECTION = "7e570000-0000-4000-8000-000000000001";
  static final String CAMPAIGN = "7e570000-0000-4000-8000-000000000002";
  static final Proc DROPPER = proc(31, 5000, "C:\\Users\\alice\\Downloads\\Invoice.exe");
  static final Proc NOTEPAD = proc(21, 3100, SYSTEM32 + "notepad.exe");
  static final Proc EXPLORER = proc(20, 3000, "C:\\Windows\\explorer.exe");
  static final String DLL = "C:\\Users\\Public\\Libraries\\wsupd.dll";

  static final String RULES =
      """
      title: Remote thread at LoadLibrary
      id: 7e570000-0000-4000-8000-0000000000a1
      name: remote_thread
      logsource:
        product: windows
        category: create_remote_thread
      detection:
        selection:
          StartFunction|startswith: LoadLibrary
        condition: selection
      ---
      title: Unsigned module
      id: 7e570000-0000-4000-8000-0000000000a2
      name: unsigned_load
      logsource:
        product: windows
        category: image_load
      detection:
        selection:
          Signed: 'false'
        condition: selection
      ---
      title: DLL injection
      id: %s
      level: high
      tags:
        - attack.defense-evasion
        - attack.t1055.001
      correlation:
        type: temporal_ordered
        rules: [remote_thread, unsigned_load]
        group-by: [Computer, target]
        timespan: 30s
        aliases:
          target:
            remote_thread: TargetProcessGuid
            unsigned_load: ProcessGuid
      ---
      title: Unsigned module on many hosts
      id: %s
      level: critical
      correlation:
        type: value_count
        rules: [unsigned_load]
        group-by: [Hashes]
        timespan: 15m
        condition:
          field: Computer
          gte: 3
      generate: true
      """
          .formatted(INJECTION, CAMPAIGN);

  final SigmaRules rules = SigmaRules.of(List.of(new SigmaRuleText("corr.yml", RULES)));
  final SigmaDetector detector = new SigmaDetector(rules);
  final List<Alert> sigmaAlerts = new ArrayList<>();
  KeyedOneInputStreamOperatorTestHarness<String, Observation, Alert> host;
  KeyedOneInputStreamOperatorTestHarness<String, Observation, Alert> fleet;

  static KeyedOneInputStreamOperatorTestHarness<String, Observation, Alert> harness(
      SigmaRules rules, CorrelationFunction.Scope scope, OperatorSubtaskState restored)
      throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, Observation, Alert> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new CorrelationFunction(rules, scope)),
            scope == CorrelationFunction.Scope.HOST
                ? CorrelationFunction::hostKey
                : Observation::valuesKey,
            Types.STRING);
    h.setup();
    if (restored != null) {
      h.initializeState(restored);
    }
    h.open();
    return h;
  }

  void open() throws Exception {
    host = harness(rules, CorrelationFunction.Scope.HOST, null);
    fleet = harness(rules, CorrelationFunction.Scope.FLEET, null);
  }

  @AfterEach
  void close() throws Exception {
    host.close();
    fleet.close();
  }

  /** Runs the detector on {@code e} and sends its observations on; returns the event id. */
  String send(EnrichedEvent e) throws Exception {
    List<Observation> observations = new ArrayList<>();
    detector.evaluate(e, sigmaAlerts::add, observations::add);
    for (Observation o : observations) {
      CorrelationRule rule = detector.correlations().rule(o.correlation());
      (rule.hostScoped() ? host : fleet).processElement(o, millis(e.event().timeNanos()));
    }
    return e.event().eventId();
  }

  void watermark(double seconds) throws Exception {
    host.processWatermark(millis(at(seconds)));
    fleet.processWatermark(millis(at(seconds)));
  }

  @Test
  void threadThenLoadInItsTargetRaisesTheCorrelationAlertOnceTheWatermarkPasses() throws Exception {
    open();
    TestEvents a = new TestEvents("host-a");
    String thread = send(a.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    String load = send(a.load(12, NOTEPAD, "C:\\Users\\alice\\AppData\\Local\\Temp\\x.dll", null));
    assertThat(host.extractOutputValues()).isEmpty();
    watermark(12);
    assertThat(host.extractOutputValues())
        .singleElement()
        .satisfies(
            alert -> {
              assertThat(alert.analytic().id()).isEqualTo(INJECTION);
              assertThat(alert.analytic().title()).isEqualTo("DLL injection");
              assertThat(alert.analytic().technique()).isEqualTo("T1055.001");
              assertThat(alert.analytic().isSigma()).isTrue();
              assertThat(alert.evidenceEventIds()).containsExactly(thread, load);
              assertThat(alert.uid())
                  .isEqualTo(
                      Alert.uidOf(
                          SigmaAnalytics.of(detector.correlations().rule(INJECTION)),
                          thread,
                          load));
              assertThat(alert.hostId()).isEqualTo("host-a");
              assertThat(alert.process().key()).isEqualTo(NOTEPAD.key());
              assertThat(alert.timeNanos()).isEqualTo(at(12));
            });
    // The thread rule is referenced without generate: no alert of its own; the load rule alerts,
    // since the campaign, which refers to it too, says generate.
    assertThat(sigmaAlerts)
        .extracting(x -> x.analytic().id())
        .containsExactly("7e570000-0000-4000-8000-0000000000a2");
  }

  @Test
  void stateAndTimersAreGoneOnceTheWatermarkPassesTheWindow() throws Exception {
    open();
    TestEvents a = new TestEvents("host-a");
    send(a.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    watermark(11);
    assertThat(host.numKeyedStateEntries()).isEqualTo(1);
    assertThat(host.numEventTimeTimers()).isEqualTo(1);
    watermark(39);
    assertThat(host.numKeyedStateEntries()).isEqualTo(1);
    watermark(40);
    assertThat(host.numKeyedStateEntries()).isZero();
    assertThat(host.numEventTimeTimers()).isZero();
    send(a.load(41, NOTEPAD, DLL, null));
    watermark(42 + 900);
    assertThat(host.extractOutputValues()).isEmpty();
    assertThat(fleet.numKeyedStateEntries()).isZero();
    assertThat(fleet.numEventTimeTimers()).isZero();
  }

  @Test
  void pendingAndWindowStateSurviveASnapshotAndRestore() throws Exception {
    open();
    TestEvents a = new TestEvents("host-a");
    String thread = send(a.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    watermark(11);
    // Pending, not judged yet: the load waits for the watermark.
    String load = send(a.load(12, NOTEPAD, DLL, null));
    OperatorSubtaskState snapshot = host.snapshot(1L, 1L);
    host.close();
    host = harness(rules, CorrelationFunction.Scope.HOST, snapshot);
    host.processWatermark(millis(at(20)));
    assertThat(host.extractOutputValues())
        .singleElement()
        .satisfies(alert -> assertThat(alert.evidenceEventIds()).containsExactly(thread, load));
  }

  @Test
  void aModuleOnThreeHostsRaisesOneFleetAlertNamingThemAndItsLoadsStillAlert() throws Exception {
    open();
    List<String> loads = new ArrayList<>();
    for (String h : List.of("host-1", "host-2", "host-3")) {
      loads.add(send(new TestEvents(h).load(100 + loads.size(), EXPLORER, DLL, null)));
    }
    watermark(200);
    assertThat(fleet.extractOutputValues())
        .singleElement()
        .satisfies(
            alert -> {
              assertThat(alert.analytic().id()).isEqualTo(CAMPAIGN);
              assertThat(alert.hosts()).containsExactly("host-1", "host-2", "host-3");
              assertThat(alert.evidenceEventIds()).containsExactlyElementsOf(loads);
              assertThat(alert.hostId()).isEqualTo("host-3");
              assertThat(alert.analytic().severityId()).isEqualTo(5);
            });
    // The campaign says generate: the unsigned-load rule alerts on its own too.
    assertThat(sigmaAlerts).hasSize(3);
  }

  @Test
  void correlationAlertsAreValidOcsfDetectionFindings() throws Exception {
    open();
    TestEvents a = new TestEvents("host-a");
    send(a.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    send(a.load(12, NOTEPAD, DLL, null));
    for (String h : List.of("host-1", "host-2")) {
      send(new TestEvents(h).load(100, EXPLORER, DLL, null));
    }
    watermark(200);
    List<Alert> alerts = new ArrayList<>(host.extractOutputValues());
    alerts.addAll(fleet.extractOutputValues());
    assertThat(alerts)
        .extracting(x -> x.analytic().id())
        .containsExactlyInAnyOrder(INJECTION, CAMPAIGN);
    OcsfValidator validator = OcsfValidator.bundled();
    for (Alert alert : alerts) {
      ValidationResult result = validator.validate(OcsfDetectionFinding.toJsonBytes(alert));
      assertThat(result.errors()).as(result.toString()).isEmpty();
    }
  }

  @Test
  void aLateObservationIsDroppedNotJudged() throws Exception {
    open();
    TestEvents a = new TestEvents("host-a");
    send(a.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    watermark(20);
    send(a.load(15, NOTEPAD, DLL, null));
    watermark(60);
    assertThat(host.extractOutputValues()).isEmpty();
    assertThat(host.numKeyedStateEntries()).isZero();
  }
}
