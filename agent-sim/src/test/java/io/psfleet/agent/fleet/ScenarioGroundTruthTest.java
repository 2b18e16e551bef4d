package io.psfleet.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.scenario.Scenario;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.GroundTruthLabel;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each scenario, injected into a small fleet, records ground truth whose event sequences and
 * process keys point at the telemetry that shows it, and that telemetry has the shape the scenario
 * claims.
 */
class ScenarioGroundTruthTest {

  static Stream<String> scenarioNames() {
    return FleetAssets.create().scenarios().all().stream().map(Scenario::name);
  }

  /** Runs a fleet of workstations (every scenario runs on one) with {@code name} injected once. */
  private static FleetRun inject(String name) {
    return FleetRun.run(
        FleetRun.config(4, Duration.ofMinutes(15), Map.of(name, 1))
            .withProfiles(new ProfileMix(100, 0, 0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarioNames")
  void groundTruthPointsAtTheEventsAndProcessesOfTheScenario(String name) {
    FleetRun run = inject(name);
    Scenario scenario = FleetAssets.create().scenarios().find(name);

    assertThat(run.groundTruth).as("ground truth of " + name).isNotEmpty();
    for (GroundTruth truth : run.groundTruth) {
      assertThat(truth.getScenario()).isEqualTo(name);
      assertThat(truth.getTechnique()).isEqualTo(scenario.technique());
      assertThat(truth.getLabel())
          .isEqualTo(
              scenario.attack() ? GroundTruthLabel.ATTACK : GroundTruthLabel.BENIGN_LOOKALIKE);
      assertThat(truth.getEventSequences()).isNotEmpty();
      Set<Long> keysOnHost = new HashSet<>();
      for (TelemetryEvent event : run.byHost().get(truth.getHostId())) {
        assertThat(event.getHeader().getBootId()).isEqualTo(truth.getBootId());
        if (event.getBody() instanceof ProcessCreate create) {
          keysOnHost.add(create.getProcessGuid());
        }
      }
      assertThat(keysOnHost).as("process keys of " + name).containsAll(truth.getProcessGuids());
      for (long sequence : truth.getEventSequences()) {
        TelemetryEvent event = run.event(truth.getHostId(), sequence);
        assertThat(event.getHeader().getEventTimeNanos()).isLessThanOrEqualTo(truth.getTimeNanos());
      }
    }
  }

  @Test
  void dllInjectionIsALoadLibraryRemoteThreadThenAnUnsignedTempDllInTheTarget() {
    FleetRun run = inject("dll-injection");
    GroundTruth truth = run.groundTruth.get(0);

    ThreadCreate thread =
        (ThreadCreate) run.event(truth.getHostId(), truth.getEventSequences().get(0)).getBody();
    ImageLoad load =
        (ImageLoad) run.event(truth.getHostId(), truth.getEventSequences().get(1)).getBody();
    assertThat(thread.getRemoteThread()).isTrue();
    assertThat(thread.getStartFunction()).isEqualTo("LoadLibraryW");
    assertThat(thread.getSourceImage()).contains("\\Downloads\\");
    assertThat(load.getProcessGuid()).isEqualTo(thread.getTargetProcessGuid());
    assertThat(load.getSigned()).isFalse();
    assertThat(load.getImageLoaded()).contains("\\AppData\\Local\\Temp\\");
  }

  @Test
  void sensitiveProcessModuleIsUnsignedInASensitiveProcess() {
    FleetRun run = inject("sensitive-process-module");
    GroundTruth truth = run.groundTruth.get(0);

    ImageLoad load =
        (ImageLoad) run.event(truth.getHostId(), truth.getEventSequences().get(0)).getBody();
    assertThat(load.getImage()).matches(".*\\\\(lsass|winlogon|services)\\.exe");
    assertThat(load.getSigned()).isFalse();
  }

  @Test
  void officeMacroChainDescendsFromAnOfficeApplication() {
    FleetRun run = inject("office-macro-chain");
    GroundTruth truth = run.groundTruth.get(0);
    Map<Long, ProcessCreate> creates = new HashMap<>();
    for (TelemetryEvent event : run.byHost().get(truth.getHostId())) {
      if (event.getBody() instanceof ProcessCreate create) {
        creates.put(create.getProcessGuid(), create);
      }
    }

    List<Long> seqs = truth.getEventSequences();
    ProcessCreate rundll32 =
        (ProcessCreate) run.event(truth.getHostId(), seqs.get(seqs.size() - 2)).getBody();
    assertThat(rundll32.getImage()).endsWith("rundll32.exe");
    Set<String> ancestors = new HashSet<>();
    for (ProcessCreate p = rundll32; p != null; p = creates.get(p.getParentProcessGuid())) {
      ancestors.add(p.getImage().substring(p.getImage().lastIndexOf('\\') + 1).toLowerCase());
    }
    assertThat(ancestors).contains("powershell.exe").containsAnyOf("winword.exe", "excel.exe");
  }

  @Test
  void ppidSpoofingShowsParentAndCreatorApart() {
    FleetRun run = inject("ppid-spoofing");
    GroundTruth truth = run.groundTruth.get(0);

    ProcessCreate child =
        (ProcessCreate) run.event(truth.getHostId(), truth.getEventSequences().get(0)).getBody();
    assertThat(child.getParentProcessId()).isNotEqualTo(child.getCreatorProcessId());
    assertThat(child.getCreatorImage()).contains("\\Downloads\\");
  }

  @Test
  void sideloadingLoadsASystemDllNameFromOutsideSystem32() {
    FleetRun run = inject("dll-sideloading");
    GroundTruth truth = run.groundTruth.get(0);

    ImageLoad load =
        (ImageLoad) run.event(truth.getHostId(), truth.getEventSequences().get(0)).getBody();
    assertThat(load.getImageLoaded())
        .endsWith("\\version.dll")
        .doesNotContainIgnoringCase("\\System32\\");
    assertThat(load.getImage()).startsWith("C:\\Users\\Public\\");
  }

  @Test
  void fleetCampaignLoadsOneHashOnSeveralHosts() {
    FleetRun run = inject("fleet-campaign");

    assertThat(run.groundTruth).hasSize(3);
    assertThat(run.groundTruth)
        .extracting(GroundTruth::getScenarioId)
        .containsOnly("fleet-campaign-0001");
    Set<String> hosts = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (GroundTruth truth : run.groundTruth) {
      ImageLoad load =
          (ImageLoad) run.event(truth.getHostId(), truth.getEventSequences().get(0)).getBody();
      hosts.add(truth.getHostId());
      hashes.add(load.getHashes().toString());
    }
    assertThat(hosts).hasSize(3);
    assertThat(hashes).hasSize(1);
  }

  @Test
  void securityProductInjectionLoadsASignedProgramFilesDll() {
    FleetRun run = inject("security-product-injection");
    GroundTruth truth = run.groundTruth.get(0);

    ThreadCreate thread =
        (ThreadCreate) run.event(truth.getHostId(), truth.getEventSequences().get(0)).getBody();
    ImageLoad load =
        (ImageLoad) run.event(truth.getHostId(), truth.getEventSequences().get(1)).getBody();
    assertThat(thread.getRemoteThread()).isTrue();
    assertThat(load.getSigned()).isTrue();
    assertThat(load.getImageLoaded()).startsWith("C:\\Program Files\\");
  }

  @Test
  void uacElevationIsCreatedByAppinfoWithExplorerAsParent() {
    FleetRun run = inject("uac-elevation");
    GroundTruth truth = run.groundTruth.get(0);

    ProcessCreate elevated =
        (ProcessCreate) run.event(truth.getHostId(), truth.getEventSequences().get(0)).getBody();
    assertThat(elevated.getParentImage()).endsWith("explorer.exe");
    assertThat(elevated.getCreatorImage()).endsWith("svchost.exe");
    assertThat(elevated.getIntegrityLevel().name()).isEqualTo("HIGH");
  }
}
