package io.psfleet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.ModuleRef;
import io.psfleet.jobs.alert.OcsfDetectionFinding;
import io.psfleet.jobs.alert.ProcessRef;
import io.psfleet.jobs.alert.Rule;
import io.psfleet.jobs.lineage.Ancestor;
import java.nio.charset.StandardCharsets;

/**
 * Findings as the detection job writes them ({@link OcsfDetectionFinding}, so valid OCSF), one
 * broken record and one finding that is not valid OCSF, for tests of the alert feed's readers.
 */
final class AlertFindings {
  /** 2026-11-24T08:00:00Z in nanoseconds. */
  static final long START = 1_795_507_200_000_000_000L;

  static final Ancestor EXPLORER =
      new Ancestor(0x14, 3000, "C:\\Windows\\explorer.exe", "\"C:\\Windows\\explorer.exe\"", false);
  static final Ancestor UNSEEN = new Ancestor(0x9, 4, null, null, true);

  private AlertFindings() {}

  /**
   * A finding of {@code rule} on {@code host}, {@code seconds} after {@link #START}; for the fleet
   * rule, {@code campaign} lists the other hosts involved.
   */
  static Alert alert(Rule rule, String host, int seconds, String... campaign) {
    String[] evidence = {host + ":7e57:" + (seconds * 2), host + ":7e57:" + (seconds * 2 + 1)};
    ProcessRef notepad =
        new ProcessRef(
            0x15 + seconds,
            3100 + seconds,
            "C:\\Windows\\System32\\notepad.exe",
            "notepad.exe",
            "CORP\\alice",
            new Ancestor[] {EXPLORER, UNSEEN});
    ProcessRef dropper =
        new ProcessRef(
            0x33,
            5100,
            "C:\\Users\\alice\\Downloads\\Invoice_2026-11.exe",
            null,
            null,
            new Ancestor[] {EXPLORER});
    ModuleRef module =
        new ModuleRef(
            "C:\\Users\\alice\\AppData\\Local\\Temp\\msvcupd64.dll",
            "7c4400a0f7a28495ad34c4d08a6a9f44b57e884457c663184c6ce0ba5adad889",
            false,
            null,
            rule == Rule.FLEET_RARE_MODULE ? campaign.length + 1 : 0);
    String[] hosts = new String[campaign.length + 1];
    hosts[0] = host;
    System.arraycopy(campaign, 0, hosts, 1, campaign.length);
    return new Alert(
        Alert.uidOf(rule, evidence),
        rule,
        host,
        START + seconds * 1_000_000_000L + 4_000_000L,
        notepad,
        dropper,
        module,
        hosts,
        evidence,
        "invoice_2026-11.exe (pid 5100) did " + rule.id() + " to notepad.exe on " + host);
  }

  static byte[] json(Alert alert) {
    return OcsfDetectionFinding.toJsonBytes(alert);
  }

  /** A finding that reads but is not valid OCSF 1.3: the OS as a string (as version 1 had it). */
  static byte[] invalid(Alert alert) {
    ObjectNode f = OcsfDetectionFinding.toJson(alert);
    ((ObjectNode) f.path("device")).put("os", "Windows");
    f.put("severity_id", 42);
    return f.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] broken() {
    return "{\"class_uid\": 2004, \"message\": \"cut off her".getBytes(StandardCharsets.UTF_8);
  }
}
