package io.psfleet.jobs.alert;

import static io.psfleet.jobs.detect.TestEvents.KERNEL32;
import static io.psfleet.jobs.detect.TestEvents.SYSTEM32;
import static io.psfleet.jobs.detect.TestEvents.chain;
import static io.psfleet.jobs.detect.TestEvents.proc;

import io.psfleet.jobs.correlation.PackRun;
import io.psfleet.jobs.detect.TestEvents;
import io.psfleet.jobs.detect.TestEvents.Proc;
import io.psfleet.jobs.lineage.Ancestor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One alert of every rule of psfleet's pack ({@link Rule} names them), each raised by the pack
 * through the Sigma engine and its correlation operators from test events (not built by hand), so
 * the encoder is checked on the shapes the job really produces: placeholders and processes without
 * image or command line in the ancestry, actors with and without ancestry, signed and unsigned
 * modules, several hosts.
 */
final class RuleAlerts {
  static final Proc EXPLORER = proc(20, 3000, "C:\\Windows\\explorer.exe");
  static final Proc NOTEPAD = proc(21, 3100, SYSTEM32 + "notepad.exe");
  static final Proc WORD =
      proc(30, 4100, "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE");
  static final Proc CMD = proc(40, 5000, SYSTEM32 + "cmd.exe");
  static final Proc POWERSHELL =
      proc(41, 5004, SYSTEM32 + "WindowsPowerShell\\v1.0\\powershell.exe");
  static final Proc RUNDLL32 = proc(42, 5008, SYSTEM32 + "rundll32.exe");
  static final Proc LSASS = proc(13, 700, SYSTEM32 + "lsass.exe");
  static final Proc WININIT = proc(11, 560, SYSTEM32 + "wininit.exe");
  static final Proc SPOOFER = proc(50, 6000, "C:\\Users\\alice\\Downloads\\setup_patch.exe");
  static final Proc DROPPER = proc(51, 5100, "C:\\Users\\alice\\Downloads\\Invoice_2026-11.exe");
  static final Proc UPDATER =
      proc(60, 7000, "C:\\Users\\Public\\Documents\\OneDrive\\OneDriveStandaloneUpdater.exe");

  /** An ancestor the sensor never saw start: no image, no command line. */
  static final Ancestor UNSEEN = new Ancestor(0x9, 4, null, null, true);

  private RuleAlerts() {}

  static Map<Rule, Alert> oneOfEach() {
    try (PackRun pack = new PackRun()) {
      TestEvents events = new TestEvents("host-000001");
      pack.send(
          events.load(10, LSASS, "C:\\ProgramData\\ssp\\kerbhelper.dll", null, chain(WININIT)));
      pack.send(
          events.spoofedCreate(20, CMD, EXPLORER, SPOOFER, "MEDIUM", EXPLORER.ancestor(), UNSEEN));
      pack.send(events.create(30, POWERSHELL, CMD, chain(CMD, WORD, EXPLORER)));
      pack.send(
          events.load(
              40,
              UPDATER,
              "C:\\Users\\Public\\Documents\\OneDrive\\version.dll",
              "Unknown Publisher Ltd",
              chain(EXPLORER)));
      pack.send(
          events.load(41, UPDATER, "C:\\Users\\Public\\Documents\\OneDrive\\version.dll", null));
      pack.send(
          TestEvents.withAncestries(
              events.thread(50, DROPPER, NOTEPAD, KERNEL32, "LoadLibraryW"),
              new Ancestor[] {EXPLORER.ancestor(), UNSEEN},
              chain(EXPLORER)));
      pack.send(
          events.load(
              50.004,
              NOTEPAD,
              "C:\\Users\\alice\\AppData\\Local\\Temp\\msvcupd64.dll",
              null,
              EXPLORER.ancestor(),
              UNSEEN));
      for (int host = 1; host <= 5; host++) {
        pack.send(
            new TestEvents(String.format("host-%06d", host))
                .load(60 + host * 30, RUNDLL32, "C:\\ProgramData\\DeviceSync\\dsync64.dll", null));
      }
      pack.watermark(1000);
      Map<Rule, Alert> alerts = new EnumMap<>(Rule.class);
      List<Alert> all = new ArrayList<>(pack.singleEventAlerts);
      all.addAll(pack.hostAlerts());
      all.addAll(pack.fleetAlerts());
      for (Alert a : all) {
        Rule rule = Rule.ofId(a.analytic().id());
        if (rule != null) {
          alerts.putIfAbsent(rule, a);
        }
      }
      if (alerts.size() != Rule.values().length) {
        throw new IllegalStateException(
            "the fixtures no longer raise every rule: " + alerts.keySet());
      }
      return alerts;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
