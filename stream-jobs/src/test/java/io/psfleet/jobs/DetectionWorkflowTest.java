package io.psfleet.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.io.DeadLetter;
import io.psfleet.jobs.io.Envelope;
import io.psfleet.jobs.io.InputBounds;
import io.psfleet.jobs.io.TelemetryDeserializationSchema;
import io.psfleet.schema.EventHeader;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.IntegrityLevel;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.Sha256;
import io.psfleet.schema.SignatureStatus;
import io.psfleet.schema.SignatureType;
import io.psfleet.schema.SigningLevel;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The detection job's graph as {@link FleetDetectionJob#defineWorkflow} builds it, run on a
 * MiniCluster at parallelism 2 with generic types disabled (a silent Kryo fallback fails the run),
 * between a scripted bounded source and collecting sinks.
 *
 * <p>The source plays two Kafka partitions of the telemetry topic: its records are the Avro bytes
 * the simulator publishes (and a few corrupt ones), decoded by the job's own {@link
 * TelemetryDeserializationSchema}; timestamps and watermarks come from the job's own strategy
 * (bounded out-of-orderness, 5 s here). Partition 1 carries two hosts and ends early; partition 0
 * carries the rest, in this order: in-order events, events out of order within the bound, and late
 * events. A late event is made late for certain, not by timing luck: before it, the source waits
 * until the job's watermark, as seen by every alert sink subtask, has passed a given event time
 * (then every operator upstream has seen it and fired its timers).
 *
 * <p>One run serves every test of the class.
 */
class DetectionWorkflowTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final int PARALLELISM = 2;
  static final long START_NANOS = FleetConfig.Builder.DEFAULT_START_NANOS;
  static final String TOPIC = "psfleet.telemetry";

  static final String SYSTEM32 = "C:\\Windows\\System32\\";
  static final String KERNEL32 = SYSTEM32 + "kernel32.dll";
  static final Proc WININIT = proc(11, 560, SYSTEM32 + "wininit.exe");
  static final Proc WINLOGON = proc(12, 620, SYSTEM32 + "winlogon.exe");
  static final Proc LSASS = proc(13, 700, SYSTEM32 + "lsass.exe");
  static final Proc SERVICES = proc(14, 690, SYSTEM32 + "services.exe");
  static final Proc APPINFO = proc(15, 1204, SYSTEM32 + "svchost.exe");
  static final Proc EXPLORER = proc(20, 3000, "C:\\Windows\\explorer.exe");
  static final Proc NOTEPAD = proc(21, 3100, SYSTEM32 + "notepad.exe");
  static final Proc WORD =
      proc(30, 4100, "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE");
  static final Proc DROPPER = proc(31, 5000, "C:\\Users\\alice\\Downloads\\Invoice_2026-11.exe");
  static final Proc EDR =
      proc(32, 900, "C:\\Program Files\\Contoso Security\\Endpoint Agent\\ContosoAgent.exe");
  static final Proc CMD = proc(40, 5100, SYSTEM32 + "cmd.exe");
  static final Proc POWERSHELL =
      proc(41, 5104, SYSTEM32 + "WindowsPowerShell\\v1.0\\powershell.exe");
  static final Proc ADMIN_POWERSHELL = proc(42, 5108, POWERSHELL.image());
  static final Proc SPLWOW64 = proc(43, 5112, "C:\\Windows\\splwow64.exe");
  static final Proc SPOOFER = proc(50, 6000, "C:\\Users\\alice\\Downloads\\setup_patch.exe");
  static final Proc SPOOFED_CHILD = proc(51, 6004, NOTEPAD.image());
  static final Proc CONSENT = proc(52, 6008, SYSTEM32 + "consent.exe");
  static final Proc UPDATER =
      proc(53, 6012, "C:\\Users\\alice\\AppData\\Local\\Programs\\Updater\\updater.exe");
  static final Proc VENDOR_APP = proc(54, 6016, "C:\\Program Files\\Fabrikam\\fabrikam.exe");

  /** Every alert of the run, and every dead letter. */
  static final List<Alert> alerts = new ArrayList<>();

  static final List<DeadLetter> deadLetters = new ArrayList<>();

  /** Events the expected alerts are made of, by name; and events that must raise nothing. */
  static final Map<String, String> ids = new HashMap<>();

  static final Set<String> lookalikeEvents = new HashSet<>();
  static final Map<String, byte[]> corrupt = new HashMap<>();
  static boolean genericTypesDisabled;
  static int sinkSubtasks;

  static final String SIGMA_CMD = "5f6b2c1e-0d8a-4c1e-9b7a-1a2b3c4d5e01";
  static final String SIGMA_MIMILIB = "5f6b2c1e-0d8a-4c1e-9b7a-1a2b3c4d5e02";

  /** A process_creation rule: cmd.exe started from System32 (two selections). */
  static final String CMD_RULE =
      """
      title: Command shell from System32
      id: %s
      status: test
      level: medium
      tags:
        - attack.execution
        - attack.t1059.003
      references:
        - https://attack.mitre.org/techniques/T1059/003/
      falsepositives:
        - Administrators
      logsource:
        category: process_creation
        product: windows
      detection:
        image:
          Image|endswith: '\\cmd.exe'
        cmdline:
          CommandLine|contains: 'system32'
        condition: image and cmdline
      """
          .formatted(SIGMA_CMD);

  /** An image_load rule: mimilib.dll loaded into lsass. */
  static final String MIMILIB_RULE =
      """
      title: Mimikatz SSP loaded into LSASS
      id: %s
      level: high
      tags:
        - attack.persistence
        - attack.t1547.005
      logsource:
        category: image_load
        product: windows
      detection:
        selection:
          Image|endswith: '\\lsass.exe'
          ImageLoaded|endswith: '\\mimilib.dll'
        condition: selection
      """
          .formatted(SIGMA_MIMILIB);

  /** Rejected by the engine (unknown modifier): the job runs the other rules all the same. */
  static final String BROKEN_RULE =
      """
      title: Broken
      id: 5f6b2c1e-0d8a-4c1e-9b7a-1a2b3c4d5e03
      logsource:
        category: process_creation
        product: windows
      detection:
        selection:
          Image|sometimes: x
        condition: selection
      """;

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  static void runTheWorkflow() throws Exception {
    Script script = new Script();
    writeScript(script);

    Path rules = Files.createTempDirectory("sigma-rules");
    Files.writeString(rules.resolve("cmd.yml"), CMD_RULE);
    Files.createDirectories(rules.resolve("image_load"));
    Files.writeString(rules.resolve("image_load").resolve("mimilib.yml"), MIMILIB_RULE);
    Files.writeString(rules.resolve("broken.yml"), BROKEN_RULE);
    JobConfig config =
        JobConfig.fromArgs(
            new String[] {
              "--bootstrap",
              "unused:9092",
              "--parallelism",
              Integer.toString(PARALLELISM),
              "--out-of-orderness",
              "5s",
              "--allowed-lateness",
              "60s",
              "--rules",
              rules.toString()
            });
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    FleetDetectionJob.configure(env, config);
    Configuration test = new Configuration();
    test.set(PipelineOptions.GENERIC_TYPES, false);
    // A failure fails the test at once instead of restarting the job (from scratch: the source
    // cannot rewind the sinks' record of event time).
    test.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    env.configure(test);
    genericTypesDisabled = env.getConfig().getSerializerConfig().hasGenericTypesDisabled();

    String run = UUID.randomUUID().toString();
    Progress progress = Progress.start(run);
    try {
      FleetDetectionJob.defineWorkflow(
          env,
          config,
          new ScriptedSource(run, script.splits, config.inputBounds()),
          new AlertSink(run),
          new DeadLetterSink(run));
      env.execute("detection workflow test");
      alerts.addAll(progress.alerts);
      sinkSubtasks = progress.sinkParallelism;
      deadLetters.addAll(progress.deadLetters);
    } finally {
      Progress.end(run);
    }
  }

  /**
   * The records of both partitions. Times are seconds after {@link #START_NANOS}; each host's
   * events are in its sequence order, as one partition per host keeps them.
   */
  static void writeScript(Script script) {
    // Partition 1: host rules on two hosts, one corrupt record; it ends long before partition 0.
    Host b = new Host("host-b");
    script.send(1, b.create(1, EXPLORER, WINLOGON));
    script.send(1, b.create(2, WORD, EXPLORER));
    ids.put("b.cmd", script.send(1, b.create(5, CMD, WORD)));
    ids.put("b.powershell", script.send(1, b.create(6, POWERSHELL, CMD)));
    lookalikeEvents.add(script.send(1, b.create(7, ADMIN_POWERSHELL, EXPLORER)));
    lookalikeEvents.add(script.send(1, b.create(8, SPLWOW64, WORD)));
    corrupt.put(
        "BAD_MARKER",
        script.corrupt(1, "host-b", "not avro at all".getBytes(StandardCharsets.UTF_8), 8));

    Host c = new Host("host-c");
    script.send(1, c.create(11, EXPLORER, WINLOGON));
    script.send(1, c.create(11.5, LSASS, WININIT));
    script.send(1, c.create(12, SPOOFER, EXPLORER));
    ids.put("c.spoof", script.send(1, c.spoofedCreate(13, SPOOFED_CHILD, EXPLORER, SPOOFER)));
    lookalikeEvents.add(script.send(1, c.spoofedCreate(13.5, CONSENT, EXPLORER, APPINFO)));
    ids.put("c.lsass", script.send(1, c.load(15, LSASS, SYSTEM32 + "mimilib.dll", null)));
    lookalikeEvents.add(
        script.send(
            1, c.load(16, LSASS, "C:\\Program Files\\Contoso\\ContosoCP.dll", "Contoso Ltd")));
    script.send(1, c.create(17, UPDATER, EXPLORER));
    ids.put(
        "c.hijack",
        script.send(
            1,
            c.load(
                18,
                UPDATER,
                "C:\\Users\\alice\\AppData\\Local\\Programs\\Updater\\version.dll",
                null)));
    script.send(1, c.create(18.5, VENDOR_APP, EXPLORER));
    lookalikeEvents.add(
        script.send(
            1, c.load(19, VENDOR_APP, "C:\\Program Files\\Fabrikam\\version.dll", "Fabrikam Inc")));

    // Partition 0, in order: the injection sequence and its look-alike.
    Host a = new Host("host-a");
    script.send(0, a.create(1, EXPLORER, WINLOGON));
    script.send(0, a.create(2, NOTEPAD, EXPLORER));
    script.send(0, a.create(3, DROPPER, EXPLORER));
    script.send(0, a.create(4, EDR, SERVICES));
    ids.put("a.thread", script.send(0, a.thread(10, DROPPER, NOTEPAD, "LoadLibraryW")));
    ids.put("a.load", script.send(0, a.load(10.004, NOTEPAD, tempDll(a), null)));
    lookalikeEvents.add(script.send(0, a.thread(11, EDR, NOTEPAD, "LoadLibraryW")));
    lookalikeEvents.add(
        script.send(
            0,
            a.load(
                11.003,
                NOTEPAD,
                "C:\\Program Files\\Contoso Security\\Endpoint Agent\\ContosoHook64.dll",
                "Contoso Security Ltd")));

    // Out of order within the bound: a fleet campaign whose loads arrive 2 s apart from their
    // event-time order, and a load that arrives 4.5 s behind the latest event yet just inside
    // its thread's window (late, it would find the thread expired).
    String campaignDll = "C:\\Users\\Public\\Libraries\\wsupd.dll";
    Host d1 = new Host("host-d1");
    Host d2 = new Host("host-d2");
    Host d3 = new Host("host-d3");
    Host d4 = new Host("host-d4");
    Host d5 = new Host("host-d5");
    script.send(0, d1.create(12, EXPLORER, WINLOGON));
    script.send(0, d2.create(12.5, EXPLORER, WINLOGON));
    script.send(0, d3.create(13, EXPLORER, WINLOGON));
    script.send(0, d4.create(13.2, EXPLORER, WINLOGON));
    script.send(0, d5.create(13.4, EXPLORER, WINLOGON));
    ids.put("d2.load", script.send(0, d2.load(21, EXPLORER, campaignDll, null)));
    ids.put("d3.load", script.send(0, d3.load(22, EXPLORER, campaignDll, null)));
    ids.put("d4.load", script.send(0, d4.load(22.5, EXPLORER, campaignDll, null)));
    ids.put("d1.load", script.send(0, d1.load(20, EXPLORER, campaignDll, null)));
    ids.put("d5.load", script.send(0, d5.load(23, EXPLORER, campaignDll, null)));
    Host x = new Host("host-x");
    byte[] valid = x.encode(x.load(22, NOTEPAD, SYSTEM32 + "version.dll", "Microsoft Windows"));
    corrupt.put(
        "TRUNCATED", script.corrupt(0, "host-x", Arrays.copyOf(valid, valid.length - 5), 22));
    byte[] unknownSchema = valid.clone();
    unknownSchema[5] ^= 0x5A;
    corrupt.put("UNKNOWN_SCHEMA", script.corrupt(0, "host-x", unknownSchema, 22));

    Host e = new Host("host-e");
    Host f = new Host("host-f");
    script.send(0, e.create(98, NOTEPAD, EXPLORER));
    script.send(0, e.create(99, DROPPER, EXPLORER));
    ids.put("e.thread", script.send(0, e.thread(100, DROPPER, NOTEPAD, "LoadLibraryW")));
    script.send(0, f.create(134, EXPLORER, WINLOGON));
    ids.put("e.load", script.send(0, e.load(129.5, NOTEPAD, tempDll(e), null)));

    // Late: the watermark has passed the events' time when they arrive.
    Host g = new Host("host-g");
    Host h = new Host("host-h");
    script.send(0, h.create(300, EXPLORER, WINLOGON));
    script.awaitEventTime(0, 290);
    script.send(0, g.create(200, EXPLORER, WINLOGON));
    script.send(0, g.create(201, WORD, EXPLORER));
    ids.put("g.cmd", script.send(0, g.create(202, CMD, WORD)));

    Host i = new Host("host-i");
    Host j = new Host("host-j");
    script.send(0, i.create(398, NOTEPAD, EXPLORER));
    script.send(0, i.create(399, DROPPER, EXPLORER));
    ids.put("i.thread", script.send(0, i.thread(400, DROPPER, NOTEPAD, "LoadLibraryW")));
    script.send(0, j.create(480, EXPLORER, WINLOGON));
    script.awaitEventTime(0, 470);
    // The watermark is at 475: the load is more than the allowed 60 s behind it.
    ids.put("i.load", script.send(0, i.load(405, NOTEPAD, tempDll(i), null)));

    Host k = new Host("host-k");
    Host l = new Host("host-l");
    script.send(0, k.create(498, NOTEPAD, EXPLORER));
    script.send(0, k.create(499, DROPPER, EXPLORER));
    ids.put("k.thread", script.send(0, k.thread(500, DROPPER, NOTEPAD, "LoadLibraryW")));
    script.send(0, l.create(520, EXPLORER, WINLOGON));
    script.awaitEventTime(0, 514);
    // Behind the watermark (515), within the allowed lateness.
    ids.put("k.load", script.send(0, k.load(510, NOTEPAD, tempDll(k), null)));
  }

  /** One dropped DLL per host, so the injections do not add up to a fleet campaign. */
  static String tempDll(Host host) {
    return "C:\\Users\\alice\\AppData\\Local\\Temp\\" + host.hostId + "-msvcupd64.dll";
  }

  @Test
  void runsWithGenericTypesDisabledAtParallelismTwo() {
    assertThat(genericTypesDisabled).isTrue();
    assertThat(sinkSubtasks).isEqualTo(2);
  }

  @Test
  void thePacksRulesRaiseExactlyTheExpectedAlerts() {
    assertThat(alerts)
        .filteredOn(a -> a.analytic().id().startsWith("psfleet-"))
        .extracting(DetectionWorkflowTest::summary)
        .containsExactlyInAnyOrder(
            expected("psfleet-001", "host-a", "a.thread", "a.load"),
            expected("psfleet-004", "host-b", "b.cmd"),
            expected("psfleet-004", "host-b", "b.powershell"),
            expected("psfleet-003", "host-c", "c.spoof"),
            expected("psfleet-002", "host-c", "c.lsass"),
            expected("psfleet-005", "host-c", "c.hijack"),
            expected(
                "psfleet-006",
                "host-d1,host-d2,host-d3,host-d4,host-d5",
                "d1.load",
                "d2.load",
                "d3.load",
                "d4.load",
                "d5.load"),
            expected("psfleet-001", "host-e", "e.thread", "e.load"),
            expected("psfleet-004", "host-g", "g.cmd"),
            expected("psfleet-001", "host-k", "k.thread", "k.load"));
  }

  @Test
  void givenSigmaRulesRaiseExactlyTheExpectedAlertsBesideThePack() {
    assertThat(alerts)
        .filteredOn(a -> !a.analytic().id().startsWith("psfleet-"))
        .extracting(DetectionWorkflowTest::summary)
        .containsExactlyInAnyOrder(
            expectedSigma(SIGMA_CMD, "host-b", "b.cmd"),
            // Stateless: a late event matches like a timely one.
            expectedSigma(SIGMA_CMD, "host-g", "g.cmd"),
            expectedSigma(SIGMA_MIMILIB, "host-c", "c.lsass"));
  }

  @Test
  void sigmaAlertsCarryTheRuleAndTheProcessWithItsAncestry() {
    Alert cmd =
        alerts.stream()
            .filter(a -> a.analytic().id().equals(SIGMA_CMD) && a.hostId().equals("host-b"))
            .findFirst()
            .orElseThrow();
    assertThat(cmd.analytic().title()).isEqualTo("Command shell from System32");
    assertThat(cmd.analytic().technique()).isEqualTo("T1059.003");
    assertThat(cmd.analytic().tacticId()).isEqualTo("TA0002");
    assertThat(cmd.analytic().severityId()).isEqualTo(3);
    assertThat(cmd.uid()).isEqualTo(Alert.uidOf(cmd.analytic(), ids.get("b.cmd")));
    assertThat(cmd.process().key()).isEqualTo(CMD.key());
    assertThat(cmd.process().ancestry())
        .extracting(ancestor -> ancestor.key())
        .startsWith(WORD.key(), EXPLORER.key());

    Alert mimilib =
        alerts.stream()
            .filter(a -> a.analytic().id().equals(SIGMA_MIMILIB))
            .findFirst()
            .orElseThrow();
    assertThat(mimilib.process().key()).isEqualTo(LSASS.key());
    assertThat(mimilib.module().path()).isEqualTo(SYSTEM32 + "mimilib.dll");
    assertThat(mimilib.analytic().severityId()).isEqualTo(4);
  }

  @Test
  void alertsNameTheProcessesAndAncestryTheLineageOperatorBuilt() {
    Alert injection = only("psfleet-001", "host-a");
    assertThat(injection.process().key()).isEqualTo(NOTEPAD.key());
    assertThat(injection.actor().key()).isEqualTo(DROPPER.key());
    assertThat(injection.module().path()).isEqualTo(tempDll(new Host("host-a")));

    assertThat(injection.process().ancestry())
        .extracting(ancestor -> ancestor.key())
        .startsWith(EXPLORER.key());

    Alert lineage = only("psfleet-004", "host-b", ids.get("b.powershell"));
    assertThat(lineage.actor().key()).isEqualTo(CMD.key());
    assertThat(lineage.process().ancestry())
        .extracting(ancestor -> ancestor.key())
        .startsWith(CMD.key(), WORD.key(), EXPLORER.key());

    Alert spoofing = only("psfleet-003", "host-c");
    assertThat(spoofing.actor().key()).isEqualTo(SPOOFER.key());
  }

  @Test
  void lookalikesRaiseNothing() {
    assertThat(lookalikeEvents).hasSize(7);
    assertThat(alerts)
        .filteredOn(a -> !Collections.disjoint(lookalikeEvents, List.of(a.evidenceEventIds())))
        .extracting(DetectionWorkflowTest::summary)
        .isEmpty();
  }

  @Test
  void eventsOutOfOrderWithinTheBoundAreOnTime() {
    Alert fleet = only("psfleet-006", null);
    assertThat(fleet.hosts())
        .containsExactlyInAnyOrder("host-d1", "host-d2", "host-d3", "host-d4", "host-d5");
    // The load that completed the five hosts in event time, whatever order they arrived in.
    assertThat(fleet.hostId()).isEqualTo("host-d5");
    assertThat(fleet.module().path()).isEqualTo("C:\\Users\\Public\\Libraries\\wsupd.dll");
    assertThat(fleet.module().fleetHosts()).isEqualTo(5);
    assertThat(only("psfleet-001", "host-e").evidenceEventIds())
        .containsExactly(ids.get("e.thread"), ids.get("e.load"));
  }

  @Test
  void lateEventStillRaisesItsHostRuleAlert() {
    assertThat(only("psfleet-004", "host-g").evidenceEventIds()).containsExactly(ids.get("g.cmd"));
  }

  @Test
  void aLoadBehindTheWatermarkWithinTheAllowedLatenessStillCompletesTheInjection() {
    // Correlations judge events in event time once the watermark passes them; one that arrives
    // behind it, within the allowed lateness, is judged at once (metric correlationJudgedLate).
    assertThat(alerts)
        .filteredOn(a -> a.analytic().id().equals("psfleet-001"))
        .extracting(Alert::hostId)
        .contains("host-k");
  }

  @Test
  void aLoadLaterThanTheAllowedLatenessIsMissed() {
    // Beyond the allowed lateness an event is dropped by correlations (metric correlationLate).
    assertThat(alerts).extracting(Alert::hostId).doesNotContain("host-i");
  }

  @Test
  void corruptRecordsReachTheDeadLetterSinkWithTheirReasonAndBytes() {
    assertThat(deadLetters)
        .extracting(DeadLetter::reason)
        .containsExactlyInAnyOrder("BAD_MARKER", "TRUNCATED", "UNKNOWN_SCHEMA");
    for (DeadLetter letter : deadLetters) {
      assertThat(letter.value()).isEqualTo(corrupt.get(letter.reason()));
      assertThat(letter.topic()).isEqualTo(TOPIC);
      assertThat(letter.message()).isNotBlank();
    }
    DeadLetter garbage =
        deadLetters.stream().filter(d -> d.reason().equals("BAD_MARKER")).findFirst().get();
    assertThat(garbage.partition()).isEqualTo(1);
    assertThat(new String(garbage.key(), StandardCharsets.UTF_8)).isEqualTo("host-b");
  }

  // --- Expectations ---------------------------------------------------------------------------

  /** Rule, host (for a fleet alert: every host involved) and sorted evidence of an alert. */
  static String summary(Alert a) {
    String host = a.hosts().length > 1 ? String.join(",", sorted(a.hosts())) : a.hostId();
    return a.analytic().id() + " " + host + " " + sorted(a.evidenceEventIds());
  }

  static String expectedSigma(String ruleId, String host, String... evidenceNames) {
    return expected(ruleId, host, evidenceNames);
  }

  static String expected(String rule, String host, String... evidenceNames) {
    String[] evidence = new String[evidenceNames.length];
    for (int n = 0; n < evidence.length; n++) {
      evidence[n] = ids.get(evidenceNames[n]);
      assertThat(evidence[n]).as("event %s", evidenceNames[n]).isNotNull();
    }
    return rule + " " + host + " " + sorted(evidence);
  }

  static List<String> sorted(String[] values) {
    List<String> list = new ArrayList<>(List.of(values));
    Collections.sort(list);
    return list;
  }

  /** The one alert of {@code rule} on {@code host} (any host when null). */
  static Alert only(String rule, String host) {
    return only(rule, host, null);
  }

  /** The one alert of {@code rule} on {@code host} that names {@code eventId} (any when null). */
  static Alert only(String rule, String host, String eventId) {
    List<Alert> found =
        alerts.stream()
            .filter(
                a ->
                    a.analytic().id().equals(rule)
                        && (host == null || host.equals(a.hostId()))
                        && (eventId == null || List.of(a.evidenceEventIds()).contains(eventId)))
            .toList();
    assertThat(found).as("%s alerts on %s", rule, host).hasSize(1);
    return found.get(0);
  }

  // --- Telemetry as the simulator publishes it ------------------------------------------------

  record Proc(long key, int pid, String image) implements Serializable {}

  static Proc proc(long key, int pid, String image) {
    return new Proc(key, pid, image);
  }

  /** One host's Avro events, numbered in sequence; times in seconds after the start. */
  static final class Host {
    static final long BOOT = 0x7e57;
    final String hostId;
    final SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
    long sequence;

    Host(String hostId) {
      this.hostId = hostId;
    }

    TelemetryEvent create(double seconds, Proc child, Proc parent) {
      return spoofedCreate(seconds, child, parent, parent);
    }

    TelemetryEvent spoofedCreate(double seconds, Proc child, Proc parent, Proc creator) {
      return event(
          seconds,
          ProcessCreate.newBuilder()
              .setProcessGuid(child.key())
              .setProcessId(child.pid())
              .setImage(child.image())
              .setCommandLine(quoted(child.image()))
              .setUser("CORP\\alice")
              .setIntegrityLevel(IntegrityLevel.MEDIUM)
              .setHashes(sha256(child.image()))
              .setParentProcessGuid(parent.key())
              .setParentProcessId(parent.pid())
              .setParentImage(parent.image())
              .setParentCommandLine(quoted(parent.image()))
              .setCreatorProcessGuid(creator.key())
              .setCreatorProcessId(creator.pid())
              .setCreatorThreadId(creator.pid() + 4)
              .setCreatorImage(creator.image())
              .build());
    }

    /** {@code process} maps {@code dll}, signed by {@code signer}, or unsigned when null. */
    TelemetryEvent load(double seconds, Proc process, String dll, String signer) {
      boolean signed = signer != null;
      return event(
          seconds,
          ImageLoad.newBuilder()
              .setProcessGuid(process.key())
              .setProcessId(process.pid())
              .setImage(process.image())
              .setImageLoaded(dll)
              .setHashes(sha256(dll))
              .setSigned(signed)
              .setSignature(signer)
              .setSignatureStatus(signed ? SignatureStatus.VALID : SignatureStatus.UNSIGNED)
              .setImageSignatureLevel(signed ? SigningLevel.AUTHENTICODE : SigningLevel.UNSIGNED)
              .setImageSignatureType(signed ? SignatureType.EMBEDDED : SignatureType.NONE)
              .setImageBase(0x7ff8_0000_0000L)
              .setImageSize(0x1_0000L)
              .build());
    }

    /** A thread {@code source} starts in {@code target} at {@code kernel32!function}. */
    TelemetryEvent thread(double seconds, Proc source, Proc target, String function) {
      return event(
          seconds,
          ThreadCreate.newBuilder()
              .setTargetProcessGuid(target.key())
              .setTargetProcessId(target.pid())
              .setTargetImage(target.image())
              .setNewThreadId(8000 + (int) sequence * 4)
              .setSourceProcessGuid(source.key())
              .setSourceProcessId(source.pid())
              .setSourceThreadId(source.pid() + 4)
              .setSourceImage(source.image())
              .setStartAddress(0x7ffa_1234_0000L)
              .setStartModule(KERNEL32)
              .setStartFunction(function)
              .setRemoteThread(source.key() != target.key())
              .setInitialThread(false)
              .build());
    }

    private TelemetryEvent event(double seconds, Object body) {
      return new TelemetryEvent(
          new EventHeader(hostId, BOOT, ++sequence, nanos(seconds), "workflow-test"), body);
    }

    byte[] encode(TelemetryEvent event) {
      return codec.encode(event);
    }

    static String quoted(String image) {
      return "\"" + image + "\"";
    }
  }

  static long nanos(double seconds) {
    return START_NANOS + Math.round(seconds * 1e9);
  }

  static long millis(double seconds) {
    return Math.floorDiv(nanos(seconds), 1_000_000L);
  }

  static Sha256 sha256(String path) {
    try {
      return new Sha256(
          MessageDigest.getInstance("SHA-256")
              .digest(path.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- The scripted source --------------------------------------------------------------------

  /**
   * One step of a partition: a Kafka record (key, value, Kafka timestamp), or, when {@code value}
   * and {@code key} are null, a wait until the job's watermark reaches {@code timestamp}.
   */
  record Step(byte[] key, byte[] value, long timestamp, boolean await) implements Serializable {}

  /** The partitions' steps, as the test writes them. */
  static final class Script {
    final List<List<Step>> splits = List.of(new ArrayList<>(), new ArrayList<>());

    /** Appends {@code event} to {@code split} and returns its event id. */
    String send(int split, TelemetryEvent event) {
      EventHeader h = event.getHeader();
      byte[] value = SingleObjectCodec.telemetry().encode(event);
      splits
          .get(split)
          .add(
              new Step(
                  h.getHostId().getBytes(StandardCharsets.UTF_8),
                  value,
                  Math.floorDiv(h.getEventTimeNanos(), 1_000_000L),
                  false));
      return Telemetry.eventId(h.getHostId(), h.getBootId(), h.getSequence());
    }

    /** Appends bytes that are no telemetry event, stamped like their neighbours. */
    byte[] corrupt(int split, String hostId, byte[] value, double seconds) {
      splits
          .get(split)
          .add(new Step(hostId.getBytes(StandardCharsets.UTF_8), value, millis(seconds), false));
      return value;
    }

    /** The partition waits until the job's event time has passed {@code seconds}. */
    void awaitEventTime(int split, double seconds) {
      splits.get(split).add(new Step(null, null, millis(seconds), true));
    }
  }

  /** What one run's sinks have seen; the source waits on it. Static: the MiniCluster is local. */
  static final class Progress {
    private static final Map<String, Progress> RUNS = new ConcurrentHashMap<>();
    final List<Alert> alerts = Collections.synchronizedList(new ArrayList<>());
    final List<DeadLetter> deadLetters = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, Long> sinkWatermarks = new HashMap<>();
    private final List<Map.Entry<Long, CompletableFuture<Void>>> waiting = new ArrayList<>();
    private volatile int sinkParallelism = -1;

    static Progress start(String run) {
      Progress progress = new Progress();
      RUNS.put(run, progress);
      return progress;
    }

    static Progress of(String run) {
      return RUNS.get(run);
    }

    static void end(String run) {
      RUNS.remove(run);
    }

    synchronized void sinkOpened(int subtask, int parallelism) {
      sinkParallelism = parallelism;
      sinkWatermarks.putIfAbsent(subtask, Long.MIN_VALUE);
    }

    synchronized void sinkWatermark(int subtask, long watermark) {
      sinkWatermarks.merge(subtask, watermark, Math::max);
      long now = eventTime();
      waiting.removeIf(
          w -> {
            if (w.getKey() <= now) {
              w.getValue().complete(null);
              return true;
            }
            return false;
          });
    }

    /** The job's watermark as far as every alert sink subtask has seen it. */
    private long eventTime() {
      if (sinkParallelism < 0 || sinkWatermarks.size() < sinkParallelism) {
        return Long.MIN_VALUE;
      }
      return Collections.min(sinkWatermarks.values());
    }

    synchronized CompletableFuture<Void> whenEventTimeReaches(long millis) {
      CompletableFuture<Void> reached = new CompletableFuture<>();
      if (eventTime() >= millis) {
        reached.complete(null);
      } else {
        waiting.add(Map.entry(millis, reached));
      }
      return reached;
    }
  }

  /** A split: one partition's steps and how far the reader got. */
  record ScriptSplit(int partition, int position, List<Step> steps)
      implements SourceSplit, Serializable {
    @Override
    public String splitId() {
      return Integer.toString(partition);
    }
  }

  /** Bounded; split {@code p} goes to reader {@code p % parallelism}. */
  static final class ScriptedSource
      implements Source<Envelope, ScriptSplit, ArrayList<ScriptSplit>>,
          ResultTypeQueryable<Envelope> {
    private static final long serialVersionUID = 1L;
    private final String run;
    private final InputBounds bounds;
    private final ArrayList<ScriptSplit> splits = new ArrayList<>();

    ScriptedSource(String run, List<List<Step>> partitions, InputBounds bounds) {
      this.run = run;
      this.bounds = bounds;
      for (int p = 0; p < partitions.size(); p++) {
        splits.add(new ScriptSplit(p, 0, List.copyOf(partitions.get(p))));
      }
    }

    @Override
    public Boundedness getBoundedness() {
      return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<Envelope, ScriptSplit> createReader(SourceReaderContext context) {
      return new ScriptReader(run, bounds);
    }

    @Override
    public SplitEnumerator<ScriptSplit, ArrayList<ScriptSplit>> createEnumerator(
        SplitEnumeratorContext<ScriptSplit> context) {
      return new Enumerator(context, new ArrayList<>(splits));
    }

    @Override
    public SplitEnumerator<ScriptSplit, ArrayList<ScriptSplit>> restoreEnumerator(
        SplitEnumeratorContext<ScriptSplit> context, ArrayList<ScriptSplit> unassigned) {
      return new Enumerator(context, unassigned);
    }

    @Override
    public SimpleVersionedSerializer<ScriptSplit> getSplitSerializer() {
      return new JavaSerializer<>();
    }

    @Override
    public SimpleVersionedSerializer<ArrayList<ScriptSplit>> getEnumeratorCheckpointSerializer() {
      return new JavaSerializer<>();
    }

    @Override
    public TypeInformation<Envelope> getProducedType() {
      return TypeInformation.of(Envelope.class);
    }
  }

  static final class Enumerator implements SplitEnumerator<ScriptSplit, ArrayList<ScriptSplit>> {
    private final SplitEnumeratorContext<ScriptSplit> context;
    private final ArrayList<ScriptSplit> unassigned;

    Enumerator(SplitEnumeratorContext<ScriptSplit> context, ArrayList<ScriptSplit> unassigned) {
      this.context = context;
      this.unassigned = unassigned;
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<ScriptSplit> splits, int subtaskId) {
      unassigned.addAll(splits);
      addReader(subtaskId);
    }

    @Override
    public void addReader(int subtaskId) {
      List<ScriptSplit> mine = new ArrayList<>();
      for (ScriptSplit split : unassigned) {
        if (split.partition() % context.currentParallelism() == subtaskId) {
          mine.add(split);
        }
      }
      unassigned.removeAll(mine);
      for (ScriptSplit split : mine) {
        context.assignSplit(split, subtaskId);
      }
      context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public ArrayList<ScriptSplit> snapshotState(long checkpointId) {
      return new ArrayList<>(unassigned);
    }

    @Override
    public void close() {}
  }

  /**
   * Plays its splits one after the other. Records go through the job's own decoder, as the Kafka
   * source's do, with the Kafka timestamp; an await step makes the reader unavailable until the
   * job's watermark reaches it.
   */
  static final class ScriptReader implements SourceReader<Envelope, ScriptSplit> {
    private static final long AWAIT_TIMEOUT_SECONDS = 120;
    private final String run;
    private final TelemetryDeserializationSchema decoder;
    private final Deque<ScriptSplit> splits = new ArrayDeque<>();
    private ScriptSplit current;
    private int position;
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private CompletableFuture<Void> awaiting;

    ScriptReader(String run, InputBounds bounds) {
      this.run = run;
      this.decoder = new TelemetryDeserializationSchema(bounds);
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<Envelope> output) {
      while (current == null || position >= current.steps().size()) {
        current = splits.poll();
        if (current == null) {
          if (noMoreSplits) {
            return InputStatus.END_OF_INPUT;
          }
          if (available.isDone()) {
            available = new CompletableFuture<>();
          }
          return InputStatus.NOTHING_AVAILABLE;
        }
        position = current.position();
      }
      Step step = current.steps().get(position);
      if (step.await()) {
        if (awaiting == null) {
          awaiting =
              Progress.of(run)
                  .whenEventTimeReaches(step.timestamp())
                  .orTimeout(AWAIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        if (awaiting.isCompletedExceptionally()) {
          throw new IllegalStateException(
              "the job's watermark did not reach "
                  + step.timestamp()
                  + " ms within "
                  + AWAIT_TIMEOUT_SECONDS
                  + " s");
        }
        if (!awaiting.isDone()) {
          available = awaiting.handle((done, timedOut) -> null);
          return InputStatus.NOTHING_AVAILABLE;
        }
        awaiting = null;
        position++;
        return InputStatus.MORE_AVAILABLE;
      }
      output.collect(
          decoder.decode(
              step.value(), step.key(), TOPIC, current.partition(), position, step.timestamp()),
          step.timestamp());
      position++;
      return InputStatus.MORE_AVAILABLE;
    }

    @Override
    public List<ScriptSplit> snapshotState(long checkpointId) {
      List<ScriptSplit> state = new ArrayList<>();
      if (current != null) {
        state.add(new ScriptSplit(current.partition(), position, current.steps()));
      }
      state.addAll(splits);
      return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
      return available;
    }

    @Override
    public void addSplits(List<ScriptSplit> added) {
      splits.addAll(added);
      available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
      noMoreSplits = true;
      available.complete(null);
    }

    @Override
    public void close() {}
  }

  static final class JavaSerializer<T extends Serializable>
      implements SimpleVersionedSerializer<T> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(T value) throws IOException {
      return InstantiationUtil.serializeObject(value);
    }

    @Override
    public T deserialize(int version, byte[] serialized) throws IOException {
      try {
        return InstantiationUtil.deserializeObject(
            serialized, Thread.currentThread().getContextClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IOException(e);
      }
    }
  }

  // --- Collecting sinks -----------------------------------------------------------------------

  /** Collects alerts and reports each subtask's watermark to the run's {@link Progress}. */
  static final class AlertSink implements Sink<Alert> {
    private static final long serialVersionUID = 1L;
    private final String run;

    AlertSink(String run) {
      this.run = run;
    }

    @Override
    public SinkWriter<Alert> createWriter(WriterInitContext context) {
      Progress progress = Progress.of(run);
      int subtask = context.getTaskInfo().getIndexOfThisSubtask();
      progress.sinkOpened(subtask, context.getTaskInfo().getNumberOfParallelSubtasks());
      return new SinkWriter<>() {
        @Override
        public void write(Alert alert, Context ctx) {
          progress.alerts.add(alert);
        }

        @Override
        public void writeWatermark(Watermark watermark) {
          progress.sinkWatermark(subtask, watermark.getTimestamp());
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  static final class DeadLetterSink implements Sink<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private final String run;

    DeadLetterSink(String run) {
      this.run = run;
    }

    @Override
    public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
      Progress progress = Progress.of(run);
      return new SinkWriter<>() {
        @Override
        public void write(DeadLetter letter, Context ctx) {
          progress.deadLetters.add(letter);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
