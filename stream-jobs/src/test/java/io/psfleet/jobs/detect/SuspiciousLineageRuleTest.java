package io.psfleet.jobs.detect;

import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.chain;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.jobs.lineage.EnrichedEvent;
import org.junit.jupiter.api.Test;

class SuspiciousLineageRuleTest extends HostRuleFixtures {
  @Test
  void powershellBelowWordThroughCmdRaisesLineageAlertWithItsWholeAncestry() {
    EnrichedEvent create = events.create(10, POWERSHELL, CMD, chain(CMD, WORD, EXPLORER));

    assertThat(evaluate(create))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(ruleId(a)).isEqualTo("psfleet-004");
              assertThat(a.analytic().technique()).isEqualTo("T1204.002");
              assertThat(a.analytic().tacticId()).isEqualTo("TA0002");
              assertThat(a.analytic().severityId()).isEqualTo(4);
              assertThat(a.process().key()).isEqualTo(POWERSHELL.key());
              assertThat(a.process().ancestry())
                  .extracting(x -> x.key())
                  .containsExactly(CMD.key(), WORD.key(), EXPLORER.key());
              // The actor is the parent that started it, with the rest of the chain above it.
              assertThat(a.actor().key()).isEqualTo(CMD.key());
              assertThat(a.actor().ancestry())
                  .extracting(x -> x.key())
                  .containsExactly(WORD.key(), EXPLORER.key());
              assertThat(a.evidenceEventIds()).containsExactly(create.event().eventId());
              assertThat(a.message()).contains("powershell.exe");
            });
  }

  @Test
  void rundll32ThreeLevelsBelowExcelAlerts() {
    Proc excel = proc(32, 4300, "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE");
    assertThat(
            evaluate(
                events.create(10, RUNDLL32, POWERSHELL, chain(POWERSHELL, CMD, excel, EXPLORER))))
        .extracting(HostRuleFixtures::ruleId)
        .containsExactly("psfleet-004");
  }

  @Test
  void cmdStartedByChromeAlerts() {
    assertThat(evaluate(events.create(10, CMD, CHROME, chain(CHROME, EXPLORER))))
        .extracting(HostRuleFixtures::ruleId)
        .containsExactly("psfleet-004");
  }

  @Test
  void adminPowershellFromExplorerDoesNotAlert() {
    Proc userinit = proc(16, 2900, SYSTEM32 + "userinit.exe");
    assertThat(
            evaluate(events.create(10, POWERSHELL, EXPLORER, chain(EXPLORER, userinit, WINLOGON))))
        .isEmpty();
  }

  @Test
  void wordPrintingThroughSplwow64DoesNotAlert() {
    assertThat(evaluate(events.create(10, SPLWOW64, WORD, chain(WORD, EXPLORER)))).isEmpty();
  }

  @Test
  void officeBelowTheScriptHostDoesNotCount() {
    assertThat(evaluate(events.create(10, CMD, EXPLORER, chain(EXPLORER)))).isEmpty();
  }

  @Test
  void placeholderAncestorsAreMatchedByImageToo() {
    Ancestor placeholder = new Ancestor(WORD.key(), WORD.pid(), WORD.image(), null, true);
    assertThat(evaluate(events.create(10, CMD, WORD, new Ancestor[] {placeholder})))
        .extracting(HostRuleFixtures::ruleId)
        .containsExactly("psfleet-004");
  }
}
