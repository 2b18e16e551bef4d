package io.psfleet.jobs.sigma;

import java.util.List;

/**
 * One version of the Sigma rule set the job runs: what the rules topic delivers and what broadcast
 * state keeps, so that a restore from a savepoint runs the set the job ran.
 *
 * <p>Versions: {@value #STARTED_WITH} is the set the job was started with ({@code --rules}); a set
 * pushed to the rules topic ({@code rules push}) has its record's offset + 1, so versions only grow
 * and every push has its own.
 *
 * @param version the set's version
 * @param files the rule files' texts (arrays, not lists: Flink keeps the record as a POJO)
 * @param unreadable why the rules topic's record is no rule set, or null: such a version is refused
 *     and the job keeps the set it runs
 */
public record RuleSetVersion(long version, SigmaRuleText[] files, String unreadable) {
  /** The version of the rules a job was started with. */
  public static final long STARTED_WITH = 0;

  /** The set a job was started with. */
  public static RuleSetVersion startedWith(SigmaRules rules) {
    return new RuleSetVersion(STARTED_WITH, rules.files().toArray(SigmaRuleText[]::new), null);
  }

  /** A record of the rules topic that holds no rule set, and why. */
  public static RuleSetVersion unreadable(long version, String why) {
    return new RuleSetVersion(version, new SigmaRuleText[0], why);
  }

  public SigmaRules rules() {
    return SigmaRules.of(List.of(files));
  }
}
