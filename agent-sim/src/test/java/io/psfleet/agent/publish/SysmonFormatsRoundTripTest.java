package io.psfleet.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.fleet.Fleet;
import io.psfleet.agent.fleet.FleetAssets;
import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.FleetRun;
import io.psfleet.agent.fleet.ProfileMix;
import io.psfleet.agent.fleet.RecordFormat;
import io.psfleet.agent.fleet.RecordingPublisher;
import io.psfleet.agent.replay.RecordedEvent;
import io.psfleet.agent.replay.Recording;
import io.psfleet.agent.replay.RootParent;
import io.psfleet.agent.replay.SysmonRecordings;
import io.psfleet.agent.replay.Transplant;
import io.psfleet.ocsf.OcsfValidator;
import io.psfleet.ocsf.ValidationResult;
import io.psfleet.schema.ProcessAccess;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.SingleObjectCodec;
import io.psfleet.winevent.WinEvent;
import io.psfleet.winevent.WinEventFiles;
import io.psfleet.winevent.WinEventFormat;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each Sysmon format {@code simulate --format} writes, read back by the replay readers (format told
 * from the content, as {@code replay} and {@code rules test} do): every event Sysmon would log
 * comes back with the same event id, host, record id, time and EventData fields, and the replay
 * maps them onto replayable events; the ProcessAccess events (Sysmon 10) among them replay as
 * handles the replaying host's sensor reports with the recorded access and call-trace libraries.
 */
class SysmonFormatsRoundTripTest {
  static final FleetConfig CONFIG =
      FleetConfig.builder()
          .hosts(3)
          .seed(21)
          .duration(Duration.ofMinutes(15))
          .bootWindow(Duration.ofSeconds(20))
          .profiles(new ProfileMix(34, 33, 33))
          .scenarios(
              Map.of(
                  "dll-injection",
                  1,
                  "sensitive-process-module",
                  1,
                  "lsass-mimikatz",
                  1,
                  "lsass-procdump",
                  1,
                  "lsass-minidump",
                  1,
                  "av-scans-lsass",
                  1))
          .threads(1)
          .build();

  /** What Sysmon would log of the fleet's events, from its Avro records. */
  static final List<WinEvent> expected = new ArrayList<>();

  @TempDir static Path folder;

  @BeforeAll
  static void simulateOnceInAvro() throws Exception {
    SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
    SysmonEvents sysmon = new SysmonEvents(WinEventFormat.XML_EVENT_LINES);
    for (RecordingPublisher.Sent sent : run(RecordFormat.AVRO).telemetry) {
      WinEvent e = sysmon.winEvent(codec.decode(sent.value()));
      if (e != null) {
        expected.add(e);
      }
    }
    assertThat(expected.stream().map(WinEvent::eventId).distinct()).contains(1, 5, 6, 7, 8, 10);
  }

  @ParameterizedTest
  @EnumSource(
      value = RecordFormat.class,
      names = {"SYSMON_XML", "ECS", "FLAT_JSON", "OCSF"})
  void whatTheFormatWritesTheReplayReadersReadBack(RecordFormat format) throws Exception {
    RecordingPublisher published = run(format);
    Path file = folder.resolve(format.optionName() + ".log");
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    for (RecordingPublisher.Sent sent : published.telemetry) {
      lines.write(sent.value());
      lines.write('\n');
    }
    Files.write(file, lines.toByteArray());

    WinEventFiles.Read read = WinEventFiles.readAll(file);
    assertThat(read.report().issues()).isEmpty();
    assertThat(read.events()).hasSameSizeAs(expected);
    // OCSF's time and Beats' @timestamp keep milliseconds; XML and NXLog Windows' 100 ns ticks.
    ChronoUnit precision =
        format == RecordFormat.OCSF || format == RecordFormat.ECS
            ? ChronoUnit.MILLIS
            : ChronoUnit.MICROS;
    for (int i = 0; i < expected.size(); i++) {
      WinEvent want = expected.get(i);
      WinEvent got = read.events().get(i);
      assertThat(got.isSysmon()).isTrue();
      assertThat(got.eventId()).isEqualTo(want.eventId());
      assertThat(got.computer()).isEqualTo(want.computer());
      assertThat(got.recordId()).isEqualTo(want.recordId());
      assertThat(got.timeCreated().truncatedTo(precision))
          .isEqualTo(want.timeCreated().truncatedTo(precision));
      assertThat(sorted(got.eventData())).as("event %d", i).isEqualTo(sorted(want.eventData()));
    }

    Recording replayable = SysmonRecordings.read(file);
    assertThat(replayable.issues()).isEmpty();
    assertThat(replayable.events()).hasSize(expected.size());
  }

