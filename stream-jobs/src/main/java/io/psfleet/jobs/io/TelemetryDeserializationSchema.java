package io.psfleet.jobs.io;

import io.psfleet.schema.codec.DecodeException;
import io.psfleet.schema.codec.TelemetryHeader;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads each record's header in the source, so the source can assign event time per partition and
 * the job can route the record by host; the body is decoded after the keyBy ({@link
 * TelemetryDecoder}). It never throws: a record without a value, with an unreadable header, or
 * dated implausibly comes out as a {@link DeadLetter} with its reason and its original bytes (cut
 * to {@link InputBounds#maxRecordBytes()}), for the dead-letter topic.
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
  private transient TelemetryHeader.Reader headers;

  public TelemetryDeserializationSchema(InputBounds bounds) {
    this.bounds = bounds;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    headers = new TelemetryHeader.Reader();
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
   * Reads one record's header; exposed for tests and for jobs that read bytes elsewhere.
   *
   * @param timestamp the record's Kafka timestamp, negative when it has none
   */
  public Envelope decode(
      byte[] value, byte[] key, String topic, int partition, long offset, long timestamp) {
    if (headers == null) {
      headers = new TelemetryHeader.Reader();
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
    TelemetryHeader header;
    try {
      header = headers.read(value);
    } catch (DecodeException e) {
      return dead(
          e.reason().name(), e.getMessage(), key, value, topic, partition, offset, timestamp);
    }
    long eventMillis = Math.floorDiv(header.eventTimeNanos(), 1_000_000L);
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
    return Envelope.of(
        new RawTelemetry(header.hostId(), topic, partition, offset, timestamp, key, value),
        eventMillis);
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
