package io.psfleet.sigma.correlation;

import java.util.Locale;

/** The correlation types psfleet runs, by their specification names. */
public enum CorrelationType {
  /** Events of the referenced rules, counted per group in the window. */
  EVENT_COUNT("event_count", true, false),
  /** Distinct values of {@code field} per group in the window. */
  VALUE_COUNT("value_count", true, true),
  /** Every referenced rule (or as many as the condition says) per group in the window. */
  TEMPORAL("temporal", false, false),
  /** Every referenced rule, in the order listed, per group in the window. */
  TEMPORAL_ORDERED("temporal_ordered", false, false),
  /** The sum of the numeric {@code field} per group in the window (2.1). */
  VALUE_SUM("value_sum", true, true),
  /** The average of the numeric {@code field} per group in the window (2.1). */
  VALUE_AVG("value_avg", true, true);

  private final String specName;
  private final boolean needsCondition;
  private final boolean needsField;

  CorrelationType(String specName, boolean needsCondition, boolean needsField) {
    this.specName = specName;
    this.needsCondition = needsCondition;
    this.needsField = needsField;
  }

  public String specName() {
    return specName;
  }

  /** The specification requires a condition for this type. */
  public boolean needsCondition() {
    return needsCondition;
  }

  /** The condition must name a {@code field} for this type. */
  public boolean needsField() {
    return needsField;
  }

  /** Whether the condition compares a count of events, values or rules (not a sum or mean). */
  public boolean counts() {
    return this != VALUE_SUM && this != VALUE_AVG;
  }

  /** The type of this specification name, or null. */
  public static CorrelationType of(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (CorrelationType t : values()) {
      if (t.specName.equals(n)) {
        return t;
      }
    }
    return null;
  }
}
