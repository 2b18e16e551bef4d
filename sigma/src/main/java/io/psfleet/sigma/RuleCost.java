package io.psfleet.sigma;

/**
 * Sampled cost of one rule on one matcher: every evaluation is counted, one in N is timed.
 *
 * @param evaluations full evaluations (the prefilter let the rule through)
 * @param matches evaluations that matched
 * @param sampledEvaluations evaluations that were timed
 * @param sampledNanos total nanoseconds of the timed evaluations
 */
public record RuleCost(
    SigmaRule rule, long evaluations, long matches, long sampledEvaluations, long sampledNanos) {
  /** Mean nanoseconds per evaluation, from the samples (0 without samples). */
  public double meanNanos() {
    return sampledEvaluations == 0 ? 0 : (double) sampledNanos / sampledEvaluations;
  }

  /** Estimated total nanoseconds spent in this rule: mean times evaluations. */
  public double estimatedNanos() {
    return meanNanos() * evaluations;
  }
}
