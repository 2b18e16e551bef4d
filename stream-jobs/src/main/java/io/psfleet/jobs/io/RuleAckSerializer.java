package io.psfleet.jobs.io;

import io.psfleet.jobs.sigma.RuleSetAck;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Acknowledgements of rule set versions to their topic ({@link RulesTopic#encodeAck}). */
public final class RuleAckSerializer implements KafkaRecordSerializationSchema<RuleSetAck> {
  private static final long serialVersionUID = 1L;
  private final String topic;

  public RuleAckSerializer(String topic) {
    this.topic = topic;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      RuleSetAck ack, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(
        topic,
        null,
        timestamp,
        Long.toString(ack.version()).getBytes(StandardCharsets.UTF_8),
        RulesTopic.encodeAck(ack));
  }
}
