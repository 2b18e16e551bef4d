package io.psfleet.jobs.sigma;

import io.psfleet.jobs.alert.Analytic;
import io.psfleet.sigma.Level;
import io.psfleet.sigma.SigmaRule;
import io.psfleet.sigma.correlation.CorrelationRule;
import java.util.List;
import java.util.Map;

/**
 * A Sigma rule (detection or correlation) as alerts carry it: id, title, level, ATT&CK from its
 * tags, notes.
 */
public final class SigmaAnalytics {
  /** ATT&CK Enterprise tactics by the slug Sigma tags use. */
  private static final Map<String, String[]> TACTICS =
      Map.ofEntries(
          Map.entry("reconnaissance", new String[] {"TA0043", "Reconnaissance"}),
          Map.entry("resource-development", new String[] {"TA0042", "Resource Development"}),
          Map.entry("initial-access", new String[] {"TA0001", "Initial Access"}),
          Map.entry("execution", new String[] {"TA0002", "Execution"}),
          Map.entry("persistence", new String[] {"TA0003", "Persistence"}),
          Map.entry("privilege-escalation", new String[] {"TA0004", "Privilege Escalation"}),
          Map.entry("defense-evasion", new String[] {"TA0005", "Defense Evasion"}),
          Map.entry("credential-access", new String[] {"TA0006", "Credential Access"}),
          Map.entry("discovery", new String[] {"TA0007", "Discovery"}),
          Map.entry("lateral-movement", new String[] {"TA0008", "Lateral Movement"}),
          Map.entry("collection", new String[] {"TA0009", "Collection"}),
          Map.entry("command-and-control", new String[] {"TA0011", "Command and Control"}),
          Map.entry("exfiltration", new String[] {"TA0010", "Exfiltration"}),
          Map.entry("impact", new String[] {"TA0040", "Impact"}));

  private SigmaAnalytics() {}

  /**
   * The analytic of {@code rule}: its first technique tag is the technique, the others follow; its
   * first tactic tag is the tactic. Technique names stay unknown: Sigma tags carry only ids.
   */
  public static Analytic of(SigmaRule rule) {
    return of(
        rule.key(),
        rule.title(),
        rule.techniques(),
        rule.tactics(),
        rule.level(),
        rule.references(),
        rule.falsepositives());
  }

  /** The analytic of a correlation rule, read from its own metadata as for a detection rule. */
  public static Analytic of(CorrelationRule rule) {
    return of(
        rule.key(),
        rule.title(),
        rule.techniques(),
        rule.tactics(),
        rule.level(),
        rule.references(),
        rule.falsepositives());
  }

  private static Analytic of(
      String key,
      String title,
      List<String> techniques,
      List<String> tactics,
      Level level,
      List<String> references,
      List<String> falsepositives) {
    String[] tactic = tactics.isEmpty() ? null : TACTICS.get(tactics.get(0));
    return new Analytic(
        key,
        title,
        title,
        techniques.isEmpty() ? null : techniques.get(0),
        null,
        techniques.size() > 1
            ? techniques.subList(1, techniques.size()).toArray(new String[0])
            : null,
        tactic == null ? null : tactic[0],
        tactic == null ? null : tactic[1],
        level.severityId(),
        references.toArray(new String[0]),
        falsepositives.toArray(new String[0]),
        Analytic.SIGMA);
  }
}
