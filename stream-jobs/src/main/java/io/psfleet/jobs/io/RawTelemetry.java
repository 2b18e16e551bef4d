package io.psfleet.jobs.io;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One telemetry record on its way to lineage: its bytes as Kafka gave them, with the host its
 * header names (the key it is routed by) and where it came from (for a dead letter). The source
 * reads only the header; the record is decoded after the keyBy, inside lineage's operator, so the
 * shuffle moves these bytes instead of a decoded event's fifty fields, and nothing decodes twice.
 *
 * @param timestamp the record's Kafka timestamp, negative when it has none
 * @param key the record's key, or null
 */
@TypeInfo(RawTelemetryTypeInfo.Factory.class)
public record RawTelemetry(
    String hostId,
    String topic,
    int partition,
    long offset,
    long timestamp,
    byte[] key,
    byte[] value) {}
