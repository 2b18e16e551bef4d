package io.psfleet.jobs.io;

/**
 * What the source emits for one Kafka record: the record, read as far as its header, or why it
 * could not be taken.
 *
 * @param eventMillis the event time the record's header gives (ms), for the watermarks
 */
public record Envelope(RawTelemetry record, long eventMillis, DeadLetter deadLetter) {
  public static Envelope of(RawTelemetry record, long eventMillis) {
    return new Envelope(record, eventMillis, null);
  }

  public static Envelope of(DeadLetter deadLetter) {
    return new Envelope(null, 0, deadLetter);
  }
}
