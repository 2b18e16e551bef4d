package io.psfleet.agent.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.psfleet.agent.kernel.ProcessToken.IntegrityLevel;
import io.psfleet.agent.replay.RecordedEvent.ModuleLoad;
import io.psfleet.agent.replay.RecordedEvent.ProcessEnd;
import io.psfleet.agent.replay.RecordedEvent.ProcessStart;
import io.psfleet.winevent.ReadIssue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysmonRecordingsTest {
  private static final Path REGRESSION = Path.of("/work/shared/sigma/regression_data");

  @TempDir Path dir;

  @Test
  void processCreateMapsImageHashesVersionAccountAndParent() throws IOException {
    Recording r = SysmonRecordings.read(SysmonJson.attack().write(dir.resolve("a.json")));

    ProcessStart root = (ProcessStart) r.events().get(0);
    assertThat(root.processGuid()).isEqualTo("11111111-0000-0000-0000-000000000001");
    assertThat(root.image().path()).isEqualTo("C:\\Windows\\System32\\cmd.exe");
    assertThat(root.image().md5()).isEqualTo("45B78461F85D75C970567895A3A2DAE5");
    assertThat(root.image().imphash()).isEqualTo("4E4BD045D7AA40BF798F4D85F28D0A0F");
    assertThat(root.image().sha1()).isNull();
    assertThat(root.image().version().originalFileName()).isEqualTo("Cmd.Exe");
    assertThat(root.image().version().companyName()).isNull();
    assertThat(root.account().logonId()).isEqualTo(0x3b5cb2);
    assertThat(root.account().integrity()).isEqualTo(IntegrityLevel.MEDIUM);
    assertThat(root.currentDirectory()).isEqualTo("C:\\Users\\eve\\");
    assertThat(root.parentImage()).endsWith("powershell.exe");
  }

  @Test
  void timesKeepTheirOffsetsFromTheFirstEvent() throws IOException {
    Recording r = SysmonRecordings.read(SysmonJson.attack().write(dir.resolve("a.json")));

    assertThat(r.events())
        .extracting(RecordedEvent::offsetNanos)
        .containsExactly(0L, 2_000_000_000L, 2_500_000_000L, 4_000_000_000L);
    assertThat(r.events().get(2)).isInstanceOf(ModuleLoad.class);
    assertThat(r.events().get(3)).isInstanceOf(ProcessEnd.class);
  }

  @Test
  void processAccessMapsBothProcessesTheGrantedAccessAndTheCallTrace() throws IOException {
    Path file =
        new SysmonJson()
            .event(
                10,
                "2025-01-01 10:00:03.000",
                "SourceProcessGUID",
                "{11111111-0000-0000-0000-000000000002}",
                "SourceProcessId",
                "7004",
                "SourceThreadId",
                "7008",
                "SourceImage",
                "C:\\Users\\eve\\procdump64.exe",
                "TargetProcessGUID",
                "{11111111-0000-0000-0000-000000000003}",
                "TargetProcessId",
                "688",
                "TargetImage",
                "C:\\Windows\\system32\\lsass.exe",
                "GrantedAccess",
                "0x1fffff",
                "CallTrace",
                "C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\SYSTEM32\\dbgcore.DLL+6f3d",
                "SourceUser",
                "LAB\\eve",
                "TargetUser",
                "NT AUTHORITY\\SYSTEM")
            .event(
                10,
                "2025-01-01 10:00:04.000",
                "SourceProcessGUID",
                "{11111111-0000-0000-0000-000000000002}",
                "SourceImage",
                "C:\\Users\\eve\\procdump64.exe",
                "TargetImage",
                "C:\\Windows\\system32\\lsass.exe")
            .write(dir.resolve("access.json"));

    Recording r = SysmonRecordings.read(file);

    assertThat(r.events()).singleElement().isInstanceOf(RecordedEvent.ProcessAccess.class);
    RecordedEvent.ProcessAccess access = (RecordedEvent.ProcessAccess) r.events().get(0);
    assertThat(access.processGuid()).isEqualTo("11111111-0000-0000-0000-000000000002");
    assertThat(access.targetGuid()).isEqualTo("11111111-0000-0000-0000-000000000003");
    assertThat(access.targetProcessId()).isEqualTo(688);
    assertThat(access.grantedAccess()).isEqualTo(0x1fffff);
    assertThat(access.callTrace()).contains("dbgcore.DLL+6f3d");
    assertThat(r.standIns()).hasSize(2);
    assertThat(r.issues())
        .anySatisfy(i -> assertThat(i.message()).contains("without a GrantedAccess"));
  }

  @Test
  void anEventIdPsfleetDoesNotModelIsCountedNotDropped() throws IOException {
    Recording r = SysmonRecordings.read(SysmonJson.attack().write(dir.resolve("a.json")));

    assertThat(r.events()).hasSize(4);
    assertThat(r.notModelled()).containsEntry("Sysmon 3", 1L);
    assertThat(r.summary()).contains("not modelled", "Sysmon 3=1");
  }

  @Test
  void theRecordedParentOfARootIsAStandInWithoutAnIssue() throws IOException {
    Recording r = SysmonRecordings.read(SysmonJson.attack().write(dir.resolve("a.json")));

    assertThat(r.standIns())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.parentOfRoot()).isTrue();
              assertThat(s.image()).endsWith("powershell.exe");
              assertThat(s.commandLine()).isEqualTo("powershell.exe -nop -w hidden");
            });
    assertThat(r.issues()).isEmpty();
  }

  @Test
  void aProcessNeverCreatedIsReportedWithFileAndPositionAndGetsAStandIn() throws IOException {
    Path file =
        new SysmonJson()
            .event(
                7,
                "2025-01-01 10:00:00.000",
                "ProcessGuid",
                "{22222222-0000-0000-0000-000000000009}",
                "ProcessId",
                "900",
                "Image",
                "C:\\Windows\\System32\\rundll32.exe",
                "ImageLoaded",
                "C:\\Users\\Public\\x.dll",
                "User",
                "LAB\\eve")
            .write(dir.resolve("orphan.json"));

    Recording r = SysmonRecordings.read(file);

    assertThat(r.events()).hasSize(1);
    assertThat(r.standIns()).singleElement().satisfies(s -> assertThat(s.parentOfRoot()).isFalse());
    assertThat(r.issues())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.unit()).isEqualTo(ReadIssue.Unit.INDEX);
              assertThat(i.position()).isZero();
              assertThat(i.toString())
                  .contains("orphan.json", "value #0", "pid 900", "never created", "stand-in");
            });
  }

  @Test
  void eventsOfOtherProvidersAreCountedByProviderAndId() throws IOException {
    Path file =
        new SysmonJson()
            .event("Microsoft-Windows-Security-Auditing", 4688, "2025-01-01 10:00:00.000")
            .write(dir.resolve("security.json"));

    Recording r = SysmonRecordings.read(file);

    assertThat(r.events()).isEmpty();
    assertThat(r.notModelled()).containsEntry("Microsoft-Windows-Security-Auditing 4688", 1L);
  }

  @Test
  void jsonThatIsNotSysmonIsReportedAndTheRestStillRead() throws IOException {
    Path file = dir.resolve("mixed.jsonl");
    Files.writeString(
        file,
        "{\"EventID\": 1, \"Channel\": \"Microsoft-Windows-Sysmon/Operational\","
            + " \"UtcTime\": \"2025-01-01 10:00:00.000\", \"ProcessGuid\": \"{A}\","
            + " \"ProcessId\": 8, \"Image\": \"C:\\\\x.exe\", \"User\": \"LAB\\\\eve\"}\n"
            + "{\"hello\": \"world\"}\n"
            + "{\"EventID\": 1, \"Channel\": \"Microsoft-Windows-Sysmon/Operational\","
            + " \"UtcTime\": \"2025-01-01 10:00:01.000\", \"ProcessGuid\": \"{B}\","
            + " \"ProcessId\": 12, \"Image\": \"C:\\\\y.exe\", \"User\": \"LAB\\\\eve\"}\n");

    Recording r = SysmonRecordings.read(file);

    assertThat(r.events()).hasSize(2);
    assertThat(r.issues())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.unit()).isEqualTo(ReadIssue.Unit.LINE);
              assertThat(i.position()).isEqualTo(2);
              assertThat(i.toString()).contains("mixed.jsonl", "line 2");
            });
  }

  @Test
  void aSysmonEventMissingWhatReplayNeedsIsReportedAndSkipped() throws IOException {
    Path file =
        new SysmonJson()
            .event(1, "2025-01-01 10:00:00.000", "ProcessGuid", "{C}", "ProcessId", "8")
            .event(
                5,
                "2025-01-01 10:00:01.000",
                "ProcessGuid",
                "{C}",
                "ProcessId",
                "8",
                "Image",
                "C:\\x.exe")
            .write(dir.resolve("short.json"));

    Recording r = SysmonRecordings.read(file);

    assertThat(r.events()).singleElement().isInstanceOf(ProcessEnd.class);
    assertThat(r.issues())
        .first()
        .asString()
        .contains("short.json", "value #0", "EventRecordID 100", "without Image", "not replayed");
  }

  @Test
  void aCorruptEvtxChunkIsReportedWithItsByteOffset() throws IOException {
    assumeTrue(
        Files.isDirectory(REGRESSION),
        "SigmaHQ regression data not found at " + REGRESSION + ": skipped");
    Path evtx;
    try (Stream<Path> files = Files.walk(REGRESSION)) {
      evtx = files.filter(f -> f.toString().endsWith(".evtx")).sorted().findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(evtx);
    bytes[4096 + 600] ^= 0x20; // inside the first chunk's records: its CRC32 no longer matches
    Path damaged = Files.write(dir.resolve("damaged.evtx"), bytes);

    Recording r = SysmonRecordings.read(damaged);

    assertThat(r.issues())
        .anySatisfy(
            i -> {
              assertThat(i.unit()).isEqualTo(ReadIssue.Unit.BYTE);
              assertThat(i.toString()).contains("damaged.evtx", "CRC32 mismatch");
            });
    assertThat(r.summary()).contains("damaged.evtx").doesNotContain(" 0 issues");
  }

  @Test
  void aRegressionFolderNamesItsRuleAndTheRuleItsTechnique() throws IOException {
    Path folder = REGRESSION.resolve("rules/windows/image_load/image_load_side_load_vcruntime140");
    assumeTrue(Files.isDirectory(folder), "SigmaHQ regression data not found: skipped");
    Path json;
    try (Stream<Path> files = Files.list(folder)) {
      json = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
    }

    Recording r = SysmonRecordings.read(json);

    assertThat(r.name()).isEqualTo("image_load_side_load_vcruntime140");
    assertThat(r.rule().id()).isEqualTo("d7a63acb-1284-49bc-bfea-7771146c8b1c");
    assertThat(r.rule().technique()).startsWith("T1574");
  }
}
