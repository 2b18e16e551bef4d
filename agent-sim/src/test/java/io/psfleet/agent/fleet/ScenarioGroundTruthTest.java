package io.psfleet.agent.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.scenario.Scenario;
import io.psfleet.schema.GroundTruth;
import io.psfleet.schema.GroundTruthLabel;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.ProcessAccess;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each scenario, injected into a small fleet, records ground truth whose event sequences and
 * process keys point at the telemetry that shows it, and that telemetry has the shape the scenario
 * claims.
 */
class ScenarioGroundTruthTest {

  static Stream<String> scenarioNames() {
    return FleetAssets.create().scenarios().everyScenario().stream().map(Scenario::name);
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
    assertThat(scenario).isNotNull();

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
      long last = 0;
      Set<Long> listed = new HashSet<>(truth.getEventSequences());
      Set<Long> startedByScenario = new HashSet<>();
      for (long sequence : truth.getEventSequences()) {
        TelemetryEvent event = run.event(truth.getHostId(), sequence);
        assertThat(event.getHeader().getEventTimeNanos()).isLessThanOrEqualTo(truth.getTimeNanos());
        last = Math.max(last, event.getHeader().getEventTimeNanos());
        if (event.getBody() instanceof ProcessCreate create) {
          startedByScenario.add(create.getProcessGuid());
        }
      }
      assertThat(truth.getTimeNanos()).as("time of the last listed event").isEqualTo(last);
      assertThat(truth.getEventSequences()).isSorted().doesNotHaveDuplicates();
      // Starting a process causes its create, its initial thread and its executable's and
      // ntdll's loads: the record lists them all.
      for (TelemetryEvent event : run.byHost().get(truth.getHostId())) {
        long key = keyOf(event);
        if (startedByScenario.contains(key)
            && event.getHeader().getEventTimeNanos() <= truth.getTimeNanos()
            && isStartEvent(event)) {
          assertThat(listed)
              .as("%s: start event %s of a process it started", name, event)
              .contains(event.getHeader().getSequence());
        }
      }
    }
  }

  private static long keyOf(TelemetryEvent event) {
    Object body = event.getBody();
    if (body instanceof ProcessCreate c) {
      return c.getProcessGuid();
    }
    if (body instanceof ImageLoad l) {
      return l.getProcessGuid() == null ? 0 : l.getProcessGuid();
    }
    if (body instanceof ThreadCreate t) {
      return t.getTargetProcessGuid();
    }
    return 0;
  }

  private static boolean isStartEvent(TelemetryEvent event) {
    Object body = event.getBody();
    return body instanceof ProcessCreate
        || (body instanceof ThreadCreate t && t.getInitialThread())
        || (body instanceof ImageLoad l
            && (l.getImageLoaded().endsWith("\\ntdll.dll")
                || l.getImageLoaded().equalsIgnoreCase(l.getImage())));
  }

  /** The first event the record lists that is a {@code type} and passes {@code filter}. */
  private static <T> T listed(
      FleetRun run, GroundTruth truth, Class<T> type, java.util.function.Predicate<T> filter) {
    for (long sequence : truth.getEventSequences()) {
      Object body = run.event(truth.getHostId(), sequence).getBody();
      if (type.isInstance(body) && filter.test(type.cast(body))) {
        return type.cast(body);
      }
    }
    throw new AssertionError("no listed " + type.getSimpleName() + " in " + truth);
  }

  @Test
  void dllInjectionIsALoadLibraryRemoteThreadThenAnUnsignedTempDllInTheTarget() {
    FleetRun run = inject("dll-injection");
    GroundTruth truth = run.groundTruth.get(0);

    ThreadCreate thread = listed(run, truth, ThreadCreate.class, ThreadCreate::getRemoteThread);
    ImageLoad load =
        listed(run, truth, ImageLoad.class, l -> l.getImageLoaded().contains("\\Temp\\"));
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

    ImageLoad load = listed(run, truth, ImageLoad.class, l -> !l.getSigned());
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

    ProcessCreate rundll32 =
        listed(run, truth, ProcessCreate.class, c -> c.getImage().endsWith("rundll32.exe"));
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
        listed(
            run,
            truth,
            ProcessCreate.class,
            c -> c.getParentProcessId() != c.getCreatorProcessId());
    assertThat(child.getParentProcessId()).isNotEqualTo(child.getCreatorProcessId());
    assertThat(child.getCreatorImage()).contains("\\Downloads\\");
  }

  @Test
  void sideloadingLoadsASystemDllNameFromOutsideSystem32() {
    FleetRun run = inject("dll-sideloading");
    GroundTruth truth = run.groundTruth.get(0);

    ImageLoad load =
        listed(run, truth, ImageLoad.class, l -> l.getImageLoaded().endsWith("\\version.dll"));
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
          listed(run, truth, ImageLoad.class, l -> l.getImageLoaded().endsWith("dsync64.dll"));
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

    ThreadCreate thread = listed(run, truth, ThreadCreate.class, ThreadCreate::getRemoteThread);
    ImageLoad load = listed(run, truth, ImageLoad.class, l -> true);
    assertThat(thread.getRemoteThread()).isTrue();
    assertThat(load.getSigned()).isTrue();
    assertThat(load.getImageLoaded()).startsWith("C:\\Program Files\\");
  }

  @Test
  void uacElevationIsCreatedByAppinfoWithExplorerAsParent() {
    FleetRun run = inject("uac-elevation");
    GroundTruth truth = run.groundTruth.get(0);

    ProcessCreate elevated =
        listed(run, truth, ProcessCreate.class, c -> c.getImage().endsWith("cmd.exe"));
    assertThat(elevated.getParentImage()).endsWith("explorer.exe");
    assertThat(elevated.getCreatorImage()).endsWith("svchost.exe");
    assertThat(elevated.getIntegrityLevel().name()).isEqualTo("HIGH");
  }

  @Test
  void renamedLolbinKeepsItsOriginalFileName() {
    // T1036.003: the file name says winupdate.exe, the version resource still says CertUtil.exe.
    FleetRun run = inject("renamed-lolbin");
    GroundTruth truth = run.groundTruth.get(0);

    ProcessCreate renamed =
        listed(run, truth, ProcessCreate.class, c -> c.getImage().endsWith("winupdate.exe"));
    assertThat(renamed.getOriginalFileName()).isEqualTo("CertUtil.exe");
    assertThat(renamed.getCommandLine()).contains("-urlcache -split -f http");
  }

  @Test
  void lsassMinidumpIsRundll32ComsvcsWithLsassPid() {
    FleetRun run = inject("lsass-minidump");
    GroundTruth truth = run.groundTruth.get(0);

    ProcessCreate rundll32 =
        listed(run, truth, ProcessCreate.class, c -> c.getImage().endsWith("rundll32.exe"));
    ImageLoad comsvcs =
        listed(run, truth, ImageLoad.class, l -> l.getImageLoaded().endsWith("comsvcs.dll"));
    assertThat(rundll32.getCommandLine()).matches(".*comsvcs\\.dll, MiniDump \\d+ .* full");
    assertThat(rundll32.getIntegrityLevel().name()).isEqualTo("HIGH");
    assertThat(comsvcs.getProcessGuid()).isEqualTo(rundll32.getProcessGuid());
  }

  @ParameterizedTest(name = "{0}: {1} opens {2} for {3}")
  @CsvSource({
    "lsass-mimikatz, mimikatz.exe, lsass.exe, 0x1010, mimikatz.exe+",
    "lsass-procdump, procdump64.exe, lsass.exe, 0x1fffff, dbghelp.dll+",
    "lsass-minidump, rundll32.exe, lsass.exe, 0x1410, comsvcs.dll+",
    "av-scans-lsass, MsMpEng.exe, lsass.exe, 0x1400, MsMpEng.exe+",
    "taskmgr-lists-lsass, Taskmgr.exe, lsass.exe, 0x1000, Taskmgr.exe+",
    "werfault-dumps-crash, WerFault.exe, notepad.exe, 0x1fffff, dbgcore.dll+"
  })
  void credentialAccessScenariosOpenTheirTargetWithTheMaskTheirToolAsksFor(
      String name, String source, String target, String mask, String onTheStack) {
    FleetRun run = inject(name);
    GroundTruth truth = run.groundTruth.get(0);

    ProcessAccess access =
        listed(
            run,
            truth,
            ProcessAccess.class,
            a ->
                a.getTargetImage().endsWith("\\" + target)
                    && a.getSourceImage().endsWith(source)
                    && a.getGrantedAccess() == Integer.decode(mask));
    // Innermost first: the system call in ntdll, OpenProcess in KERNELBASE, then the callers.
    String[] frames = access.getCallTrace().split("\\|");
    assertThat(frames[0]).matches("(?i)C:\\\\Windows\\\\System32\\\\ntdll\\.dll\\+[0-9a-f]+");
    assertThat(frames[1]).containsIgnoringCase("\\KernelBase.dll+");
    assertThat(access.getCallTrace()).containsIgnoringCase(onTheStack);
    assertThat(truth.getProcessGuids())
        .contains(access.getSourceProcessGuid(), access.getTargetProcessGuid());
  }

  @Test
  void fodhelperBypassElevatesThroughAppinfoAndStartsAHighShell() {
    FleetRun run = inject("fodhelper-uac-bypass");
    GroundTruth truth = run.groundTruth.get(0);

    ProcessCreate fodhelper =
        listed(run, truth, ProcessCreate.class, c -> c.getImage().endsWith("fodhelper.exe"));
    ProcessCreate shell =
        listed(
            run,
            truth,
            ProcessCreate.class,
            c ->
                c.getParentProcessGuid() != null
                    && c.getParentProcessGuid().equals(fodhelper.getProcessGuid()));
    assertThat(fodhelper.getIntegrityLevel().name()).isEqualTo("HIGH");
    assertThat(fodhelper.getParentImage()).endsWith("cmd.exe");
    assertThat(fodhelper.getCreatorImage()).endsWith("svchost.exe");
    assertThat(shell.getIntegrityLevel().name()).isEqualTo("HIGH");
  }

  @Test
  void psexecServiceRunsAsSystemUnderServices() {
    FleetRun run = inject("psexec-lateral");
    GroundTruth truth = run.groundTruth.get(0);

    ProcessCreate svc =
        listed(run, truth, ProcessCreate.class, c -> c.getImage().endsWith("PSEXESVC.exe"));
    assertThat(svc.getParentImage()).endsWith("services.exe");
    assertThat(svc.getUser()).isEqualTo("NT AUTHORITY\\SYSTEM");
    assertThat(svc.getOriginalFileName()).isEqualTo("psexesvc.exe");
    assertThat(svc.getCurrentDirectory()).isEqualToIgnoringCase("C:\\Windows\\system32\\");
  }

  @Test
  void techniqueScenariosAreListedButNotInTheDefaultSet() {
    var scenarios = FleetAssets.create().scenarios();

    assertThat(scenarios.everyScenario()).containsAll(scenarios.all());
    assertThat(scenarios.attacks()).extracting(Scenario::name).contains("lsass-minidump");
    assertThat(scenarios.lookalikes()).extracting(Scenario::name).contains("it-psexec");
    assertThat(scenarios.all()).extracting(Scenario::name).doesNotContain("lsass-minidump");
    assertThat(scenarios.everyScenario())
        .hasSize(scenarios.attacks().size() + scenarios.lookalikes().size());
  }
}
