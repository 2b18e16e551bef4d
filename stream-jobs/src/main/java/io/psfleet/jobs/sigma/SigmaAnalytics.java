package io.psfleet.jobs.sigma;

import io.psfleet.jobs.alert.Analytic;
import io.psfleet.sigma.SigmaRule;
import java.util.List;
import java.util.Map;

/** A Sigma rule as alerts carry it: id, title, level, ATT&CK from its tags, notes. */
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
    List<String> techniques = rule.techniques();
    String[] tactic = rule.tactics().isEmpty() ? null : TACTICS.get(rule.tactics().get(0));
    return new Analytic(
        rule.key(),
        rule.title(),
        rule.title(),
        techniques.isEmpty() ? null : techniques.get(0),
        null,
        techniques.size() > 1
            ? techniques.subList(1, techniques.size()).toArray(new String[0])
            : null,
        tactic == null ? null : tactic[0],
        tactic == null ? null : tactic[1],
        rule.level().severityId(),
        rule.references().toArray(new String[0]),
        rule.falsepositives().toArray(new String[0]),
        Analytic.SIGMA);
  }
}
