package io.psfleet.agent.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * One recording woven into simulated hosts' streams.
 *
 * @param hostCount how many hosts receive it, picked from the eligible ones by the seed; 0 when
 *     {@code hosts} names them
 * @param hosts which hosts (0-based fleet index) receive it, or null for {@code hostCount} of them
 * @param schedule when it plays on each of them
 * @param technique the ATT&CK technique of its ground truth: given, else its Sigma rule's
 * @param spec the text it was given as, for messages and for passing it on to simulator shards
 */
public record Transplant(
    Recording recording,
    int hostCount,
    IntPredicate hosts,
    Schedule schedule,
    String technique,
    RootParent roots,
    String spec) {

  public Transplant {
    Objects.requireNonNull(recording, "recording");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(roots, "roots");
    if ((hosts == null) == (hostCount < 1)) {
      throw new IllegalArgumentException("a transplant names its hosts or how many, not both");
    }
  }

  /** The technique its ground truth records: given, its rule's, or {@code untagged}. */
  public String groundTruthTechnique() {
    if (technique != null) {
      return technique;
    }
    return recording.rule() != null ? recording.rule().technique() : "untagged";
  }

  /**
   * When a transplant plays on each of its hosts: at one time after the start of the run, at one
   * instant, every so often from the start of the scenario window, or (all null) at a time drawn
   * from the seed within the scenario window, as scenarios are.
   */
  public record Schedule(Duration at, Instant atInstant, Duration every) {
    public static final Schedule RANDOM = new Schedule(null, null, null);

    public Schedule {
      int given = (at == null ? 0 : 1) + (atInstant == null ? 0 : 1) + (every == null ? 0 : 1);
      if (given > 1) {
        throw new IllegalArgumentException("at= and every= exclude each other");
      }
      if (every != null && (every.isZero() || every.isNegative())) {
        throw new IllegalArgumentException("every= must be positive, got " + every);
      }
    }
  }
}
