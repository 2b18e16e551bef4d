package io.psfleet.sigma.correlation;

/**
 * One correlation group's window: the sightings that may still take part in a match, oldest first.
 * Mutable, changed only by {@link CorrelationEngine}; public fields so Flink keeps it in keyed
 * state as a POJO.
 */
public final class GroupState {
  /** The correlation's key. */
  public String correlation;

  /** The group's values, in the correlation's group-by order. */
  public String[] values;

  /** The sightings in the window, in event-time order (ties by evidence id, then member). */
  public Sighting[] window;

  public GroupState() {}

  GroupState(String correlation, String[] values) {
    this.correlation = correlation;
    this.values = values;
    this.window = CorrelationEngine.NO_SIGHTINGS;
  }
}
