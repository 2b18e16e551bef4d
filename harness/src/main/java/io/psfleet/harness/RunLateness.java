package io.psfleet.harness;

import java.time.Duration;

/**
 * The allowed lateness (event time) the job of a run gets: a run's fleet is sped up, so a stall of
 * a few wall-clock seconds (a broker's failover, a simulator shard spooling while cut off, a busy
 * machine) makes its events late by that many seconds times the speedup. The job's own default
 * speaks of a fleet in real time and would drop them.
 */
public final class RunLateness {
  private RunLateness() {}

  /**
   * The event time that {@code wallStall} of wall-clock time covers at {@code speedup}, capped by
   * the fleet's whole {@code span} (nothing of a run is later than that); the whole span when the
   * fleet runs flat out ({@code speedup} 0), and never less than {@code floor}.
   */
  public static Duration of(double speedup, Duration span, Duration wallStall, Duration floor) {
    Duration covered =
        speedup <= 0
            ? span
            : Duration.ofMillis((long) Math.min(Long.MAX_VALUE, wallStall.toMillis() * speedup));
    Duration capped = covered.compareTo(span) > 0 ? span : covered;
    return capped.compareTo(floor) < 0 ? floor : capped;
  }
}
