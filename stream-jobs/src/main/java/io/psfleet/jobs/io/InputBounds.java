package io.psfleet.jobs.io;

import io.psfleet.commandline.Durations;
import io.psfleet.jobs.alert.OcsfDetectionFinding;
import io.psfleet.jobs.lineage.LineageFunction;
import java.io.Serializable;
import java.time.Duration;

/**
 * How far the job trusts one telemetry record: bounds no producer, however hostile, can push it
 * past. Checked where they are parsed; each message names its option.
 *
 * @param maxRecordBytes the largest value the job itself writes to Kafka: a dead letter's copy of
 *     the bad record is cut to it, an alert's JSON is made to fit it. It stays below the producers'
 *     default {@code max.request.size} (1 MiB) with room for key and headers, so a sink can always
 *     write what the job sends it; a record it refused would fail the job, and the restart would
 *     read the same record and fail again, for ever.
 * @param maxEventTimeAhead how far an event's time may lie ahead of its record's Kafka timestamp;
 *     beyond it the event is a dead letter ({@code FUTURE_TIME}), so it can neither move the
 *     watermark nor park state or timers in the far future
 * @param maxSequenceJump how far one host's sequence number may leap forward within a boot and
 *     still count as a gap; a larger leap is a sequence anomaly, passed on but not believed, so one
 *     forged number cannot make everything the host sends next look like a duplicate
 * @param maxProcessesPerHost the most processes one host's process table holds; past it the oldest
 *     go (exited ones and placeholders first), counted, so a flooding host cannot grow state
 * @param hostIdle how long (processing time) a host may send nothing before all its state goes, so
 *     a producer inventing host ids cannot grow state for longer than this
 */
public record InputBounds(
    int maxRecordBytes,
    Duration maxEventTimeAhead,
    long maxSequenceJump,
    int maxProcessesPerHost,
    Duration hostIdle)
    implements Serializable {
  /** Room left under the producers' 1 MiB for the record's key, headers and batch framing. */
  public static final int MAX_RECORD_BYTES_LIMIT = 1_000_000;

  /** Smallest useful record: any finding, with its texts cut short, fits in it. */
  public static final int MIN_RECORD_BYTES = OcsfDetectionFinding.MIN_BUDGET_BYTES;

  public static final int DEFAULT_MAX_RECORD_BYTES = 256 * 1024;
  public static final Duration DEFAULT_MAX_EVENT_TIME_AHEAD = Duration.ofHours(1);
  public static final long DEFAULT_MAX_SEQUENCE_JUMP = 1_000_000L;
  public static final int DEFAULT_MAX_PROCESSES_PER_HOST = 10_000;
  public static final Duration DEFAULT_HOST_IDLE = LineageFunction.DEFAULT_HOST_IDLE;

  public InputBounds {
    if (maxRecordBytes < MIN_RECORD_BYTES || maxRecordBytes > MAX_RECORD_BYTES_LIMIT) {
      throw new IllegalArgumentException(
          "--max-record-bytes must be between "
              + MIN_RECORD_BYTES
              + " and "
              + MAX_RECORD_BYTES_LIMIT
              + " (below the producers' 1 MiB max.request.size), got "
              + maxRecordBytes);
    }
    if (maxEventTimeAhead.isNegative() || maxEventTimeAhead.isZero()) {
      throw new IllegalArgumentException(
          "--max-event-time-ahead must be positive, got " + Durations.format(maxEventTimeAhead));
    }
    if (maxSequenceJump < 1) {
      throw new IllegalArgumentException(
          "--max-sequence-jump must be at least 1, got " + maxSequenceJump);
    }
    if (maxProcessesPerHost < 10) {
      throw new IllegalArgumentException(
          "--max-processes-per-host must be at least 10, got " + maxProcessesPerHost);
    }
    if (hostIdle.compareTo(LineageFunction.MIN_HOST_IDLE) < 0) {
      throw new IllegalArgumentException(
          "--host-idle must be at least 1h, got " + Durations.format(hostIdle));
    }
  }

  /**
   * 256 KiB records, events at most 1 h ahead of their Kafka timestamp, jumps up to 1,000,000,
   * 10,000 processes per host (a busy server has a few hundred running and a few thousand exited
   * within the lineage grace), hosts forgotten after 24 h of silence (a laptop off for a night
   * keeps its table).
   */
  public static InputBounds defaults() {
    return new InputBounds(
        DEFAULT_MAX_RECORD_BYTES,
        DEFAULT_MAX_EVENT_TIME_AHEAD,
        DEFAULT_MAX_SEQUENCE_JUMP,
        DEFAULT_MAX_PROCESSES_PER_HOST,
        DEFAULT_HOST_IDLE);
  }

  public long maxEventTimeAheadMillis() {
    return maxEventTimeAhead.toMillis();
  }
}
