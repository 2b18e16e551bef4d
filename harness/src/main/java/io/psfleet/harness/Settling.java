package io.psfleet.harness;

import io.psfleet.harness.report.GroundTruthJoin;
import java.time.Duration;

/**
 * When a run stops waiting for its last alerts: once every attack it injected has been alerted, or
 * when the settle time is up. After Ctrl-C only what was injected so far can be alerted, and the
 * wait is cut short.
 */
public final class Settling {
  /** The longest an interrupted run waits for the alerts of what it injected. */
  public static final Duration INTERRUPTED_SETTLE = Duration.ofSeconds(15);

  private Settling() {}

  /** How long to wait: {@code settle}, or at most {@link #INTERRUPTED_SETTLE} after Ctrl-C. */
  public static Duration waitFor(Duration settle, boolean interrupted) {
    return interrupted && settle.compareTo(INTERRUPTED_SETTLE) > 0 ? INTERRUPTED_SETTLE : settle;
  }

  /**
   * The attacks the run waits for: every one it planned, or after Ctrl-C those whose ground truth
   * arrived (the rest were never injected).
   */
  public static long attacksExpected(
      GroundTruthJoin.Result partial, long plannedAttacks, boolean interrupted) {
    return interrupted
        ? partial.instances().stream().filter(GroundTruthJoin.Instance::attack).count()
        : plannedAttacks;
  }

  /** Attacks alerted so far. */
  public static long attacksDetected(GroundTruthJoin.Result partial) {
    return partial.instances().stream().filter(i -> i.attack() && i.alerted()).count();
  }

  /** True once nothing more is awaited. */
  public static boolean settled(
      GroundTruthJoin.Result partial, long plannedAttacks, boolean interrupted) {
    return attacksDetected(partial) >= attacksExpected(partial, plannedAttacks, interrupted);
  }
}
