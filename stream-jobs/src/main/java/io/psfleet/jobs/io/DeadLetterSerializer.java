package io.psfleet.jobs.io;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A dead letter goes to the dead-letter topic (by default {@code psfleet.telemetry.dlq}) with the
 * key and value it came with, cut to their bounds ({@link DeadLetter#of}), and headers: {@code
 * psfleet.dlq.reason}, {@code psfleet.dlq.message}, {@code psfleet.dlq.source} ({@code
 * topic/partition/offset}), {@code psfleet.dlq.value-size} and {@code psfleet.dlq.key-size} (the
 * original sizes in bytes, -1 for none) and {@code psfleet.dlq.value-cut} ({@code true} when the
 * value here is only the start of the original).
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
    record.headers().add("psfleet.dlq.value-size", utf8(Integer.toString(letter.valueSize())));
    record.headers().add("psfleet.dlq.key-size", utf8(Integer.toString(letter.keySize())));
    record.headers().add("psfleet.dlq.value-cut", utf8(Boolean.toString(letter.valueCut())));
    return record;
  }

  private static byte[] utf8(String s) {
    return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
  }
}
