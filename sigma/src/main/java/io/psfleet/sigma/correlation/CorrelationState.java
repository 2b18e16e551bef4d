package io.psfleet.sigma.correlation;

/**
 * The correlation state of one key (a host, or a fleet-wide group's values): the observations that
 * wait for the watermark and the groups' windows. Mutable, changed only by {@link
 * CorrelationEngine}; public fields so Flink keeps it in keyed state as a POJO.
 */
public final class CorrelationState {
  /** Observations not yet behind the watermark, in event-time order. */
  public Observation[] pending = CorrelationEngine.NO_OBSERVATIONS;

  /** The groups with sightings in their window. */
  public GroupState[] groups = CorrelationEngine.NO_GROUPS;

  public CorrelationState() {}

  /** Nothing pending, no window holds anything: the key's state can go. */
  public boolean isEmpty() {
    return pending.length == 0 && groups.length == 0;
  }

  /** Sightings held, pending ones included (for state-size figures and tests). */
  public int sightings() {
    int n = pending.length;
    for (GroupState g : groups) {
      n += g.window.length;
    }
    return n;
  }
}
