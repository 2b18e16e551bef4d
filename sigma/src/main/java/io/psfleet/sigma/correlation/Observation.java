package io.psfleet.sigma.correlation;

/**
 * A sighting on its way to its correlation group: the correlation's key and the group's values (in
 * the correlation's group-by order).
 */
public record Observation(String correlation, String[] groupValues, Sighting sighting) {
  /** Joins values in keys; a control character no field value of a Windows event holds. */
  public static final char SEPARATOR = '\u001f';

  /** The group's values joined: the key of a fleet-wide correlation's state. */
  public String valuesKey() {
    StringBuilder b = new StringBuilder();
    for (String v : groupValues) {
      b.append(v).append(SEPARATOR);
    }
    return b.toString();
  }
}