  @ParameterizedTest
  @EnumSource(
      value = RecordFormat.class,
      names = {"SYSMON_XML", "ECS", "FLAT_JSON", "OCSF"})
  void processAccessInTheFormatReplaysWithItsAccessAndCallTraceLibraries(RecordFormat format)
      throws Exception {
    RecordingPublisher published = run(format);
    Path all = folder.resolve(format.optionName() + "-all.log");
    writeLines(all, published.telemetry);
    List<WinEvent> read = WinEventFiles.readAll(all).events();
    // Only the event 10 records: their processes come back as the replay's stand-ins.
    List<RecordingPublisher.Sent> accesses = new ArrayList<>();
    for (int i = 0; i < read.size(); i++) {
      if (read.get(i).eventId() == 10) {
        accesses.add(published.telemetry.get(i));
      }
    }
    Path file = folder.resolve(format.optionName() + "-access.log");
    writeLines(file, accesses);
    List<String> recorded =
        expected.stream()
            .filter(e -> e.eventId() == 10)
            .map(
                e ->
                    access(
                        e.field("SourceImage"),
                        e.field("TargetImage"),
                        Long.decode(e.field("GrantedAccess")).intValue(),
                        e.field("CallTrace")))
            .toList();
    assertThat(recorded).hasSizeGreaterThanOrEqualTo(5);

    Recording recording = SysmonRecordings.read(file);
    assertThat(recording.events())
        .hasSize(recorded.size())
        .allMatch(e -> e instanceof RecordedEvent.ProcessAccess);
    assertThat(recording.notModelled()).isEmpty();
    FleetRun replayed =
        FleetRun.run(
            FleetRun.config(1, Duration.ofMinutes(20), Map.of()).toBuilder()
                .transplants(
                    List.of(
                        new Transplant(
                            recording,
                            1,
                            null,
                            new Transplant.Schedule(Duration.ofMinutes(1), null, null),
                            null,
                            RootParent.ADOPT,
                            file.toString())))
                .build());

    List<String> reported =
        replayed.events.stream()
            .map(TelemetryEvent::getBody)
            .filter(b -> b instanceof ProcessAccess)
            .map(b -> (ProcessAccess) b)
            .map(
                a ->
                    access(
                        a.getSourceImage(),
                        a.getTargetImage(),
                        a.getGrantedAccess(),
                        a.getCallTrace()))
            .toList();
    assertThat(reported).containsExactlyElementsOf(recorded);
  }

  /** What a ProcessAccess says that a replay keeps: images, access, libraries on the stack. */
  private static String access(String source, String target, int granted, String callTrace) {
    List<String> libraries = new ArrayList<>();
    for (String library : List.of("dbghelp.dll", "dbgcore.dll", "comsvcs.dll")) {
      if (callTrace != null && callTrace.toLowerCase(java.util.Locale.ROOT).contains(library)) {
        libraries.add(library);
      }
    }
    return source.toLowerCase(java.util.Locale.ROOT)
        + " -> "
        + target.toLowerCase(java.util.Locale.ROOT)
        + " 0x"
        + Integer.toHexString(granted)
        + " "
        + libraries;
  }

  private static void writeLines(Path file, List<RecordingPublisher.Sent> records)
      throws java.io.IOException {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    for (RecordingPublisher.Sent sent : records) {
      lines.write(sent.value());
      lines.write('\n');
    }
    Files.write(file, lines.toByteArray());
  }

  @ParameterizedTest
  @EnumSource(
      value = RecordFormat.class,
      names = {"OCSF"})
  void ocsfRecordsValidateAgainstOcsf13(RecordFormat format) throws Exception {
    OcsfValidator validator = OcsfValidator.bundled();
    Map<Integer, Integer> byClass = new TreeMap<>();
    for (RecordingPublisher.Sent sent : run(format).telemetry) {
      ValidationResult result = validator.validate(sent.value());
      assertThat(result.errors()).as(new String(sent.value())).isEmpty();
      int classUid =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(sent.value())
              .get("class_uid")
              .asInt();
      byClass.merge(classUid, 1, Integer::sum);
    }
    // Process Activity (1007), Module Activity (1005), Kernel Extension Activity (1002).
    assertThat(byClass).containsKeys(1002, 1005, 1007);
  }

  private static RecordingPublisher run(RecordFormat format) {
    RecordingPublisher recorder = new RecordingPublisher();
    new Fleet(CONFIG, FleetAssets.create(), recorder, null, format, p -> {}).run();
    return recorder;
  }

  /** Fields with a value, by name: formats need not keep Sysmon's order, nor absent fields. */
  private static Map<String, String> sorted(Map<String, String> fields) {
    Map<String, String> out = new TreeMap<>();
    fields.forEach(
        (k, v) -> {
          if (v != null) {
            out.put(k, v);
          }
        });
    return out;
  }
}
