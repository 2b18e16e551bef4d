package io.psfleet.jobs.alert;

import io.psfleet.schema.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Alerts onto the alerts topic: key = host id, value = OCSF Detection Finding JSON. */
public final class OcsfAlertSerializer implements KafkaRecordSerializationSchema<Alert> {
  private static final long serialVersionUID = 1L;
  private final String topic;

  public OcsfAlertSerializer(String topic) {
    this.topic = topic;
  }

  public OcsfAlertSerializer() {
    this(Topics.ALERTS);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      Alert alert, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(
        topic,
        null,
        timestamp,
        alert.hostId().getBytes(StandardCharsets.UTF_8),
        OcsfDetectionFinding.toJsonBytes(alert));
  }
}
