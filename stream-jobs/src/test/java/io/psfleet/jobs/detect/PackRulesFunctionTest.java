package io.psfleet.jobs.detect;

import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.chain;
import static io.psfleet.jobs.detect.TestEvents.millis;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.sigma.RuleSetVersion;
import io.psfleet.jobs.sigma.SigmaFunction;
import io.psfleet.jobs.sigma.SigmaRules;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class PackRulesFunctionTest {
  static final Proc EXPLORER = proc(20, 3000, "C:\\Windows\\explorer.exe");
  static final Proc WORD =
      proc(30, 4100, "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE");
  static final Proc POWERSHELL =
      proc(41, 5004, SYSTEM32 + "WindowsPowerShell\\v1.0\\powershell.exe");
  static final Proc LSASS = proc(13, 700, SYSTEM32 + "lsass.exe");

  @Test
  void thePacksSingleEventHitsLeaveTheSigmaOperatorAndBenignEventsPassSilently() throws Exception {
    TestEvents events = new TestEvents("host-000001");
    EnrichedEvent[] input = {
      events.create(1, POWERSHELL, EXPLORER, chain(EXPLORER)),
      events.create(2, POWERSHELL, WORD, chain(WORD, EXPLORER)),
      events.load(3, LSASS, SYSTEM32 + "msv1_0.dll", TestEvents.MICROSOFT),
      events.load(4, LSASS, "C:\\Windows\\Temp\\kerbhelper.dll", null),
      events.exit(5, POWERSHELL)
    };
    try (BroadcastOperatorTestHarness<EnrichedEvent, RuleSetVersion, Alert> harness =
        ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
            new SigmaFunction(SigmaRules.defaultPack()), SigmaFunction.RULE_SET)) {
      for (EnrichedEvent e : input) {
        harness.processElement(e, millis(e.event().timeNanos()));
      }

      assertThat(harness.extractOutputValues())
          .extracting(a -> a.analytic().id())
          .containsExactly("psfleet-004", "psfleet-002");
    }
  }
}
