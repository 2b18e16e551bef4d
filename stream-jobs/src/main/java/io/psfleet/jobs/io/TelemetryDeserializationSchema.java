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
 * throws: whatever cannot be decoded, mapped or believed comes out as a {@link DeadLetter} with its
 * reason and its original bytes (cut to {@link InputBounds#maxRecordBytes()}), for the dead-letter
 * topic. What it lets through has every text within its {@link FieldBounds}.
 *
 * <p>An event dated further ahead of its record's Kafka timestamp than {@link
 * InputBounds#maxEventTimeAhead()} is a dead letter ({@code FUTURE_TIME}) rather than an event with
 * its time clamped. A clamped time would be a time the host never reported, and the event would
 * still park its process in state until then; let through, one event dated 2200 would move every
 * watermark to 2200 and make the rest of the fleet late. The Kafka timestamp is the producer's
 * clock (or the broker's): a sensor cannot report an event before the record carrying it was made.
 * Events far in the past are kept: spooled events after an outage and replays are old by nature,
 * and an old event cannot move a watermark forward.
 */
public final class TelemetryDeserializationSchema
    implements KafkaRecordDeserializationSchema<Envelope> {
  private static final long serialVersionUID = 1L;
  private final InputBounds bounds;
  private transient SingleObjectCodec<TelemetryEvent> codec;
  private transient TelemetryEvent reuse;

  public TelemetryDeserializationSchema(InputBounds bounds) {
    this.bounds = bounds;
  }

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

  /**
   * Decodes one record's value; exposed for tests and for jobs that read bytes elsewhere.
   *
   * @param timestamp the record's Kafka timestamp, negative when it has none
   */
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
    } catch (DecodeException e) {
      return dead(
          e.reason().name(), e.getMessage(), key, value, topic, partition, offset, timestamp);
    }
    String implausible = FieldBounds.implausible(reuse);
    if (implausible != null) {
      return dead("IMPLAUSIBLE", implausible, key, value, topic, partition, offset, timestamp);
    }
    long eventMillis = Math.floorDiv(reuse.getHeader().getEventTimeNanos(), 1_000_000L);
    if (timestamp >= 0 && eventMillis - timestamp > bounds.maxEventTimeAheadMillis()) {
      return dead(
          "FUTURE_TIME",
          "event time "
              + eventMillis
              + " ms is "
              + (eventMillis - timestamp)
              + " ms ahead of the record's Kafka timestamp "
              + timestamp
              + " ms (at most "
              + bounds.maxEventTimeAheadMillis()
              + " ms)",
          key,
          value,
          topic,
          partition,
          offset,
          timestamp);
    }
    int truncated = FieldBounds.truncate(reuse);
    try {
      Telemetry event = TelemetryMapping.from(reuse);
      return Envelope.of(event, truncated);
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

  private Envelope dead(
      String reason,
      String message,
      byte[] key,
      byte[] value,
      String topic,
      int partition,
      long offset,
      long timestamp) {
    return Envelope.of(
        DeadLetter.of(
            reason,
            message,
            topic,
            partition,
            offset,
            timestamp,
            key,
            value,
            bounds.maxRecordBytes()));
  }

  @Override
  public TypeInformation<Envelope> getProducedType() {
    return TypeInformation.of(Envelope.class);
  }
}
