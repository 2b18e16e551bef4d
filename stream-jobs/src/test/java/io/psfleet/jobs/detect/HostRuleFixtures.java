package io.psfleet.jobs.detect;

import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.proc;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.sigma.SigmaDetector;
import io.psfleet.jobs.sigma.SigmaRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Processes and helpers the tests of the pack's single-event rules (psfleet-002 to psfleet-005)
 * share: each event goes through the Sigma engine with psfleet's rule pack, as in the job.
 */
abstract class HostRuleFixtures {
  static final Proc WININIT = proc(11, 560, SYSTEM32 + "wininit.exe");
  static final Proc WINLOGON = proc(12, 620, SYSTEM32 + "winlogon.exe");
  static final Proc LSASS = proc(13, 700, SYSTEM32 + "lsass.exe");
  static final Proc SERVICES = proc(14, 690, SYSTEM32 + "services.exe");
  static final Proc APPINFO = proc(15, 1204, SYSTEM32 + "svchost.exe");
  static final Proc EXPLORER = proc(20, 3000, "C:\\Windows\\explorer.exe");
  static final Proc WORD =
      proc(30, 4100, "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE");
  static final Proc CHROME =
      proc(31, 4200, "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe");
  static final Proc CMD = proc(40, 5000, SYSTEM32 + "cmd.exe");
  static final Proc POWERSHELL =
      proc(41, 5004, SYSTEM32 + "WindowsPowerShell\\v1.0\\powershell.exe");
  static final Proc RUNDLL32 = proc(42, 5008, SYSTEM32 + "rundll32.exe");
  static final Proc SPLWOW64 = proc(43, 5012, "C:\\Windows\\splwow64.exe");
  static final Proc SPOOFER = proc(50, 6000, "C:\\Users\\alice\\Downloads\\setup_patch.exe");

  /** Compiled once: the pack is the same for every test. */
  static final SigmaDetector PACK = new SigmaDetector(SigmaRules.defaultPack());

  final TestEvents events = new TestEvents("host-000001");

  /** The single-event alerts psfleet's rule pack raises on {@code e}. */
  List<Alert> evaluate(EnrichedEvent e) {
    List<Alert> alerts = new ArrayList<>();
    PACK.evaluate(e, alerts::add);
    return alerts;
  }

  static String ruleId(Alert alert) {
    return alert.analytic().id();
  }
}
