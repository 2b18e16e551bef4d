package io.psfleet.jobs.detect;

import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.chain;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Rule;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.jobs.lineage.EnrichedEvent;
import org.junit.jupiter.api.Test;

class SuspiciousLineageRuleTest extends HostRuleFixtures {
  @Test
  void powershellBelowWordThroughCmdRaisesLineageAlertWithWordAsActor() {
    EnrichedEvent create = events.create(10, POWERSHELL, CMD, chain(CMD, WORD, EXPLORER));

    assertThat(evaluate(create))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.rule()).isEqualTo(Rule.SUSPICIOUS_LINEAGE);
              assertThat(a.process().key()).isEqualTo(POWERSHELL.key());
              assertThat(a.process().ancestry()).hasSize(3);
              assertThat(a.actor().key()).isEqualTo(WORD.key());
              assertThat(a.actor().ancestry())
                  .extracting(x -> x.key())
                  .containsExactly(EXPLORER.key());
              assertThat(a.message()).contains("winword.exe > cmd.exe > powershell.exe");
            });
  }

  @Test
  void rundll32ThreeLevelsBelowExcelAlerts() {
    Proc excel = proc(32, 4300, "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE");
    assertThat(
            evaluate(
                events.create(10, RUNDLL32, POWERSHELL, chain(POWERSHELL, CMD, excel, EXPLORER))))
        .extracting(Alert::rule)
        .containsExactly(Rule.SUSPICIOUS_LINEAGE);
  }

  @Test
  void cmdStartedByChromeAlerts() {
    assertThat(evaluate(events.create(10, CMD, CHROME, chain(CHROME, EXPLORER))))
        .extracting(Alert::rule)
        .containsExactly(Rule.SUSPICIOUS_LINEAGE);
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
        .extracting(Alert::rule)
        .containsExactly(Rule.SUSPICIOUS_LINEAGE);
  }
}
