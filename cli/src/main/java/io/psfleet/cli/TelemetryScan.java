package io.psfleet.cli;

import io.psfleet.report.DetectionReport;
import io.psfleet.schema.EventHeader;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.DecodeException;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the telemetry topic once after a run: the Kafka timestamps of the records alerts name as
 * evidence, and per host (and boot) which sequence numbers arrived, so loss and duplicates show.
 */
final class TelemetryScan {
  final Map<String, Long> evidenceTimes = new HashMap<>();
  final DetectionReport.HostTelemetry hosts;

  private TelemetryScan(Map<String, Long> times, DetectionReport.HostTelemetry hosts) {
    this.evidenceTimes.putAll(times);
    this.hosts = hosts;
  }

  static TelemetryScan read(String bootstrap, String topic, Set<String> evidenceIds)
      throws DecodeException {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
    Map<String, Long> times = new HashMap<>();
    Map<String, BitSet> seen = new HashMap<>();
    Map<String, Long> duplicates = new HashMap<>();
    TelemetryEvent reuse = null;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          try {
            reuse = codec.decode(record.value(), reuse);
          } catch (DecodeException e) {
            continue; // the job's dead-letter topic reports these
          }
          EventHeader h = reuse.getHeader();
          String id = h.getHostId() + ":" + Long.toHexString(h.getBootId()) + ":" + h.getSequence();
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
        }
      }
    }
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
