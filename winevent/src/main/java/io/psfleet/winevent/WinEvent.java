package io.psfleet.winevent;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One Windows event log record as every format here reads it: the {@code System} part that rules
 * and mappings use, and the {@code EventData} fields in document order with their text values as
 * Windows renders them (numbers in decimal, GUIDs in braces where the source has them).
 *
 * @param source where the event was read from (a file name), for messages
 * @param index the event's position in its source, from 0
 * @param provider the provider name, e.g. {@code Microsoft-Windows-Sysmon}
 * @param channel the channel, e.g. {@code Microsoft-Windows-Sysmon/Operational}
 * @param eventId the event id ({@code 1} for a Sysmon process creation)
 * @param timeCreated {@code System/TimeCreated/@SystemTime}, or null where the source has none
 * @param computer {@code System/Computer}, or null
 * @param recordId {@code System/EventRecordID}, or -1
 * @param eventData the EventData fields, name to text, in document order (unmodifiable)
 */
public record WinEvent(
    String source,
    long index,
    String provider,
    String channel,
    int eventId,
    Instant timeCreated,
    String computer,
    long recordId,
    Map<String, String> eventData) {

  public WinEvent {
    Objects.requireNonNull(eventData, "eventData");
    eventData = Collections.unmodifiableMap(new LinkedHashMap<>(eventData));
  }

  /** An EventData field's text, or null where the event does not carry it. */
  public String field(String name) {
    return eventData.get(name);
  }

  /** True for events written by Sysmon (any of its event ids). */
  public boolean isSysmon() {
    return "Microsoft-Windows-Sysmon".equalsIgnoreCase(provider)
        || (channel != null && channel.startsWith("Microsoft-Windows-Sysmon"));
  }
}
