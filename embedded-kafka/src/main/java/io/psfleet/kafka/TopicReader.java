package io.psfleet.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic as it stands: every partition from its beginning to the end offsets it has
 * when the read starts, committed records only (the alerts sink is transactional). For tools and
 * tests that look at a run's outcome, not for processing.
 */
public final class TopicReader {
  /** How long a read may go without a record before it gives up (a big topic may take longer). */
  private static final Duration MAX_STALL = Duration.ofSeconds(120);

  private TopicReader() {}

  /** A byte-array consumer with no group, reading committed records only. */
  public static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
    return consumer(bootstrap, Map.of());
  }

  /** As {@link #consumer(String)}, with {@code clientSettings} (security: SASL, TLS) added. */
  public static KafkaConsumer<byte[], byte[]> consumer(
      String bootstrap, Map<String, Object> clientSettings) {
    Properties props = new Properties();
    props.putAll(clientSettings);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    return new KafkaConsumer<>(props);
  }

  /** Every partition of {@code topic}. */
  public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    return consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .toList();
  }

  /** Hands every record of {@code topic}, up to its current end, to {@code onRecord}. */
  public static void readToEnd(
      String bootstrap, String topic, Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
    readToEnd(bootstrap, Map.of(), topic, onRecord);
  }

  /** As {@link #readToEnd(String, String, Consumer)}, connecting with {@code clientSettings}. */
  public static void readToEnd(
      String bootstrap,
      Map<String, Object> clientSettings,
      String topic,
      Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, clientSettings)) {
      List<TopicPartition> partitions = partitions(consumer, topic);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      // A busy machine reads millions of records slowly: give up only when none come.
      long deadline = System.nanoTime() + MAX_STALL.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "could not read "
                  + topic
                  + " at "
                  + bootstrap
                  + " to its end: no record for "
                  + MAX_STALL.toSeconds()
                  + " s (is the broker still up?)");
        }
        var records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          records.forEach(onRecord);
          deadline = System.nanoTime() + MAX_STALL.toNanos();
        }
      }
    }
  }

  /** Every record of {@code topic}, up to its current end. */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    readToEnd(bootstrap, topic, records::add);
    return records;
  }
}
