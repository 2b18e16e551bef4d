package io.psfleet.agent.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.fleet.FleetRun;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.TelemetryEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransplantTest {
  @TempDir Path dir;

  private FleetRun run(RootParent roots, int hosts, Transplant.Schedule schedule)
      throws IOException {
    return run(roots, hosts, schedule, 1);
  }

  private FleetRun run(RootParent roots, int hosts, Transplant.Schedule schedule, int threads)
      throws IOException {
    Recording recording = SysmonRecordings.read(SysmonJson.attack().write(dir.resolve("a.json")));
    Transplant transplant = new Transplant(recording, hosts, null, schedule, null, roots, "a.json");
    FleetConfig config =
        FleetRun.config(4, Duration.ofMinutes(5), Map.of()).toBuilder()
            .transplants(List.of(transplant))
            .threads(threads)
            .build();
    return FleetRun.run(config);
  }

  private static Transplant.Schedule at2m() {
    return new Transplant.Schedule(Duration.ofMinutes(2), null, null);
  }

  private static List<ProcessCreate> creates(List<TelemetryEvent> events, String imageSuffix) {
    return events.stream()
        .map(TelemetryEvent::getBody)
        .filter(b -> b instanceof ProcessCreate)
        .map(b -> (ProcessCreate) b)
        .filter(p -> p.getImage().endsWith(imageSuffix))
        .toList();
  }

  @Test
  void everyChosenHostGetsTheRecordingThroughItsSensorWithContiguousSequences() throws IOException {
    FleetRun run = run(RootParent.ADOPT, 2, at2m());

    assertThat(run.groundTruth).hasSize(2);
    for (GroundTruth truth : run.groundTruth) {
      List<TelemetryEvent> events = run.byHost().get(truth.getHostId());
      for (int i = 0; i < events.size(); i++) {
        assertThat(events.get(i).getHeader().getSequence()).isEqualTo(i + 1);
      }
      assertThat(creates(events, "\\whoami.exe")).hasSize(1);
      // the host's own processes ran on around the transplant
      assertThat(events.size()).isGreaterThan(truth.getEventSequences().size() * 10);
    }
  }

  @Test
  void pidsComeFromTheHostAndParentLinksInsideTheRecordingAreKept() throws IOException {
    FleetRun run = run(RootParent.ADOPT, 1, at2m());
    List<TelemetryEvent> events = run.byHost().get(run.groundTruth.get(0).getHostId());

    ProcessCreate cmd =
        creates(events, "\\cmd.exe").stream()
            .filter(p -> p.getCommandLine().equals("cmd.exe /c whoami /priv"))
            .findFirst()
            .orElseThrow();
    ProcessCreate whoami = creates(events, "\\whoami.exe").get(0);
    assertThat(whoami.getParentProcessGuid()).isEqualTo(cmd.getProcessGuid());
    assertThat(whoami.getParentProcessId()).isEqualTo(cmd.getProcessId());
    assertThat(Set.of(cmd.getProcessId(), whoami.getProcessId())).doesNotContain(7000, 7004);
    assertThat(cmd.getProcessId() % 4).isZero();
    // the root adopted the logged-on user's explorer.exe, and the host's user ran it
    assertThat(cmd.getParentImage()).isEqualTo("C:\\Windows\\explorer.exe");
    assertThat(cmd.getUser()).doesNotContain("eve");
    assertThat(cmd.getUser()).isEqualTo(whoami.getParentUser());
    // what Sysmon measured of the real file
    assertThat(cmd.getOriginalFileName()).isEqualTo("Cmd.Exe");
    assertThat(cmd.getCurrentDirectory()).isEqualTo("C:\\Users\\eve\\");
  }

  @Test
  void timesKeepTheRecordedOffsetsFromTheChosenTime() throws IOException {
    FleetRun run = run(RootParent.ADOPT, 1, at2m());
    GroundTruth truth = run.groundTruth.get(0);
    List<TelemetryEvent> events = run.byHost().get(truth.getHostId());

    long start = FleetRun.START + Duration.ofMinutes(2).toNanos();
    TelemetryEvent cmd =
        events.stream()
            .filter(
                e ->
                    e.getBody() instanceof ProcessCreate p
                        && "cmd.exe /c whoami /priv".equals(p.getCommandLine()))
            .findFirst()
            .orElseThrow();
    TelemetryEvent load =
        events.stream()
            .filter(
                e -> e.getBody() instanceof ImageLoad l && l.getImageLoaded().endsWith("evil.dll"))
            .findFirst()
            .orElseThrow();
    TelemetryEvent exit =
        events.stream()
            .filter(
                e -> e.getBody() instanceof ProcessExit x && x.getImage().endsWith("whoami.exe"))
            .findFirst()
            .orElseThrow();
    assertThat(cmd.getHeader().getEventTimeNanos()).isEqualTo(start);
    assertThat(load.getHeader().getEventTimeNanos()).isEqualTo(start + 2_500_000_000L);
    assertThat(exit.getHeader().getEventTimeNanos()).isEqualTo(start + 4_000_000_000L);
  }

  @Test
  void groundTruthNamesEveryEventAndProcessOfTheTransplant() throws IOException {
    FleetRun run = run(RootParent.ADOPT, 1, at2m());
    GroundTruth truth = run.groundTruth.get(0);

    assertThat(truth.getScenario()).isEqualTo("a.json");
    assertThat(truth.getScenarioId()).isEqualTo("a.json-0001");
    assertThat(truth.getTechnique()).isEqualTo("untagged");
    Set<Long> keys = Set.copyOf(truth.getProcessGuids());
    List<Object> bodies =
        truth.getEventSequences().stream()
            .map(s -> run.event(truth.getHostId(), s).getBody())
            .collect(Collectors.toList());
    assertThat(bodies)
        .anySatisfy(b -> assertThat(b).isInstanceOf(ProcessExit.class))
        .anySatisfy(
            b ->
                assertThat(b)
                    .isInstanceOfSatisfying(
                        ImageLoad.class, l -> assertThat(l.getImageLoaded()).endsWith("evil.dll")));
    for (Object body : bodies) {
      if (body instanceof ProcessCreate p) {
        assertThat(keys).contains(p.getProcessGuid());
      }
    }
  }

  @Test
  void recordedParentsAreStartedAsStandInsSoRootsKeepTheirParentImage() throws IOException {
    FleetRun run = run(RootParent.RECORDED, 1, at2m());
    List<TelemetryEvent> events = run.byHost().get(run.groundTruth.get(0).getHostId());

    ProcessCreate standIn =
        creates(events, "\\powershell.exe").stream()
            .filter(p -> p.getCommandLine().equals("powershell.exe -nop -w hidden"))
            .findFirst()
            .orElseThrow();
    ProcessCreate cmd =
        creates(events, "\\cmd.exe").stream()
            .filter(p -> p.getCommandLine().equals("cmd.exe /c whoami /priv"))
            .findFirst()
            .orElseThrow();
    assertThat(standIn.getParentImage()).isEqualTo("C:\\Windows\\explorer.exe");
    assertThat(cmd.getParentProcessGuid()).isEqualTo(standIn.getProcessGuid());
    assertThat(cmd.getParentCommandLine()).isEqualTo("powershell.exe -nop -w hidden");
  }

  @Test
  void everyRepeatsTheRecordingOnEachHost() throws IOException {
    FleetRun run =
        run(RootParent.ADOPT, 2, new Transplant.Schedule(null, null, Duration.ofMinutes(1)));

    Map<String, Long> perHost =
        run.groundTruth.stream()
            .collect(Collectors.groupingBy(GroundTruth::getHostId, Collectors.counting()));
    assertThat(perHost).hasSize(2);
    assertThat(perHost.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(3));
  }

  @Test
  void threadsDoNotChangeTheStreamOfAFleetWithTransplants() throws IOException {
    Transplant.Schedule often = new Transplant.Schedule(null, null, Duration.ofSeconds(40));

    FleetRun one = run(RootParent.RECORDED, 4, often, 1);
    FleetRun two = run(RootParent.RECORDED, 4, often, 2);

    assertThat(two.events).isEqualTo(one.events);
    assertThat(two.groundTruth).isEqualTo(one.groundTruth);
  }

  @Test
  void serviceAccountsStayAndAHigherIntegrityThanTheParentsGoesThroughTheBroker()
      throws IOException {
    Path file =
        new SysmonJson()
            .event(
                1,
                "2025-01-01 10:00:00.000",
                "ProcessGuid",
                "{33333333-0000-0000-0000-000000000001}",
                "ProcessId",
                "1200",
                "Image",
                "C:\\Windows\\System32\\vssadmin.exe",
                "CommandLine",
                "vssadmin delete shadows /all /quiet",
                "User",
                "NT AUTHORITY\\SYSTEM",
                "LogonId",
                "0x3e7",
                "IntegrityLevel",
                "System")
            .write(dir.resolve("system.json"));
    Transplant transplant =
        new Transplant(
            SysmonRecordings.read(file), 1, null, at2m(), "T1490", RootParent.ADOPT, "system.json");
    FleetRun run =
        FleetRun.run(
            FleetRun.config(2, Duration.ofMinutes(5), Map.of()).toBuilder()
                .transplants(List.of(transplant))
                .build());

    GroundTruth truth = run.groundTruth.get(0);
    assertThat(truth.getTechnique()).isEqualTo("T1490");
    ProcessCreate vssadmin = creates(run.byHost().get(truth.getHostId()), "\\vssadmin.exe").get(0);
    assertThat(vssadmin.getUser()).isEqualTo("NT AUTHORITY\\SYSTEM");
    assertThat(vssadmin.getLogonId()).isEqualTo(0x3e7L);
    assertThat(vssadmin.getParentImage()).isEqualTo("C:\\Windows\\explorer.exe");
    // explorer runs at Medium and cannot hand out a SYSTEM token: UAC's Appinfo service did
    assertThat(vssadmin.getCreatorProcessId()).isNotEqualTo(vssadmin.getParentProcessId());
    assertThat(vssadmin.getCreatorImage()).endsWith("\\svchost.exe");
  }
}
