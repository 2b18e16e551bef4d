package io.psfleet.schema.codec;

/**
 * A message that {@link SingleObjectCodec} could not turn into a record.
 *
 * <p>Checked on purpose: telemetry comes from a fleet of agents of many versions over a network, so
 * an unreadable message is an expected outcome, not a bug. The compiler makes every caller decide
 * where such a message goes (a dead-letter output, labelled with {@link #reason()}) instead of
 * letting it escape and put a consumer into a crash loop.
 */
public final class DecodeException extends Exception {

  /** What was wrong, coarse enough to count in a metric or route on; the message has the detail. */
  public enum Reason {
    /** Shorter than the 10-byte header, or the body ends before the record or a length does. */
    TRUNCATED,
    /** The first two bytes are not the single-object marker C3 01: not a single-object message. */
    BAD_MARKER,
    /**
     * No writer schema this codec knows has the fingerprint: a newer producer, or another topic.
     */
    UNKNOWN_SCHEMA,
    /** The body does not parse with its writer schema, or bytes follow the complete record. */
    CORRUPT
  }

  private final Reason reason;

  DecodeException(Reason reason, String message) {
    this(reason, message, null);
  }

  DecodeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
