package io.psfleet.winevent;

/**
 * What Sysmon's own log says around an event's EventData, for writers that must look like it: its
 * provider, channel, and per event id the schema version and task name (Sysmon 15, schema 4.90). An
 * event id missing here is written with version 0 and no task name.
 */
final class SysmonLog {
  static final String PROVIDER = "Microsoft-Windows-Sysmon";
  static final String PROVIDER_GUID = "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}";
  static final String CHANNEL = "Microsoft-Windows-Sysmon/Operational";

  private SysmonLog() {}

  /** The {@code System/Version} Sysmon writes for {@code eventId}. */
  static int version(int eventId) {
    return switch (eventId) {
      case 1 -> 5;
      case 5, 7, 10 -> 3;
      case 6 -> 4;
      case 8 -> 2;
      default -> 0;
    };
  }

  /** The task's display name (Winlogbeat's {@code winlog.task}, NXLog's {@code Category}). */
  static String task(int eventId) {
    return switch (eventId) {
      case 1 -> "Process Create (rule: ProcessCreate)";
      case 5 -> "Process terminated (rule: ProcessTerminate)";
      case 6 -> "Driver loaded (rule: DriverLoad)";
      case 7 -> "Image loaded (rule: ImageLoad)";
      case 8 -> "CreateRemoteThread detected (rule: CreateRemoteThread)";
      case 10 -> "Process accessed (rule: ProcessAccess)";
      default -> null;
    };
  }

  /** The provider to write: the event's own, or Sysmon's when it has none. */
  static String provider(WinEvent e) {
    return e.provider() != null ? e.provider() : PROVIDER;
  }

  static String channel(WinEvent e) {
    return e.channel() != null ? e.channel() : CHANNEL;
  }
}
