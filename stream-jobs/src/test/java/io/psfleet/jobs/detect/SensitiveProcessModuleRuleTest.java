package io.psfleet.jobs.detect;

import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.chain;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.lineage.EnrichedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class SensitiveProcessModuleRuleTest extends HostRuleFixtures {
  @Test
  void unsignedProgramDataDllInLsassRaisesSensitiveModuleAlert() {
    EnrichedEvent load =
        events.load(
            10, LSASS, "C:\\ProgramData\\Microsoft\\Crypto\\mscryptssp.dll", null, chain(WININIT));

    List<Alert> alerts = evaluate(load);

    assertThat(alerts)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(ruleId(a)).isEqualTo("psfleet-002");
              assertThat(a.uid()).isEqualTo(Alert.uidOf(a.analytic(), load.event().eventId()));
              assertThat(a.hostId()).isEqualTo("host-000001");
              assertThat(a.timeNanos()).isEqualTo(load.event().timeNanos());
              assertThat(a.process().image()).endsWith("lsass.exe");
              assertThat(a.process().ancestry())
                  .extracting(x -> x.image())
                  .containsExactly(WININIT.image());
              assertThat(a.module().path()).endsWith("mscryptssp.dll");
              assertThat(a.module().signed()).isFalse();
              assertThat(a.module().sha256()).isEqualTo(load.event().sha256());
              assertThat(a.evidenceEventIds()).containsExactly(load.event().eventId());
              assertThat(a.message()).contains("lsass.exe", "unsigned", "mscryptssp.dll");
            });
  }

  @Test
  void unsignedWindowsTempDllInServicesAlerts() {
    assertThat(evaluate(events.load(10, SERVICES, "C:\\Windows\\Temp\\kerbhelper.dll", null)))
        .extracting(HostRuleFixtures::ruleId)
        .containsExactly("psfleet-002");
  }

  @Test
  void signedDllFromANetworkShareInWinlogonAlerts() {
    assertThat(evaluate(events.load(10, WINLOGON, "\\\\fileserver\\share\\cp.dll", "Contoso")))
        .extracting(HostRuleFixtures::ruleId)
        .containsExactly("psfleet-002");
  }

  @Test
  void vendorSignedCredentialProviderFromProgramFilesInWinlogonDoesNotAlert() {
    assertThat(
            evaluate(
                events.load(
                    10,
                    WINLOGON,
                    "C:\\Program Files\\Duo Security\\WindowsLogon\\DuoCredProv.dll",
                    "Duo Security LLC")))
        .isEmpty();
  }

  @Test
  void microsoftSignedAuthenticationPackageInLsassDoesNotAlert() {
    assertThat(evaluate(events.load(10, LSASS, SYSTEM32 + "msv1_0.dll", TestEvents.MICROSOFT)))
        .isEmpty();
  }

  @Test
  void unsignedDllInAnOrdinaryProcessIsNotThisRule() {
    assertThat(evaluate(events.load(10, CMD, "C:\\ProgramData\\x\\a.dll", null))).isEmpty();
  }
}
