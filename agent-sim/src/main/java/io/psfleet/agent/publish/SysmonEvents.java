package io.psfleet.agent.publish;

import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.sysmon.SysmonFields;
import io.psfleet.schema.sysmon.TelemetryEventSource;
import io.psfleet.winevent.WinEvent;
import io.psfleet.winevent.WinEventFormat;
import io.psfleet.winevent.WinEventWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulator's telemetry as Sysmon's events in the formats SOC pipelines read (module {@code
 * winevent} writes them; its readers read them back): the event's Sysmon fields come from {@link
 * SysmonFields}, the one rendering the detection job uses too; the host is the {@code Computer},
 * the per-host sequence number the {@code EventRecordID}, the event time {@code TimeCreated}.
 * Events Sysmon does not write (thread exits, local threads, a new process's initial thread) have
 * no record: {@link #encode} gives null. Reuses its buffers: one per thread.
 */
public final class SysmonEvents {
  private final TelemetryEventSource source = new TelemetryEventSource();
  private final SysmonFields fields = SysmonFields.reusable();
  private final WinEventWriter writer;

  public SysmonEvents(WinEventFormat format) {
    this.writer = WinEventWriter.of(format);
  }

  /** The event in this format, or null when Sysmon would not log it. */
  public byte[] encode(TelemetryEvent event) {
    WinEvent sysmon = winEvent(event);
    return sysmon == null ? null : writer.write(sysmon);
  }

  /** The event as Sysmon would log it, or null when Sysmon would not log it. */
  public WinEvent winEvent(TelemetryEvent event) {
    fields.reset(source.reset(event), null, null);
    if (fields.eventId() == SysmonFields.NONE) {
      return null;
    }
    Map<String, String> data = new LinkedHashMap<>();
    for (String name : fields.fieldNames()) {
      data.put(name, fields.field(name));
    }
    long nanos = event.getHeader().getEventTimeNanos();
    return new WinEvent(
        null,
        0,
        "Microsoft-Windows-Sysmon",
        "Microsoft-Windows-Sysmon/Operational",
        fields.eventId(),
        Instant.ofEpochSecond(
            Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)),
        event.getHeader().getHostId(),
        event.getHeader().getSequence(),
        data);
  }
}
