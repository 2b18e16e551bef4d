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
import io.psfleet.jobs.sigma.RuleSetVersion;
import io.psfleet.jobs.sigma.SigmaAnalytics;
import io.psfleet.jobs.sigma.SigmaDetector;
import io.psfleet.jobs.sigma.SigmaFunction;
import io.psfleet.jobs.sigma.SigmaRuleText;
import io.psfleet.jobs.sigma.SigmaRules;
import io.psfleet.ocsf.OcsfValidator;
import io.psfleet.ocsf.ValidationResult;
import io.psfleet.sigma.correlation.CorrelationRule;
import io.psfleet.sigma.correlation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The correlation operator on Flink's keyed test harness, fed by the Sigma detector's observations
 * of test events: alerts, their stable uid, state and timers gone after the window, state that
 * survives a snapshot and restore, and rule sets that change while it runs.
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
  KeyedTwoInputStreamOperatorTestHarness<String, Observation, RuleSetVersion, Alert> host;
  KeyedTwoInputStreamOperatorTestHarness<String, Observation, RuleSetVersion, Alert> fleet;

  /** The allowed lateness of the operators {@link #open} makes: none unless a test says. */
  Duration lateness = Duration.ZERO;

  static KeyedTwoInputStreamOperatorTestHarness<String, Observation, RuleSetVersion, Alert> harness(
      SigmaRules rules,
      CorrelationFunction.Scope scope,
      OperatorSubtaskState restored,
      Duration lateness)
      throws Exception {
    KeyedTwoInputStreamOperatorTestHarness<String, Observation, RuleSetVersion, Alert> h =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new CorrelationFunction(rules, scope, lateness), List.of(SigmaFunction.RULE_SET)),
            scope == CorrelationFunction.Scope.HOST
                ? CorrelationFunction::hostKey
                : Observation::valuesKey,
            // The broadcast input has no key; the harness wants one.
            version -> "",
            Types.STRING);
    h.setup();
    if (restored != null) {
      h.initializeState(restored);
    }
    h.open();
    // As the rules topic's watermarks do: rule sets never hold event time back.
    h.processWatermark2(new Watermark(Long.MAX_VALUE));
    return h;
  }

  void open() throws Exception {
    host = harness(rules, CorrelationFunction.Scope.HOST, null, lateness);
    fleet = harness(rules, CorrelationFunction.Scope.FLEET, null, lateness);
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
      (rule.hostScoped() ? host : fleet).processElement1(o, millis(e.event().timeNanos()));
    }
    return e.event().eventId();
  }

  void watermark(double seconds) throws Exception {
    host.processWatermark1(new Watermark(millis(at(seconds))));
    fleet.processWatermark1(new Watermark(millis(at(seconds))));
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
    host = harness(rules, CorrelationFunction.Scope.HOST, snapshot, lateness);
    host.processWatermark1(new Watermark(millis(at(20))));
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
  void aLateObservationWithinTheAllowedLatenessIsJudgedAtOnce() throws Exception {
    lateness = Duration.ofMinutes(1);
    open();
    TestEvents a = new TestEvents("host-a");
    String load = send(a.load(15, NOTEPAD, DLL, null));
    watermark(20);
    assertThat(host.extractOutputValues()).isEmpty();
    // The remote thread that caused the load arrives behind the watermark (its partition stalled).
    String thread = send(a.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    assertThat(host.extractOutputValues())
        .singleElement()
        .satisfies(alert -> assertThat(alert.evidenceEventIds()).containsExactly(thread, load));
    watermark(15 + 30 + 60);
    assertThat(host.numKeyedStateEntries()).isZero();
    assertThat(host.numEventTimeTimers()).isZero();
  }

  @Test
  void aLateObservationBeyondTheAllowedLatenessIsDroppedNotJudged() throws Exception {
    open();
    TestEvents a = new TestEvents("host-a");
    send(a.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    watermark(20);
    send(a.load(15, NOTEPAD, DLL, null));
    watermark(60);
    assertThat(host.extractOutputValues()).isEmpty();
    assertThat(host.numKeyedStateEntries()).isZero();
  }

  // --- rule sets that change while the job runs ----------------------------------------------

  /** The test rules without the correlation {@code id}, as version {@code version}. */
  static RuleSetVersion without(String id, long version) {
    String[] docs = RULES.split("(?m)^---\n");
    StringBuilder kept = new StringBuilder();
    for (String doc : docs) {
      if (!doc.contains("id: " + id)) {
        kept.append(kept.length() == 0 ? "" : "---\n").append(doc);
      }
    }
    return version(version, kept.toString());
  }

  static RuleSetVersion version(long version, String yaml) {
    return new RuleSetVersion(
        version, new SigmaRuleText[] {new SigmaRuleText("v.yml", yaml)}, null);
  }

  void push(RuleSetVersion version) throws Exception {
    host.processElement2(version, 0);
    fleet.processElement2(version, 0);
  }

  @Test
  void aPushKeepsTheWindowsOfAnUnchangedCorrelationAndItsAlertNamesTheNewVersion()
      throws Exception {
    open();
    TestEvents a = new TestEvents("host-a");
    String thread = send(a.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    watermark(11);
    push(without(CAMPAIGN, 7));
    assertThat(host.numKeyedStateEntries()).isEqualTo(1);
    String load = send(a.load(12, NOTEPAD, DLL, null));
    watermark(13);
    assertThat(host.extractOutputValues())
        .singleElement()
        .satisfies(
            alert -> {
              assertThat(alert.evidenceEventIds()).containsExactly(thread, load);
              assertThat(alert.ruleSetVersion()).isEqualTo(7);
            });
  }

  @Test
  void aPushDropsTheStateOfARemovedCorrelationFromEveryKeyAtOnce() throws Exception {
    open();
    send(new TestEvents("host-a").thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    send(new TestEvents("host-b").thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    send(new TestEvents("host-c").load(10, EXPLORER, DLL, null));
    watermark(11);
    assertThat(host.numKeyedStateEntries())
        .as("the loads feed the injection rule too")
        .isEqualTo(3);
    assertThat(fleet.numKeyedStateEntries()).isEqualTo(1);

    push(without(INJECTION, 1));

    assertThat(host.numKeyedStateEntries()).isZero();
    assertThat(fleet.numKeyedStateEntries()).as("the campaign did not change").isEqualTo(1);
    watermark(100);
    assertThat(host.extractOutputValues()).isEmpty();
  }

  @Test
  void aCorrelationRedefinedByAPushStartsWithNothing() throws Exception {
    open();
    TestEvents a = new TestEvents("host-a");
    send(a.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    watermark(11);
    push(version(1, RULES.replace("timespan: 30s", "timespan: 40s")));
    assertThat(host.numKeyedStateEntries()).isZero();
    send(a.load(12, NOTEPAD, DLL, null));
    watermark(100);
    assertThat(host.extractOutputValues()).isEmpty();
  }

  @Test
  void anOlderOrUnreadableVersionChangesNothing() throws Exception {
    open();
    push(without(CAMPAIGN, 5));
    TestEvents a = new TestEvents("host-a");
    send(a.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    push(without(INJECTION, 4));
    push(RuleSetVersion.unreadable(6, "not JSON"));
    send(a.load(12, NOTEPAD, DLL, null));
    watermark(13);
    assertThat(host.extractOutputValues())
        .singleElement()
        .satisfies(alert -> assertThat(alert.ruleSetVersion()).isEqualTo(5));
  }

  @Test
  void aRestoreRunsThePushedVersionNotTheOneItWasDefinedWith() throws Exception {
    open();
    push(without(CAMPAIGN, 3));
    OperatorSubtaskState snapshot = host.snapshot(1L, 1L);
    host.close();
    host = harness(rules, CorrelationFunction.Scope.HOST, snapshot, lateness);
    TestEvents a = new TestEvents("host-a");
    send(a.thread(10, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"));
    send(a.load(12, NOTEPAD, DLL, null));
    watermark(100);
    assertThat(host.extractOutputValues())
        .singleElement()
        .satisfies(alert -> assertThat(alert.ruleSetVersion()).isEqualTo(3));
  }
}
