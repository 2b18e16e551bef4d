package io.psfleet.agent.fleet;

import io.psfleet.agent.publish.JsonRecords;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.SingleObjectCodec;
import java.util.function.Function;
import java.util.function.Supplier;

/** How events leave the simulator: Avro single-object for Kafka, JSON lines for files. */
public enum RecordFormat {
  AVRO(
      () -> {
        SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
        return codec::encode;
      }),
  JSON(
      () -> {
        JsonRecords json = new JsonRecords();
        return json::telemetry;
      });

  private final Supplier<Function<TelemetryEvent, byte[]>> encoders;

  RecordFormat(Supplier<Function<TelemetryEvent, byte[]>> encoders) {
    this.encoders = encoders;
  }

  /** A new encoder for one thread (encoders reuse buffers and are not thread-safe). */
  public Function<TelemetryEvent, byte[]> newEncoder() {
    return encoders.get();
  }
}
