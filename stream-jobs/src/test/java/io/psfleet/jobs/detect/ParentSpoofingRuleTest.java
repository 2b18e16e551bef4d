package io.psfleet.jobs.detect;

import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.chain;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.EnrichedEvent;
import org.junit.jupiter.api.Test;

class ParentSpoofingRuleTest extends HostRuleFixtures {
  @Test
  void downloadedProgramNamingExplorerAsParentOfCmdRaisesSpoofingAlert() {
    EnrichedEvent create =
        events.spoofedCreate(10, CMD, EXPLORER, SPOOFER, "MEDIUM", chain(EXPLORER));

    assertThat(evaluate(create))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(ruleId(a)).isEqualTo("psfleet-003");
              assertThat(a.process().key()).isEqualTo(CMD.key());
              assertThat(a.process().commandLine()).isEqualTo(CMD.commandLine());
              assertThat(a.process().ancestry())
                  .extracting(x -> x.key())
                  .containsExactly(EXPLORER.key());
              assertThat(a.actor().key()).isEqualTo(SPOOFER.key());
              assertThat(a.actor().image()).isEqualTo(SPOOFER.image());
              assertThat(a.module()).isNull();
              assertThat(a.message()).contains("setup_patch.exe", "cmd.exe", "explorer.exe");
            });
  }

  @Test
  void spoofedWinlogonParentOfPowershellAlerts() {
    assertThat(evaluate(events.spoofedCreate(10, POWERSHELL, WINLOGON, SPOOFER, "MEDIUM")))
        .extracting(HostRuleFixtures::ruleId)
        .containsExactly("psfleet-003");
  }

  @Test
  void blockedSpoofedCreationStillAlertsAndSaysItWasBlocked() {
    EnrichedEvent create =
        events.blocked(events.spoofedCreate(10, CMD, EXPLORER, SPOOFER, "MEDIUM"));

    assertThat(evaluate(create))
        .singleElement()
        .satisfies(a -> assertThat(a.message()).contains("blocked", "0xc0000022"));
  }

  @Test
  void creatorThatIsAlsoTheParentDoesNotAlert() {
    assertThat(evaluate(events.create(10, CMD, EXPLORER, chain(EXPLORER)))).isEmpty();
  }

  @Test
  void uacElevationByAppinfoSvchostWithExplorerAsParentDoesNotAlert() {
    assertThat(evaluate(events.spoofedCreate(10, CMD, EXPLORER, APPINFO, "HIGH", chain(EXPLORER))))
        .isEmpty();
  }

  @Test
  void svchostOutsideSystem32IsNoBroker() {
    Proc fake = proc(51, 6100, "C:\\Users\\Public\\svchost.exe");
    assertThat(evaluate(events.spoofedCreate(10, CMD, EXPLORER, fake, "HIGH")))
        .extracting(HostRuleFixtures::ruleId)
        .containsExactly("psfleet-003");
  }

  @Test
  void processesCreatedBySystemDoNotAlert() {
    Proc system = proc(1, 4, "System");
    Proc smss = proc(2, 340, SYSTEM32 + "smss.exe");
    Proc idle = proc(3, 0, "Idle");
    assertThat(evaluate(events.spoofedCreate(1, smss, idle, system, "SYSTEM"))).isEmpty();
  }
}
