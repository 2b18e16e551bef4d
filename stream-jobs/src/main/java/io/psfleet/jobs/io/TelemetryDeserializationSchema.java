package io.psfleet.jobs.io;

import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.event.TelemetryMapping;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.DecodeException;
import io.psfleet.schema.codec.SingleObjectCodec;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes telemetry in the source, so the source can assign event time per partition. It never
 * throws: whatever cannot be decoded or mapped comes out as a {@link DeadLetter} with its reason
 * and its original bytes, for the dead-letter topic.
 */
public final class TelemetryDeserializationSchema
    implements KafkaRecordDeserializationSchema<Envelope> {
  private static final long serialVersionUID = 1L;
  private transient SingleObjectCodec<TelemetryEvent> codec;
  private transient TelemetryEvent reuse;

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    codec = SingleObjectCodec.telemetry();
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Envelope> out) {
    out.collect(
        decode(
            record.value(),
            record.key(),
            record.topic(),
            record.partition(),
            record.offset(),
            record.timestamp()));
  }

  /** Decodes one record's value; exposed for tests and for jobs that read bytes elsewhere. */
  public Envelope decode(
      byte[] value, byte[] key, String topic, int partition, long offset, long timestamp) {
    if (codec == null) {
      codec = SingleObjectCodec.telemetry();
    }
    if (value == null) {
      return dead(
          "TRUNCATED",
          "record has no value (a tombstone?)",
          key,
          null,
          topic,
          partition,
          offset,
          timestamp);
    }
    try {
      reuse = codec.decode(value, reuse);
      Telemetry event = TelemetryMapping.from(reuse);
      return new Envelope(event, null);
    } catch (DecodeException e) {
      return dead(
          e.reason().name(), e.getMessage(), key, value, topic, partition, offset, timestamp);
    } catch (RuntimeException e) {
      return dead(
          "UNMAPPABLE",
          "decoded but not mappable: " + e,
          key,
          value,
          topic,
          partition,
          offset,
          timestamp);
    }
  }

  private static Envelope dead(
      String reason,
      String message,
      byte[] key,
      byte[] value,
      String topic,
      int partition,
      long offset,
      long timestamp) {
    return new Envelope(
        null, new DeadLetter(reason, message, topic, partition, offset, timestamp, key, value));
  }

  @Override
  public TypeInformation<Envelope> getProducedType() {
    return TypeInformation.of(Envelope.class);
  }
}
