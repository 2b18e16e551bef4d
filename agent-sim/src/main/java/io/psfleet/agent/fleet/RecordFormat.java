package io.psfleet.agent.fleet;

import io.psfleet.agent.publish.JsonRecords;
import io.psfleet.agent.publish.SysmonEvents;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.codec.SingleObjectCodec;
import io.psfleet.winevent.WinEventFormat;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How events leave the simulator: psfleet's Avro single-object (the detection job's input), its
 * JSON lines, or Sysmon's events in the formats SOC pipelines read. A Sysmon format has no record
 * for events Sysmon does not log (thread exits, local threads): their encoder gives null and the
 * event is simulated but not published.
 */
public enum RecordFormat {
  AVRO(
      "avro",
      () -> {
        SingleObjectCodec<TelemetryEvent> codec = SingleObjectCodec.telemetry();
        return codec::encode;
      }),
  JSON(
      "json",
      () -> {
        JsonRecords json = new JsonRecords();
        return json::telemetry;
      }),
  SYSMON_XML("sysmon-xml", sysmon(WinEventFormat.XML_EVENT_LINES)),
  ECS("ecs", sysmon(WinEventFormat.ECS_JSON_LINES)),
  FLAT_JSON("flat-json", sysmon(WinEventFormat.FLAT_JSON_LINES)),
  OCSF("ocsf", sysmon(WinEventFormat.OCSF_JSON_LINES));

  private final String optionName;
  private final Supplier<Function<TelemetryEvent, byte[]>> encoders;

  RecordFormat(String optionName, Supplier<Function<TelemetryEvent, byte[]>> encoders) {
    this.optionName = optionName;
    this.encoders = encoders;
  }

  /** The name {@code --format} takes. */
  public String optionName() {
    return optionName;
  }

  /** The format {@code --format name} names, or null. */
  public static RecordFormat byOptionName(String name) {
    for (RecordFormat f : values()) {
      if (f.optionName.equals(name)) {
        return f;
      }
    }
    return null;
  }

  /**
   * A new encoder for one thread (encoders reuse buffers and are not thread-safe); it gives null
   * for an event this format has no record for.
   */
  public Function<TelemetryEvent, byte[]> newEncoder() {
    return encoders.get();
  }

  private static Supplier<Function<TelemetryEvent, byte[]>> sysmon(WinEventFormat format) {
    return () -> new SysmonEvents(format)::encode;
  }
}
