package io.psfleet.sigma.correlation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The correlation rules of a rule set, and for each rule (detection or correlation) the
 * correlations its matches feed. Immutable; shared by every thread.
 */
public final class CorrelationSet {
  private final List<CorrelationRule> rules;
  private final Map<String, CorrelationRule> byKey = new HashMap<>();
  private final Map<String, List<Feed>> feeds = new HashMap<>();
  private final Set<String> silent = new HashSet<>();

  CorrelationSet(List<CorrelationRule> rules) {
    this.rules = List.copyOf(rules);
    Map<String, Boolean> generated = new HashMap<>();
    for (CorrelationRule c : rules) {
      byKey.put(c.key(), c);
      for (int m = 0; m < c.members().size(); m++) {
        CorrelationRule.Member member = c.members().get(m);
        feeds
            .computeIfAbsent(member.key(), k -> new ArrayList<>())
            .add(new Feed(c, m, member.groupFields(), member.valueFields()));
        generated.merge(member.key(), c.generate(), Boolean::logicalOr);
      }
    }
    generated.forEach(
        (key, alerts) -> {
          if (!alerts) {
            silent.add(key);
          }
        });
    feeds.replaceAll((k, v) -> List.copyOf(v));
  }

  public List<CorrelationRule> rules() {
    return rules;
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The correlation of this key, or null. */
  public CorrelationRule rule(String key) {
    return byKey.get(key);
  }

  /** The correlations that matches of the rule with this key feed; empty for most rules. */
  public List<Feed> feedsOf(String ruleKey) {
    return feeds.getOrDefault(ruleKey, List.of());
  }

  /**
   * The keys of this set's correlations whose state means nothing under {@code next}: those it
   * lacks, and those it defines with other windows ({@link CorrelationRule#sameWindowsAs}).
   */
  public Set<String> staleUnder(CorrelationSet next) {
    Set<String> stale = new HashSet<>();
    for (CorrelationRule c : rules) {
      if (!c.sameWindowsAs(next.rule(c.key()))) {
        stale.add(c.key());
      }
    }
    return stale;
  }

  /**
   * Whether a match of the rule with this key is an alert of its own: not when a correlation refers
   * to it, unless one of those says {@code generate: true}.
   */
  public boolean alertsAlone(String ruleKey) {
    return !silent.contains(ruleKey);
  }
}
