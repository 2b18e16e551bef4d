package io.psfleet.jobs.io;

import io.psfleet.jobs.event.Telemetry;

/**
 * What the source emits for one Kafka record: the decoded event, or why it could not be taken.
 *
 * @param truncatedFields how many of the event's texts were cut to their {@link FieldBounds}
 */
public record Envelope(Telemetry event, DeadLetter deadLetter, int truncatedFields) {
  public static Envelope of(Telemetry event, int truncatedFields) {
    return new Envelope(event, null, truncatedFields);
  }

  public static Envelope of(DeadLetter deadLetter) {
    return new Envelope(null, deadLetter, 0);
  }
}
