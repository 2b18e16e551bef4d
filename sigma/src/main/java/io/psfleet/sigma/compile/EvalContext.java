package io.psfleet.sigma.compile;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * What a compiled rule reads from the event being matched. Implemented by the per-thread matcher,
 * which caches each field's value and its lower-cased copy for the duration of one event.
 */
public interface EvalContext {
  /** The field's text, or null where the event does not have it. */
  String raw(int fieldId);

  /** Whether the event has the field ({@link #raw} would not be null), maybe without its text. */
  boolean present(int fieldId);

  /** The field's text lower-cased char by char (valid up to {@link #lowerLength}); may be null. */
  char[] lower(int fieldId);

  /** Length of {@link #lower}, or -1 where the field is absent. */
  int lowerLength(int fieldId);

  /** Number of values of the event, for keyword searches. */
  int valueCount();

  /** The i-th value of the event (any field). */
  String value(int index);

  /** The i-th value lower-cased char by char (valid up to {@link #valueLowerLength}). */
  char[] valueLower(int index);

  int valueLowerLength(int index);

  /** A reusable matcher for regex slot {@code slot}, reset to {@code input}. */
  Matcher regex(int slot, Pattern pattern, CharSequence input);
}
