package io.psfleet.jobs.detect;

import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.chain;
import static io.psfleet.jobs.detect.TestEvents.millis;
import static io.psfleet.jobs.detect.TestEvents.proc;
import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.lineage.InlineDecodeFunction;
import io.psfleet.jobs.lineage.LineageFunction;
import io.psfleet.jobs.sigma.RuleSetVersion;
import io.psfleet.jobs.sigma.SigmaFunction;
import io.psfleet.jobs.sigma.SigmaRules;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class PackRulesFunctionTest {
  static final Proc EXPLORER = proc(20, 3000, "C:\\Windows\\explorer.exe");
  static final Proc WORD =
      proc(30, 4100, "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE");
  static final Proc POWERSHELL =
      proc(41, 5004, SYSTEM32 + "WindowsPowerShell\\v1.0\\powershell.exe");
  static final Proc WORDS_POWERSHELL =
      proc(42, 5008, SYSTEM32 + "WindowsPowerShell\\v1.0\\powershell.exe");
  static final Proc LSASS = proc(13, 700, SYSTEM32 + "lsass.exe");

  @Test
  void thePacksSingleEventHitsLeaveTheDetectionOperatorAndBenignEventsPassSilently()
      throws Exception {
    TestEvents events = new TestEvents("host-000001");
    EnrichedEvent[] input = {
      events.create(1, POWERSHELL, EXPLORER, chain(EXPLORER)),
      events.create(2, WORDS_POWERSHELL, WORD, chain(WORD, EXPLORER)),
      events.load(3, LSASS, SYSTEM32 + "msv1_0.dll", TestEvents.MICROSOFT),
      events.load(4, LSASS, "C:\\Windows\\Temp\\kerbhelper.dll", null),
      events.exit(5, POWERSHELL)
    };
    // Lineage rebuilds each event's ancestry from the ones before it, then the pack judges it.
    try (KeyedTwoInputStreamOperatorTestHarness<String, Telemetry, RuleSetVersion, Alert> harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new CoBroadcastWithKeyedOperator<>(
                new LineageFunction<>(
                    8,
                    Duration.ofMinutes(10),
                    1_000_000L,
                    10_000,
                    InlineDecodeFunction.decoded(),
                    new SigmaFunction(SigmaRules.defaultPack())),
                List.of(SigmaFunction.RULE_SET)),
            Telemetry::hostId,
            version -> "",
            Types.STRING)) {
      harness.open();
      for (EnrichedEvent e : input) {
        harness.processElement1(e.event(), millis(e.event().timeNanos()));
      }

      assertThat(harness.extractOutputValues())
          .extracting(a -> a.analytic().id())
          .containsExactly("psfleet-004", "psfleet-002");
    }
  }
}
