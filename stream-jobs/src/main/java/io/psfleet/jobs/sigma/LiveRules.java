package io.psfleet.jobs.sigma;

/**
 * Whether an operator takes a rule set version it is given, the same for the Sigma operator and the
 * correlation operators so that they never disagree on the set they run.
 */
public final class LiveRules {
  private LiveRules() {}

  /**
   * Null when {@code next} replaces the set of version {@code current}; else why not: it holds no
   * rule set, or it is not newer (the rules topic read again, as after a restore that rewound it).
   */
  public static String refusal(long current, RuleSetVersion next) {
    if (next.unreadable() != null) {
      return "version " + next.version() + " is no rule set: " + next.unreadable();
    }
    if (next.version() <= current) {
      return "version "
          + next.version()
          + " is not newer than the version the job runs ("
          + current
          + ")";
    }
    return null;
  }
}
