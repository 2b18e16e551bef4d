package io.psfleet.jobs;

import static io.psfleet.jobs.DetectionWorkflowTest.CMD;
import static io.psfleet.jobs.DetectionWorkflowTest.DROPPER;
import static io.psfleet.jobs.DetectionWorkflowTest.EXPLORER;
import static io.psfleet.jobs.DetectionWorkflowTest.NOTEPAD;
import static io.psfleet.jobs.DetectionWorkflowTest.SYSTEM32;
import static io.psfleet.jobs.DetectionWorkflowTest.WINLOGON;
import static io.psfleet.jobs.DetectionWorkflowTest.WORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.DetectionWorkflowTest.AlertSink;
import io.psfleet.jobs.DetectionWorkflowTest.DeadLetterSink;
import io.psfleet.jobs.DetectionWorkflowTest.Host;
import io.psfleet.jobs.DetectionWorkflowTest.Progress;
import io.psfleet.jobs.DetectionWorkflowTest.Script;
import io.psfleet.jobs.DetectionWorkflowTest.ScriptedSource;
import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.OcsfDetectionFinding;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.io.DeadLetter;
import io.psfleet.jobs.io.FieldBounds;
import io.psfleet.jobs.io.InputBounds;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.TelemetryEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The detection job's graph ({@link FleetDetectionJob#defineWorkflow}) on a MiniCluster at
 * parallelism 2, fed what a hostile producer can write to the telemetry topic between ordinary
 * attacks: random bytes, truncated records, unknown schema fingerprints, empty and missing values,
 * a megabyte of garbage, a 2 MB command line, a negative pid, an event dated 2200, a forged
 * sequence number far ahead, and a host's records replayed under other boot ids. Every bad record
 * must reach the dead-letter sink with its reason, cut to the record bound; the attacks around them
 * must still alert, each once; and the job must run to its end without a failure (restarts are off,
 * so any failure fails the run).
 *
 * <p>Records come through {@link DetectionWorkflowTest}'s scripted source, which decodes with the
 * job's own deserializer and stamps each record with a Kafka timestamp the script chooses.
 */
class HostileInputWorkflowTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static final int MAX_RECORD_BYTES = InputBounds.MIN_RECORD_BYTES;
  static final List<Alert> alerts = new ArrayList<>();
  static final List<DeadLetter> deadLetters = new ArrayList<>();
  static final List<String> ids = new ArrayList<>();
  static JobExecutionResult result;
  static String hugeCommandLine;
  static String hugeEventId;
  static String injectionLoad;
  static String jumpedLineage;
  static String replayedLineage;
  static String ancientLineage;
  static String floodLineage;
  static String bystanderLineage;
  static String backLineage;
  static byte[] megabyteOfGarbage;

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  static void runTheWorkflow() throws Exception {
    Script script = new Script();
    writeScript(script);
    JobConfig config =
        JobConfig.fromArgs(
            new String[] {
              "--bootstrap", "unused:9092",
              "--parallelism", "2",
              "--out-of-orderness", "5s",
              "--max-record-bytes", Integer.toString(MAX_RECORD_BYTES),
              "--max-sequence-jump", "1000",
              "--max-processes-per-host", "100"
            });
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    FleetDetectionJob.configure(env, config);
    Configuration test = new Configuration();
    test.set(PipelineOptions.GENERIC_TYPES, false);
    test.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    env.configure(test);
    String run = UUID.randomUUID().toString();
    Progress progress = Progress.start(run);
    try {
      FleetDetectionJob.defineWorkflow(
          env,
          config,
          new ScriptedSource(run, script.splits, config.inputBounds()),
          new AlertSink(run),
          new DeadLetterSink(run));
      result = env.execute("hostile input workflow test");
      alerts.addAll(progress.alerts);
      deadLetters.addAll(progress.deadLetters);
    } finally {
      Progress.end(run);
    }
  }

  static void writeScript(Script script) {
    Host x = new Host("host-x");
    Random random = new Random(18);

    // A lineage attack whose command line is 2 MB: cut to its bound, it still alerts.
    Host n = new Host("host-n");
    script.send(0, n.create(1, EXPLORER, WINLOGON));
    script.send(0, n.create(2, WORD, EXPLORER));
    TelemetryEvent huge = n.create(3, CMD, WORD);
    hugeCommandLine = "cmd.exe /c " + "A".repeat(2 * 1024 * 1024);
    ((ProcessCreate) huge.getBody()).setCommandLine(hugeCommandLine);
    hugeEventId = script.send(0, huge);

    // Bytes that are no telemetry at all.
    byte[] randomBytes = new byte[1000];
    random.nextBytes(randomBytes);
    randomBytes[0] = 0x00;
    script.corrupt(0, "host-x", randomBytes, 3);
    megabyteOfGarbage = new byte[1024 * 1024];
    random.nextBytes(megabyteOfGarbage);
    megabyteOfGarbage[0] = 0x00;
    script.corrupt(0, "host-x", megabyteOfGarbage, 3);
    byte[] valid = x.encode(x.create(3, NOTEPAD, EXPLORER));
    script.corrupt(0, "host-x", Arrays.copyOf(valid, valid.length / 2), 3);
    byte[] unknown = valid.clone();
    unknown[4] ^= 0x33;
    script.corrupt(0, "host-x", unknown, 3);
    script.corrupt(0, "host-x", new byte[0], 3);
    script.corrupt(0, "host-x", null, 3);
    TelemetryEvent negativePid = x.create(3, NOTEPAD, EXPLORER);
    ((ProcessCreate) negativePid.getBody()).setProcessId(-4);
    script.send(0, negativePid);

    // An injection whose load comes after an event dated 2200: had that moved the watermark, the
    // load would be late for the injection correlation (behind the watermark) and raise nothing.
    Host i = new Host("host-i");
    script.send(0, i.create(10, NOTEPAD, EXPLORER));
    script.send(0, i.create(11, DROPPER, EXPLORER));
    script.send(0, i.thread(20, DROPPER, NOTEPAD, "LoadLibraryW"));
    Host future = new Host("host-future");
    TelemetryEvent in2200 = future.create(21, EXPLORER, WINLOGON);
    in2200
        .getHeader()
        .setEventTimeNanos(Instant.parse("2200-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L);
    script.corrupt(0, "host-future", future.encode(in2200), 21); // stamped by Kafka at 21 s
    Host h = new Host("host-h");
    script.send(0, h.create(30, EXPLORER, WINLOGON));
    script.awaitEventTime(0, 24);
    injectionLoad =
        script.send(
            0, i.load(27, NOTEPAD, "C:\\Users\\alice\\AppData\\Local\\Temp\\host-i-x.dll", null));

    // One forged sequence number far ahead: the host's next real events still count.
    Host s = new Host("host-s");
    script.send(0, s.create(40, EXPLORER, WINLOGON));
    script.send(0, s.create(41, WORD, EXPLORER));
    TelemetryEvent forged = s.load(42, WORD, SYSTEM32 + "version.dll", "Microsoft Windows");
    forged.getHeader().setSequence(1L << 40);
    s.sequence--; // the forger's number is not the host's
    script.send(0, forged);
    jumpedLineage = script.send(0, s.create(43, CMD, WORD));

    // A lineage attack, then its records replayed under other boot ids, and under its own.
    Host r = new Host("host-r");
    List<TelemetryEvent> records =
        List.of(r.create(50, EXPLORER, WINLOGON), r.create(51, WORD, EXPLORER));
    TelemetryEvent attack = r.create(52, CMD, WORD);
    for (TelemetryEvent record : records) {
      script.send(0, record);
    }
    replayedLineage = script.send(0, attack);
    for (long boot : new long[] {0xB00BL, Host.BOOT, 0xC0FFEEL, 0xB00BL}) {
      for (TelemetryEvent record : List.of(records.get(0), records.get(1), attack)) {
        record.getHeader().setBootId(boot);
        script.send(0, record);
      }
    }

    // A lineage attack dated 1970: kept (old events cannot move a watermark) and alerted.
    Host ancient = new Host("host-1970");
    List<TelemetryEvent> old =
        List.of(
            ancient.create(60, EXPLORER, WINLOGON),
            ancient.create(61, WORD, EXPLORER),
            ancient.create(62, CMD, WORD));
    for (TelemetryEvent record : old) {
      record
          .getHeader()
          .setEventTimeNanos(record.getHeader().getEventTimeNanos() % 1_000_000_000_000L);
      String id = script.send(0, record);
      ancientLineage = id;
    }

    // A host that floods its table (bound: 100 processes) between Word's start and its child,
    // while another host on the same split runs its own attack in the middle of the flood.
    Host flood = new Host("host-flood");
    Host bystander = new Host("host-bystander");
    script.send(0, flood.create(70, EXPLORER, WINLOGON));
    script.send(0, flood.create(71, WORD, EXPLORER));
    script.send(0, bystander.create(70, EXPLORER, WINLOGON));
    script.send(0, bystander.create(71, WORD, EXPLORER));
    for (int k = 0; k < 2_000; k++) {
      script.send(
          0,
          flood.create(
              72,
              DetectionWorkflowTest.proc(10_000 + k, 8_000 + 4 * k, NOTEPAD.image()),
              EXPLORER));
      if (k == 1_000) {
        bystanderLineage = script.send(0, bystander.create(72, CMD, WORD));
      }
    }
    floodLineage = script.send(0, flood.create(73, CMD, WORD));

    // One forged sequence number back (a boot's first): taken for a repeat and dropped, it
    // silences nothing either; the host's next real events still count.
    Host back = new Host("host-back");
    script.send(0, back.create(80, EXPLORER, WINLOGON));
    script.send(0, back.create(81, WORD, EXPLORER));
    TelemetryEvent forgedBack = back.load(82, WORD, SYSTEM32 + "version.dll", "Microsoft Windows");
    forgedBack.getHeader().setSequence(1);
    back.sequence--;
    script.send(0, forgedBack);
    backLineage = script.send(0, back.create(83, CMD, WORD));
  }

  @Test
  void theJobRunsToItsEndWithoutAFailure() {
    assertThat(result).isNotNull();
    assertThat(result.isJobExecutionResult()).isTrue();
  }

  @Test
  void everyBadRecordIsADeadLetterWithItsReason() {
    assertThat(deadLetters)
        .filteredOn(d -> d.partition() >= 0)
        .extracting(DeadLetter::reason)
        .containsExactlyInAnyOrder(
            "BAD_MARKER",
            "BAD_MARKER",
            "TRUNCATED",
            "UNKNOWN_SCHEMA",
            "TRUNCATED",
            "TRUNCATED",
            "IMPLAUSIBLE",
            "FUTURE_TIME");
  }

  @Test
  void deadLettersAreCutToTheRecordBoundAndSayWhatTheyWereCutFrom() {
    DeadLetter megabyte =
        deadLetters.stream()
            .filter(d -> d.valueSize() == megabyteOfGarbage.length)
            .findFirst()
            .get();
    assertThat(megabyte.value()).hasSize(MAX_RECORD_BYTES);
    assertThat(megabyte.value()).isEqualTo(Arrays.copyOf(megabyteOfGarbage, MAX_RECORD_BYTES));
    assertThat(megabyte.valueCut()).isTrue();
    assertThat(deadLetters)
        .allSatisfy(
            d ->
                assertThat(d.value() == null ? 0 : d.value().length)
                    .isLessThanOrEqualTo(MAX_RECORD_BYTES));
  }

  @Test
  void aMegabyteCommandLineIsCutAndItsAttackStillAlertsWithinTheRecordBound() {
    Alert lineage = alertCiting(hugeEventId);
    assertThat(lineage.analytic().id()).isEqualTo("psfleet-004");
    assertThat(lineage.process().commandLine())
        .hasSize(FieldBounds.COMMAND_LINE_CHARS)
        .endsWith(FieldBounds.TRUNCATED)
        .startsWith("cmd.exe /c AAAA");
    assertThat(OcsfDetectionFinding.toJsonBytes(lineage, MAX_RECORD_BYTES).length)
        .isLessThanOrEqualTo(MAX_RECORD_BYTES);
  }

  @Test
  void anEventDated2200DoesNotMoveTheWatermark() {
    assertThat(alertCiting(injectionLoad).analytic().id()).isEqualTo("psfleet-001");
    assertThat(deadLetters)
        .filteredOn(d -> d.reason().equals("FUTURE_TIME"))
        .singleElement()
        .satisfies(
            d -> assertThat(new String(d.key(), StandardCharsets.UTF_8)).isEqualTo("host-future"));
  }

  @Test
  void aForgedSequenceJumpIsReportedAndDoesNotSilenceTheHost() {
    assertThat(alertCiting(jumpedLineage).analytic().id()).isEqualTo("psfleet-004");
    assertThat(deadLetters)
        .filteredOn(d -> d.reason().equals("SEQUENCE_JUMP"))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.message()).contains(Telemetry.eventId("host-s", Host.BOOT, 1L << 40)));
  }

  @Test
  void recordsReplayedUnderOtherBootIdsAlertNoMore() {
    assertThat(alerts).filteredOn(a -> a.hostId().equals("host-r")).hasSize(1);
    assertThat(alertCiting(replayedLineage).analytic().id()).isEqualTo("psfleet-004");
    // Three new boot ids, three records each; the replay under the host's own boot is duplicates.
    assertThat(deadLetters).filteredOn(d -> d.reason().equals("BOOT_REPLAY")).hasSize(9);
  }

  @Test
  void anAttackDatedLongAgoIsKeptAndAlerts() {
    assertThat(alertCiting(ancientLineage).analytic().id()).isEqualTo("psfleet-004");
  }

  @Test
  void aHostFloodingItsBoundedTableStillAlertsOnWhatFollows() {
    // Word was evicted by the flood; cmd.exe's own event still names its parent.
    assertThat(alertCiting(floodLineage).analytic().id()).isEqualTo("psfleet-004");
  }

  @Test
  void anotherHostsAttackInTheMiddleOfTheFloodAlerts() {
    assertThat(alertCiting(bystanderLineage).analytic().id()).isEqualTo("psfleet-004");
  }

  @Test
  void aForgedSequenceNumberBackIsDroppedAsARepeatAndDoesNotSilenceTheHost() {
    assertThat(alertCiting(backLineage).analytic().id()).isEqualTo("psfleet-004");
    // A repeat is no anomaly (shards that retry send them by the thousand): counted by lineage's
    // duplicateEvents, never a dead letter.
    assertThat(deadLetters)
        .filteredOn(
            d -> d.key() != null && new String(d.key(), StandardCharsets.UTF_8).equals("host-back"))
        .isEmpty();
  }

  @Test
  void nothingElseAlerts() {
    assertThat(alerts)
        .extracting(Alert::hostId)
        .containsExactlyInAnyOrder(
            "host-n",
            "host-i",
            "host-s",
            "host-r",
            "host-1970",
            "host-flood",
            "host-bystander",
            "host-back");
  }

  static Alert alertCiting(String eventId) {
    List<Alert> found =
        alerts.stream().filter(a -> List.of(a.evidenceEventIds()).contains(eventId)).toList();
    assertThat(found).as("alerts citing %s", eventId).hasSize(1);
    return found.get(0);
  }
}
