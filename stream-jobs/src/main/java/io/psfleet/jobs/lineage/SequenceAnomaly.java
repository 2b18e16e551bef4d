package io.psfleet.jobs.lineage;

import io.psfleet.jobs.event.Telemetry;

/**
 * A sequence number {@link SequenceTracker} did not believe, reported beside the events (the job
 * sends it to the dead-letter topic with its reason).
 *
 * @param verdict {@link SequenceTracker.Verdict#SEQUENCE_JUMP} (the event was passed on) or {@link
 *     SequenceTracker.Verdict#BOOT_REPLAY} (dropped)
 * @param lastSequence the host's current boot's last believed sequence number
 */
public record SequenceAnomaly(
    String hostId,
    long bootId,
    long sequence,
    long timeNanos,
    SequenceTracker.Verdict verdict,
    long currentBoot,
    long lastSequence) {

  static SequenceAnomaly of(Telemetry e, SequenceTracker.Verdict verdict, SequenceTracker t) {
    return new SequenceAnomaly(
        e.hostId(),
        e.bootId(),
        e.sequence(),
        e.timeNanos(),
        verdict,
        t.boots.length == 0 ? 0 : t.boots[0],
        t.lastSequence());
  }

  /** One line for the dead letter's message. */
  public String describe() {
    return switch (verdict) {
      case SEQUENCE_JUMP ->
          "event "
              + Telemetry.eventId(hostId, bootId, sequence)
              + " leaps "
              + (sequence - lastSequence)
              + " past the boot's last sequence "
              + lastSequence
              + "; passed on, the boot's count kept";
      case BOOT_REPLAY ->
          "event "
              + Telemetry.eventId(hostId, bootId, sequence)
              + " opens a boot that lies before the latest event of current boot "
              + currentBoot
              + "; dropped as a replay";
      default -> verdict + " " + Telemetry.eventId(hostId, bootId, sequence);
    };
  }
}
