package io.psfleet.jobs.io;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.OcsfDetectionFinding;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Alerts onto the alerts topic: key = host id, value = OCSF Detection Finding JSON of at most
 * {@link InputBounds#maxRecordBytes()}, so the producer never refuses one (which would fail the job
 * on every restart).
 */
public final class OcsfAlertSerializer implements KafkaRecordSerializationSchema<Alert> {
  private static final long serialVersionUID = 1L;
  private final String topic;
  private final int maxValueBytes;

  public OcsfAlertSerializer(String topic, int maxValueBytes) {
    this.topic = topic;
    this.maxValueBytes = maxValueBytes;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      Alert alert, KafkaSinkContext context, Long timestamp) {
    // No timestamp of our own: the record gets the wall-clock time it is produced, so the topic
    // tells when the SOC could have seen the alert (the finding's "time" field has event time).
    return new ProducerRecord<>(
        topic,
        null,
        null,
        alert.hostId().getBytes(StandardCharsets.UTF_8),
        OcsfDetectionFinding.toJsonBytes(alert, maxValueBytes));
  }
}
