package io.psfleet.jobs.alert;

/**
 * The rules of psfleet's Sigma pack ({@code rules/}) that raise alerts, each mapped to one MITRE
 * ATT&CK technique, as reports, {@code psfleet alerts --rule} and alerts of format version 1 (when
 * they were Java classes) name them. The id is the pack rule's Sigma {@code id} and what the alert
 * feed calls the rule (OCSF {@code finding_info.analytic.uid}); the detection itself is the pack's
 * (a test checks that titles and techniques agree with it).
 */
public enum Rule {
  DLL_INJECTION(
      "psfleet-001",
      "Remote thread followed by a DLL load in its target (classic DLL injection)",
      "T1055.001",
      "Process Injection: Dynamic-link Library Injection",
      "TA0005",
      "Defense Evasion",
      4),
  SENSITIVE_PROCESS_MODULE(
      "psfleet-002",
      "Unsigned or unusually located module loaded into a sensitive process",
      "T1547.005",
      "Boot or Logon Autostart Execution: Security Support Provider",
      "TA0003",
      "Persistence",
      4),
  PPID_SPOOFING(
      "psfleet-003",
      "Reported parent differs from the real creator (parent PID spoofing)",
      "T1134.004",
      "Access Token Manipulation: Parent PID Spoofing",
      "TA0005",
      "Defense Evasion",
      3),
  SUSPICIOUS_LINEAGE(
      "psfleet-004",
      "Office or browser descendant starts a script host or LOLBin",
      "T1204.002",
      "User Execution: Malicious File",
      "TA0002",
      "Execution",
      4),
  SEARCH_ORDER_HIJACK(
      "psfleet-005",
      "System DLL name loaded from outside the system directories (search-order hijack)",
      "T1574.002",
      "Hijack Execution Flow: DLL Side-Loading",
      "TA0003",
      "Persistence",
      3),
  FLEET_RARE_MODULE(
      "psfleet-006",
      "Rare unsigned module from a user-writable folder appears on many hosts",
      "T1570",
      "Lateral Tool Transfer",
      "TA0008",
      "Lateral Movement",
      4);

  private final String id;
  private final String title;
  private final String technique;
  private final String techniqueName;
  private final String tacticId;
  private final String tactic;
  private final int severityId;
  private final Analytic analytic;

  Rule(
      String id,
      String title,
      String technique,
      String techniqueName,
      String tacticId,
      String tactic,
      int severityId) {
    this.id = id;
    this.title = title;
    this.technique = technique;
    this.techniqueName = techniqueName;
    this.tacticId = tacticId;
    this.tactic = tactic;
    this.severityId = severityId;
    this.analytic =
        new Analytic(
            id,
            name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
            title,
            technique,
            techniqueName,
            null,
            tacticId,
            tactic,
            severityId,
            null,
            null,
            Analytic.BUILT_IN);
  }

  /** This rule as alerts carry it. */
  public Analytic analytic() {
    return analytic;
  }

  /** The rule of {@code id} ({@code psfleet-001}), or null. */
  public static Rule ofId(String id) {
    for (Rule r : values()) {
      if (r.id.equals(id)) {
        return r;
      }
    }
    return null;
  }

  public String id() {
    return id;
  }

  public String title() {
    return title;
  }

  public String technique() {
    return technique;
  }

  public String techniqueName() {
    return techniqueName;
  }

  public String tacticId() {
    return tacticId;
  }

  public String tactic() {
    return tactic;
  }

  /** OCSF severity_id: 3 Medium, 4 High. */
  public int severityId() {
    return severityId;
  }
}
