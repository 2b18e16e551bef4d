package io.psfleet.agent.publish;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Test payloads that carry their host's sequence number, and a reader that checks what came back.
 */
final class TopicReader {
  private static final int PAYLOAD_BYTES = 118; // the size of a typical encoded TelemetryEvent

  private TopicReader() {}

  /** A payload whose first 8 bytes are the host's sequence number, padded to a realistic size. */
  static byte[] payload(long sequence) {
    ByteBuffer buffer = ByteBuffer.allocate(PAYLOAD_BYTES);
    buffer.putLong(sequence);
    while (buffer.hasRemaining()) {
      buffer.put((byte) (sequence * 31 + buffer.position()));
    }
    return buffer.array();
  }

  static long sequence(byte[] payload) {
    return ByteBuffer.wrap(payload).getLong();
  }

  /** The sequence numbers read per host, in log order, for hosts whose id starts with a prefix. */
  static Map<String, List<Long>> sequencesByHost(
      String bootstrap, String topic, String hostPrefix, int expected) {
    Map<String, List<Long>> byHost = new LinkedHashMap<>();
    int matched = 0;
    try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
      List<TopicPartition> partitions = partitions(consumer, topic);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      // Read to the end offsets, not just to the expected count, so duplicates would show.
      while (!atEnd(consumer, end) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key().startsWith(hostPrefix)) {
            byHost
                .computeIfAbsent(record.key(), k -> new ArrayList<>())
                .add(sequence(record.value()));
            matched++;
          }
        }
      }
      if (!atEnd(consumer, end)) {
        throw new AssertionError(
            "read " + matched + " of " + expected + " records of " + topic + " in 30 s");
      }
    }
    return byHost;
  }

  /**
   * Records in a topic: the sum of its partitions' end offsets (no transactions, no compaction).
   */
  static long endOffsetSum(String bootstrap, String topic) {
    try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
      List<TopicPartition> partitions = partitions(consumer, topic);
      consumer.assign(partitions);
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static boolean atEnd(
      KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
    Map<TopicPartition, Long> positions = new HashMap<>();
    for (TopicPartition partition : end.keySet()) {
      positions.put(partition, consumer.position(partition));
    }
    return positions.equals(end);
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<String, byte[]> consumer, String topic) {
    return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
        .map(info -> new TopicPartition(topic, info.partition()))
        .toList();
  }

  private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
