package io.psfleet.jobs.detect;

import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.sigma.SigmaDetector;
import io.psfleet.jobs.sigma.SigmaRuleText;
import io.psfleet.jobs.sigma.SigmaRules;
import java.util.ArrayList;
import java.util.List;
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
              assertThat(ruleId(a)).isEqualTo("psfleet-005");
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
        .extracting(HostRuleFixtures::ruleId)
        .containsExactly("psfleet-005");
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
  void anEditedCopyOfThePackWatchesTheNamesItLists() {
    List<SigmaRuleText> copy = new ArrayList<>();
    for (SigmaRuleText file : SigmaRules.defaultPack().files()) {
      copy.add(
          file.source().endsWith("search-order-hijack.yml")
              ? new SigmaRuleText(
                  "my-rules/hijack.yml", file.yaml().replace("msimg32.dll", "Foo.DLL"))
              : file);
    }
    SigmaDetector edited = new SigmaDetector(SigmaRules.of(copy));
    List<Alert> alerts = new ArrayList<>();
    edited.evaluate(
        events.load(10, UPDATER, "C:\\Users\\Public\\Documents\\OneDrive\\foo.dll", null),
        alerts::add);
    assertThat(alerts).extracting(HostRuleFixtures::ruleId).containsExactly("psfleet-005");
    assertThat(
            evaluate(
                events.load(11, UPDATER, "C:\\Users\\Public\\Documents\\OneDrive\\foo.dll", null)))
        .isEmpty();
  }
}
