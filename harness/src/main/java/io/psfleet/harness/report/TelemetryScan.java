package io.psfleet.harness.report;

import io.psfleet.jobs.event.Telemetry;
import io.psfleet.kafka.TopicReader;
import io.psfleet.schema.EventHeader;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.DecodeException;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the telemetry topic once after a run: the Kafka timestamps of the records alerts name as
 * evidence, and per host (and boot) which sequence numbers arrived, so loss and duplicates show.
 *
 * @param evidenceTimes Kafka timestamps of the evidence records, by event id (host:boot:sequence)
 * @param hosts what arrived per host, from sequence numbers
 */
public record TelemetryScan(Map<String, Long> evidenceTimes, DetectionReport.HostTelemetry hosts) {
  public TelemetryScan {
    evidenceTimes = Map.copyOf(evidenceTimes);
  }

  /** The whole topic. */
  public static TelemetryScan read(String bootstrap, String topic, Set<String> evidenceIds) {
    return read(bootstrap, topic, evidenceIds, Long.MIN_VALUE);
  }

  /** The records from {@code sinceMillis} on (Kafka timestamps): one run on a shared topic. */
  public static TelemetryScan read(
      String bootstrap, String topic, Set<String> evidenceIds, long sinceMillis) {
    return read(bootstrap, Map.of(), topic, evidenceIds, sinceMillis);
  }

  /** As {@link #read(String, String, Set, long)}, connecting with {@code clientSettings}. */
  public static TelemetryScan read(
      String bootstrap,
      Map<String, Object> clientSettings,
      String topic,
      Set<String> evidenceIds,
      long sinceMillis) {
    SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
    Map<String, Long> times = new HashMap<>();
    Map<String, BitSet> seen = new HashMap<>();
    Map<String, Long> duplicates = new HashMap<>();
    TelemetryEvent[] reuse = {null};
    TopicReader.readToEnd(
        bootstrap,
        clientSettings,
        topic,
        record -> {
          if (record.timestamp() < sinceMillis) {
            return;
          }
          try {
            reuse[0] = codec.decode(record.value(), reuse[0]);
          } catch (DecodeException e) {
            return; // the job's dead-letter topic reports these
          }
          EventHeader h = reuse[0].getHeader();
          String id = Telemetry.eventId(h.getHostId(), h.getBootId(), h.getSequence());
          if (evidenceIds.contains(id)) {
            times.put(id, record.timestamp());
          }
          String boot = h.getHostId() + ":" + Long.toHexString(h.getBootId());
          BitSet bits = seen.computeIfAbsent(boot, b -> new BitSet());
          int seq = (int) h.getSequence();
          if (bits.get(seq)) {
            duplicates.merge(boot, 1L, Long::sum);
          }
          bits.set(seq);
        });
    long sent = 0;
    long distinct = 0;
    long missing = 0;
    Set<String> hostNames = new TreeSet<>();
    List<String> lossy = new ArrayList<>();
    for (Map.Entry<String, BitSet> boot : seen.entrySet()) {
      BitSet bits = boot.getValue();
      long highest = bits.length() - 1;
      long count = bits.cardinality();
      sent += highest;
      distinct += count;
      missing += highest - count;
      hostNames.add(boot.getKey().substring(0, boot.getKey().indexOf(':')));
      if (highest != count) {
        lossy.add(boot.getKey());
      }
    }
    long dups = duplicates.values().stream().mapToLong(Long::longValue).sum();
    return new TelemetryScan(
        times,
        new DetectionReport.HostTelemetry(hostNames.size(), sent, distinct, missing, dups, lossy));
  }
}
