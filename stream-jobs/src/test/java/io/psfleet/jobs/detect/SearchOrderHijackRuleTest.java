package io.psfleet.jobs.detect;

import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Rule;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.EnrichedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchOrderHijackRuleTest extends HostRuleFixtures {
  static final Proc UPDATER =
      proc(60, 7000, "C:\\Users\\Public\\Documents\\OneDrive\\OneDriveStandaloneUpdater.exe");
  static final Proc NOTEPADPP = proc(61, 7100, "C:\\Program Files\\Notepad++\\notepad++.exe");

  @Test
  void unsignedVersionDllNextToACopiedSignedProgramRaisesHijackAlert() {
    EnrichedEvent load =
        events.load(10, UPDATER, "C:\\Users\\Public\\Documents\\OneDrive\\version.dll", null);

    assertThat(evaluate(load))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.rule()).isEqualTo(Rule.SEARCH_ORDER_HIJACK);
              assertThat(a.process().key()).isEqualTo(UPDATER.key());
              assertThat(a.module().path()).endsWith("\\OneDrive\\version.dll");
              assertThat(a.message()).contains("version.dll", "unsigned");
            });
  }

  @Test
  void signedHijackableNameInAUserWritableFolderAlerts() {
    assertThat(
            evaluate(
                events.load(
                    10,
                    UPDATER,
                    "C:\\Users\\bob\\AppData\\Local\\Temp\\dbghelp.dll",
                    "Microsoft Corporation")))
        .extracting(Alert::rule)
        .containsExactly(Rule.SEARCH_ORDER_HIJACK);
  }

  @Test
  void notepadPlusPlusSignedDbghelpFromProgramFilesDoesNotAlert() {
    assertThat(
            evaluate(
                events.load(
                    10,
                    NOTEPADPP,
                    "C:\\Program Files\\Notepad++\\dbghelp.dll",
                    "Microsoft Corporation")))
        .isEmpty();
  }

  @Test
  void versionDllFromSystem32DoesNotAlert() {
    assertThat(evaluate(events.load(10, UPDATER, SYSTEM32 + "version.dll", TestEvents.MICROSOFT)))
        .isEmpty();
  }

  @Test
  void unsignedDllWithAnOrdinaryNameIsNotThisRule() {
    assertThat(
            evaluate(
                events.load(10, UPDATER, "C:\\Users\\Public\\Documents\\OneDrive\\foo.dll", null)))
        .isEmpty();
  }

  @Test
  void hijackableNamesAreConfigurable() {
    DetectionConfig d = DetectionConfig.defaults();
    HostRules custom =
        new HostRules(
            new DetectionConfig(
                d.injectionWindow(),
                d.injectionMaxPendingThreads(),
                d.loadLibraryFunctions(),
                d.sensitiveProcesses(),
                d.parentSpoofBrokers(),
                d.scriptHosts(),
                d.lureApplications(),
                Set.of("Foo.DLL"),
                d.fleetHosts(),
                d.fleetWindow(),
                d.fleetCommonHosts(),
                d.fleetRetention()));
    List<Alert> alerts = new ArrayList<>();
    custom.evaluate(
        events.load(10, UPDATER, "C:\\Users\\Public\\Documents\\OneDrive\\foo.dll", null),
        alerts::add);
    assertThat(alerts).extracting(Alert::rule).containsExactly(Rule.SEARCH_ORDER_HIJACK);
  }
}
