package io.psfleet.sigma;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ATT&CK ids and tactics read from Sigma {@code tags}, for detection and correlation rules. */
public final class AttackTags {
  private static final Pattern TECHNIQUE = Pattern.compile("attack\\.(t\\d{4}(?:\\.\\d{3})?)");
  private static final Set<String> TACTICS =
      Set.of(
          "reconnaissance",
          "resource-development",
          "initial-access",
          "execution",
          "persistence",
          "privilege-escalation",
          "defense-evasion",
          "credential-access",
          "discovery",
          "lateral-movement",
          "collection",
          "command-and-control",
          "exfiltration",
          "impact");

  private AttackTags() {}

  /** Technique ids from {@code attack.tNNNN(.NNN)} tags, upper-case, in tag order, once each. */
  public static List<String> techniques(List<String> tags) {
    Set<String> out = new LinkedHashSet<>();
    for (String tag : tags) {
      Matcher m = TECHNIQUE.matcher(tag.trim().toLowerCase(Locale.ROOT));
      if (m.matches()) {
        out.add(m.group(1).toUpperCase(Locale.ROOT));
      }
    }
    return List.copyOf(out);
  }

  /** Tactic names from {@code attack.<tactic>} tags ({@code _} read as {@code -}), in tag order. */
  public static List<String> tactics(List<String> tags) {
    Set<String> out = new LinkedHashSet<>();
    for (String tag : tags) {
      String t = tag.trim().toLowerCase(Locale.ROOT);
      if (t.startsWith("attack.")) {
        String name = t.substring("attack.".length()).replace('_', '-');
        if (TACTICS.contains(name)) {
          out.add(name);
        }
      }
    }
    return List.copyOf(out);
  }
}
