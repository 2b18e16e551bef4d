package io.psfleet.jobs.alert;

import java.nio.charset.StandardCharsets;

/**
 * A detection, before it becomes an OCSF Detection Finding on the alerts topic.
 *
 * @param uid stable for the same detection of the same events, so a replay produces the same id
 * @param analytic the rule that raised it: a built-in {@link Rule} or a Sigma rule
 * @param hostId the host, or for a fleet rule the host whose event completed the detection
 * @param timeNanos event time of the event that completed the detection
 * @param process the process the finding is about (the injection target, the new process, the
 *     process that loaded the module)
 * @param actor the process that acted on it (the injector, the real creator), or null
 * @param module the module involved, or null
 * @param hosts for a fleet rule, every host involved
 * @param evidenceEventIds ids ({@code host:boot:sequence}) of the events that made the detection
 * @param ruleSetVersion the version of the Sigma rule set whose rule raised it ({@code
 *     RuleSetVersion}: 0 for the rules the job started with, then each push's), or {@link
 *     #NO_RULE_SET} for an alert made outside any rule set
 */
public record Alert(
    String uid,
    Analytic analytic,
    String hostId,
    long timeNanos,
    ProcessRef process,
    ProcessRef actor,
    ModuleRef module,
    String[] hosts,
    String[] evidenceEventIds,
    String message,
    long ruleSetVersion) {

  /** The {@link #ruleSetVersion} of an alert made outside any rule set (tests, older findings). */
  public static final long NO_RULE_SET = -1;

  /** An alert of a built-in rule. */
  public Alert(
      String uid,
      Rule rule,
      String hostId,
      long timeNanos,
      ProcessRef process,
      ProcessRef actor,
      ModuleRef module,
      String[] hosts,
      String[] evidenceEventIds,
      String message) {
    this(
        uid,
        rule.analytic(),
        hostId,
        timeNanos,
        process,
        actor,
        module,
        hosts,
        evidenceEventIds,
        message,
        NO_RULE_SET);
  }

  /** An alert of a built-in rule's analytic, outside any rule set. */
  public Alert(
      String uid,
      Analytic analytic,
      String hostId,
      long timeNanos,
      ProcessRef process,
      ProcessRef actor,
      ModuleRef module,
      String[] hosts,
      String[] evidenceEventIds,
      String message) {
    this(
        uid,
        analytic,
        hostId,
        timeNanos,
        process,
        actor,
        module,
        hosts,
        evidenceEventIds,
        message,
        NO_RULE_SET);
  }

  /** The built-in rule that raised this alert, or null for a Sigma rule. */
  public Rule rule() {
    return analytic.builtIn();
  }

  /** A uid from the rule and the events that made the detection. */
  public static String uidOf(Rule rule, String... evidenceEventIds) {
    return uidOfId(rule.id(), evidenceEventIds);
  }

  /** A uid from the rule (built-in or Sigma) and the events that made the detection. */
  public static String uidOf(Analytic analytic, String... evidenceEventIds) {
    return uidOfId(analytic.id(), evidenceEventIds);
  }

  private static String uidOfId(String ruleId, String... evidenceEventIds) {
    long h = 0xcbf29ce484222325L;
    for (byte b : ruleId.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    for (String id : evidenceEventIds) {
      for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
        h = (h ^ (b & 0xff)) * 0x100000001b3L;
      }
      h = (h ^ '|') * 0x100000001b3L;
    }
    return ruleId + "-" + Long.toHexString(h);
  }
}
