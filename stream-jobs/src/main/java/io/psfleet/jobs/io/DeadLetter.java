package io.psfleet.jobs.io;

/**
 * A record the jobs could not read, kept whole for the dead-letter topic.
 *
 * @param reason TRUNCATED, BAD_MARKER, UNKNOWN_SCHEMA, CORRUPT (the codec's) or UNMAPPABLE
 */
public record DeadLetter(
    String reason,
    String message,
    String topic,
    int partition,
    long offset,
    long kafkaTimestamp,
    byte[] key,
    byte[] value) {}
