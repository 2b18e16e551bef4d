package io.psfleet.sigma;

import java.util.Locale;

/**
 * The kinds of Windows events the engine routes rules by, with the one mapping between Sysmon event
 * ids and Sigma logsource categories.
 */
public enum EventKind {
  PROCESS_CREATION(1, "process_creation"),
  PROCESS_TERMINATION(5, "process_termination"),
  DRIVER_LOAD(6, "driver_load"),
  IMAGE_LOAD(7, "image_load"),
  CREATE_REMOTE_THREAD(8, "create_remote_thread"),
  PROCESS_ACCESS(10, "process_access");

  private static final EventKind[] BY_EVENT_ID = new EventKind[11];

  static {
    for (EventKind k : values()) {
      BY_EVENT_ID[k.sysmonEventId] = k;
    }
  }

  private final int sysmonEventId;
  private final String category;

  EventKind(int sysmonEventId, String category) {
    this.sysmonEventId = sysmonEventId;
    this.category = category;
  }

  /** The Sysmon event id of this kind (1 for process creation). */
  public int sysmonEventId() {
    return sysmonEventId;
  }

  /** The Sigma logsource category of this kind. */
  public String category() {
    return category;
  }

  /** The kind of a Sysmon event id, or null for ids the engine does not route. */
  public static EventKind ofSysmonEventId(int eventId) {
    return eventId >= 0 && eventId < BY_EVENT_ID.length ? BY_EVENT_ID[eventId] : null;
  }

  /** The kind of a Sigma logsource category (case-insensitive), or null. */
  public static EventKind ofCategory(String category) {
    if (category == null) {
      return null;
    }
    String c = category.toLowerCase(Locale.ROOT);
    for (EventKind k : values()) {
      if (k.category.equals(c)) {
        return k;
      }
    }
    return null;
  }
}
