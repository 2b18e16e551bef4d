package io.psfleet.harness;

import io.psfleet.harness.report.GroundTruthJoin;
import java.time.Duration;

/**
 * When a run stops waiting for its last alerts: once every attack it injected has been alerted, or
 * when the settle time is up, counted from when the job caught up with the telemetry ({@link
 * Deadline}). After Ctrl-C only what was injected so far can be alerted, and the wait is cut short.
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

  /**
   * The end of a run's settle time, for a job that may still be reading the telemetry when the
   * simulator is done (a busy machine, a fleet flat out): the settle time counts from the moment
   * the job caught up, and waiting goes on as long as the job's lag shrinks; a job whose lag stops
   * shrinking for a whole settle time is waited for no longer.
   */
  public static final class Deadline {
    private final long settleNanos;
    private long deadlineNanos;
    private long leastLag = Long.MAX_VALUE;

    public Deadline(Duration settle, long nowNanos) {
      this.settleNanos = settle.toNanos();
      this.deadlineNanos = nowNanos + settleNanos;
    }

    /**
     * Notes the job's lag at {@code nowNanos} (records it has yet to read; negative when unknown,
     * which extends nothing); true while the run should go on waiting.
     */
    public boolean waiting(long lag, long nowNanos) {
      if (lag >= 0 && lag < leastLag) {
        leastLag = lag;
        deadlineNanos = Math.max(deadlineNanos, nowNanos + settleNanos);
      }
      return nowNanos - deadlineNanos < 0;
    }
  }
}
