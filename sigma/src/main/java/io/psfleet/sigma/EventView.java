package io.psfleet.sigma;

/**
 * One event as the matcher reads it. Field ids come from the rule set's {@link FieldTable}. The
 * matcher asks each field at most once per event and only for fields a candidate rule (or the
 * prefilter) reads. Implementations are typically reusable flyweights reset per event.
 */
public interface EventView {
  /** The text of field {@code fieldId}, or null where the event does not have it. */
  String field(int fieldId);

  /**
   * Whether the event has field {@code fieldId} ({@link #field} would not return null): for {@code
   * |exists}, which a view may answer without rendering the value.
   */
  default boolean has(int fieldId) {
    return field(fieldId) != null;
  }

  /**
   * Number of values of the event for keyword (field-less) searches: every field the event has,
   * including ones no rule names. The default offers none, so keyword rules never match.
   */
  default int valueCount() {
    return 0;
  }

  /** The i-th value for keyword searches, {@code 0 <= i < valueCount()}. */
  default String value(int index) {
    throw new IndexOutOfBoundsException(index);
  }
}
