package io.psfleet.harness.report;

import io.psfleet.jobs.alert.OcsfDetectionFinding;
import io.psfleet.jobs.alert.ReadFinding;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parts of an OCSF alert a report needs, read back from the alerts topic.
 *
 * @param technique the rule's ATT&CK technique, or {@link #UNTAGGED} for a rule without one (a
 *     Sigma rule need not carry an {@code attack.t...} tag)
 * @param processKeys process keys (hex) the alert names: its process and its actor (their ancestors
 *     are context, not the subject)
 * @param hosts the host, or for a fleet alert every host involved
 * @param kafkaTimestampMillis when the alert reached Kafka (wall clock)
 * @param evidenceEventIds the telemetry events the alert names as its cause ({@code host:boot:seq})
 */
public record AlertRecord(
    String uid,
    String ruleId,
    String technique,
    String hostId,
    Set<String> processKeys,
    Set<String> hosts,
    long kafkaTimestampMillis,
    List<String> evidenceEventIds) {

  /** The technique of an alert whose rule names none. */
  public static final String UNTAGGED = "untagged";

  public AlertRecord {
    technique = technique == null ? UNTAGGED : technique;
  }

  /**
   * Parses an OCSF Detection Finding as the jobs write it, any version of the format: the reading
   * is {@link OcsfDetectionFinding#read}'s, beside the writer.
   */
  public static AlertRecord parse(byte[] json, long kafkaTimestampMillis) throws IOException {
    ReadFinding f = OcsfDetectionFinding.read(json);
    Set<String> keys = new HashSet<>();
    if (f.processKey() != null) {
      keys.add(f.processKey());
    }
    if (f.actorKey() != null) {
      keys.add(f.actorKey());
    }
    return new AlertRecord(
        f.uid(),
        f.ruleId(),
        f.technique(),
        f.hostId(),
        keys,
        new HashSet<>(f.hosts()),
        kafkaTimestampMillis,
        f.evidenceEventIds());
  }
}
