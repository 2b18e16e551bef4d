package io.psfleet.jobs.io;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A dead letter goes to the dead-letter topic (by default {@code psfleet.telemetry.dlq}) as it came
 * (same key, same value bytes) with the reason and the source position in headers: {@code
 * psfleet.dlq.reason}, {@code psfleet.dlq.message}, {@code psfleet.dlq.source} ({@code
 * topic/partition/offset}).
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
  private static final long serialVersionUID = 1L;
  private final String topic;

  public DeadLetterSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      DeadLetter letter, KafkaSinkContext context, Long timestamp) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, null, timestamp, letter.key(), letter.value());
    record.headers().add("psfleet.dlq.reason", utf8(letter.reason()));
    record.headers().add("psfleet.dlq.message", utf8(letter.message()));
    record
        .headers()
        .add(
            "psfleet.dlq.source",
            utf8(letter.topic() + "/" + letter.partition() + "/" + letter.offset()));
    return record;
  }

  private static byte[] utf8(String s) {
    return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
  }
}
