package io.psfleet.winevent;

/** The recording formats {@link WinEventFiles} recognises. */
public enum WinEventFormat {
  /** Windows event log file: binary XML in 64 KiB chunks ({@link EvtxReader}). */
  EVTX,
  /**
   * evtx_dump JSON: concatenated or line-separated {@code {"Event": ...}} ({@link EvtxDumpJson}).
   */
  EVTX_DUMP_JSON,
  /** Winlogbeat / Elastic Common Schema, one JSON object per line ({@link EcsJsonLines}). */
  ECS_JSON_LINES,
  /** One flat JSON object per line, OTRF Security-Datasets style ({@link FlatJsonLines}). */
  FLAT_JSON_LINES,
  /** One {@code <Event>} XML document per line, Splunk XmlWinEventLog ({@link XmlEventLines}). */
  XML_EVENT_LINES,
  /**
   * OCSF 1.3 System Activity events, one JSON object per line ({@link OcsfJsonLines}): Process,
   * Module and Kernel Extension Activity as psfleet writes them from Sysmon events.
   */
  OCSF_JSON_LINES,
  /** None of the above: nothing is read, the report says why. */
  UNKNOWN
}
