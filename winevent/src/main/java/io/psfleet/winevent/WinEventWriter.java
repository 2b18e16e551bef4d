package io.psfleet.winevent;

import java.util.Locale;

/**
 * Writes one {@link WinEvent} as one line (without its newline) of a format this module reads, so
 * that what a writer writes its reader reads back: {@link WinEventFormat#XML_EVENT_LINES} (Sysmon's
 * XML as Splunk's XmlWinEventLog and WEF forward it), {@link WinEventFormat#ECS_JSON_LINES}
 * (Winlogbeat 8.x), {@link WinEventFormat#FLAT_JSON_LINES} (NXLog-style flat JSON) and {@link
 * WinEventFormat#OCSF_JSON_LINES} (OCSF 1.3 Process, Module and Kernel Extension Activity).
 *
 * <p>A writer reuses its buffers: one per thread.
 */
public interface WinEventWriter {
  /** The event as UTF-8 bytes; never null. */
  byte[] write(WinEvent event);

  /** A new writer of {@code format}; EVTX, evtx_dump JSON and UNKNOWN have none. */
  static WinEventWriter of(WinEventFormat format) {
    return switch (format) {
      case XML_EVENT_LINES -> XmlEventLines.writer();
      case ECS_JSON_LINES -> EcsJsonLines.writer();
      case FLAT_JSON_LINES -> FlatJsonLines.writer();
      case OCSF_JSON_LINES -> OcsfJsonLines.writer();
      case EVTX, EVTX_DUMP_JSON, UNKNOWN ->
          throw new IllegalArgumentException(
              "no writer for "
                  + format.name().toLowerCase(Locale.ROOT)
                  + ": psfleet reads it only");
    };
  }
}
