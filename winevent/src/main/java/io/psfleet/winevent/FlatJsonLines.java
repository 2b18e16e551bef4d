package io.psfleet.winevent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads flat JSON lines as the OTRF Security-Datasets store them (NXLog {@code im_msvistalog}
 * through Logstash): one object per line with {@code EventID}, {@code Channel}, {@code SourceName},
 * {@code Hostname}, {@code @timestamp} and the EventData fields at the top level.
 *
 * <p>Every top-level key that is not one of the {@link #METADATA} keys of that pipeline is taken as
 * an EventData field, in line order. A line without {@code EventID} is not a Windows event and is
 * reported.
 */
public final class FlatJsonLines {
  /** Keys NXLog and Logstash add around the event; not EventData. */
  static final Set<String> METADATA =
      Set.of(
          "@timestamp",
          "@version",
          "AccountName",
          "AccountType",
          "ActivityID",
          "Category",
          "Channel",
          "Computer",
          "Domain",
          "EventID",
          "EventReceivedTime",
          "EventRecordID",
          "EventTime",
          "EventType",
          "ExecutionProcessID",
          "ExecutionThreadID",
          "Hostname",
          "Keywords",
          "Level",
          "LogName",
          "Message",
          "Opcode",
          "OpcodeValue",
          "ProcessID",
          "ProviderGuid",
          "ProviderName",
          "RecordNumber",
          "RelatedActivityID",
          "Severity",
          "SeverityValue",
          "SourceModuleName",
          "SourceModuleType",
          "SourceName",
          "Task",
          "ThreadID",
          "TimeCreated",
          "UserID",
          "Version",
          "host",
          "port",
          "tags",
          "type");

  private FlatJsonLines() {}

  public static ReadReport read(Path file, Consumer<? super WinEvent> sink) throws IOException {
    return JsonEventLines.read(file, WinEventFormat.FLAT_JSON_LINES, FlatJsonLines::toEvent, sink);
  }

  static WinEvent toEvent(JsonNode o, String source, long index) throws JsonEventLines.NotAnEvent {
    long eventId = JsonEventLines.number(JsonEventLines.first(o, "EventID"), -1);
    if (eventId < 0 || eventId > Integer.MAX_VALUE) {
      throw new JsonEventLines.NotAnEvent("no numeric EventID: not a flat Windows event");
    }
    Instant time = null;
    for (String key : new String[] {"TimeCreated", "@timestamp", "EventTime"}) {
      time = Times.parse(JsonEventLines.textOrNull(o.get(key)));
      if (time != null) {
        break;
      }
    }
    Map<String, String> data = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!METADATA.contains(f.getKey())) {
        data.put(f.getKey(), JsonEventLines.text(f.getValue()));
      }
    }
    return new WinEvent(
        source,
        index,
        JsonEventLines.textOrNull(JsonEventLines.first(o, "SourceName", "ProviderName")),
        JsonEventLines.textOrNull(JsonEventLines.first(o, "Channel", "LogName")),
        (int) eventId,
        time,
        JsonEventLines.textOrNull(JsonEventLines.first(o, "Hostname", "Computer")),
        JsonEventLines.number(JsonEventLines.first(o, "RecordNumber", "EventRecordID"), -1),
        data);
  }

  /**
   * A writer of flat lines as NXLog's {@code im_msvistalog} ships them: {@code EventTime}, {@code
   * Hostname}, {@code EventID}, {@code SourceName}, {@code Channel}, {@code RecordNumber}, {@code
   * Category}, then the EventData fields at the top level.
   */
  static WinEventWriter writer() {
    return new JsonLineWriter(
        (e, g) -> {
          if (e.timeCreated() != null) {
            g.writeStringField("EventTime", Times.systemTime(e.timeCreated()));
          }
          if (e.computer() != null) {
            g.writeStringField("Hostname", e.computer());
          }
          g.writeNumberField("EventID", e.eventId());
          g.writeStringField("SourceName", SysmonLog.provider(e));
          g.writeStringField("Channel", SysmonLog.channel(e));
          if (e.recordId() >= 0) {
            g.writeNumberField("RecordNumber", e.recordId());
          }
          String task = SysmonLog.task(e.eventId());
          if (task != null) {
            g.writeStringField("Category", task);
          }
          JsonLineWriter.eventData(e, g);
        });
  }
}
