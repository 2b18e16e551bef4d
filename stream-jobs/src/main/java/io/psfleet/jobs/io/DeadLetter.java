package io.psfleet.jobs.io;

import io.psfleet.jobs.lineage.SequenceAnomaly;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A record the job could not take, for the dead-letter topic: why, where it came from, and its key
 * and value, each cut to a size the dead-letter sink can always write (with their original sizes,
 * so a cut copy says what it was cut from).
 *
 * @param reason TRUNCATED, BAD_MARKER, UNKNOWN_SCHEMA, CORRUPT (the codec's), UNMAPPABLE,
 *     IMPLAUSIBLE (a value no host produces), FUTURE_TIME (event time too far ahead of the Kafka
 *     timestamp), or a sequence anomaly: SEQUENCE_JUMP (passed on), BOOT_REPLAY (dropped)
 * @param partition the source partition, -1 when the letter comes from past the source (a sequence
 *     anomaly), likewise {@code offset}
 * @param keySize the original key's length in bytes, -1 when it had none; likewise {@code
 *     valueSize}
 */
public record DeadLetter(
    String reason,
    String message,
    String topic,
    int partition,
    long offset,
    long kafkaTimestamp,
    byte[] key,
    byte[] value,
    int keySize,
    int valueSize) {
  /** A key longer than this is cut: host ids have at most 255 characters. */
  public static final int MAX_KEY_BYTES = 1024;

  /** A message longer than this (in characters) is cut: it quotes what it found wrong. */
  public static final int MAX_MESSAGE_CHARS = 1024;

  /**
   * A dead letter whose key, value and message are cut to their bounds.
   *
   * @param maxValueBytes the value's bound, {@link InputBounds#maxRecordBytes()}
   */
  public static DeadLetter of(
      String reason,
      String message,
      String topic,
      int partition,
      long offset,
      long kafkaTimestamp,
      byte[] key,
      byte[] value,
      int maxValueBytes) {
    String text =
        message == null || message.length() <= MAX_MESSAGE_CHARS
            ? message
            : FieldBounds.cut(message, MAX_MESSAGE_CHARS);
    return new DeadLetter(
        reason,
        text,
        topic,
        partition,
        offset,
        kafkaTimestamp,
        cut(key, MAX_KEY_BYTES),
        cut(value, maxValueBytes),
        key == null ? -1 : key.length,
        value == null ? -1 : value.length);
  }

  /**
   * A sequence anomaly as a dead letter: key = host id, no value (the record was decoded; its event
   * id is in the message), no source position (it is found past the source).
   */
  /** A record the source let through but that does not decode, map or make sense. */
  public static DeadLetter of(
      String reason, String message, RawTelemetry record, int maxValueBytes) {
    return of(
        reason,
        message,
        record.topic(),
        record.partition(),
        record.offset(),
        record.timestamp(),
        record.key(),
        record.value(),
        maxValueBytes);
  }

  public static DeadLetter of(SequenceAnomaly anomaly) {
    byte[] key = anomaly.hostId().getBytes(StandardCharsets.UTF_8);
    return new DeadLetter(
        anomaly.verdict().name(),
        anomaly.describe(),
        "",
        -1,
        -1,
        Math.floorDiv(anomaly.timeNanos(), 1_000_000L),
        key,
        null,
        key.length,
        -1);
  }

  /** True when the value here is shorter than the record's. */
  public boolean valueCut() {
    return value != null && value.length < valueSize;
  }

  private static byte[] cut(byte[] bytes, int max) {
    return bytes == null || bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
  }
}
