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
    String message) {

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
        message);
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
