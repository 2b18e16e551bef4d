package io.psfleet.sigma.correlation;

/**
 * The process an event is about (for a remote thread, its target), kept with each sighting so a
 * correlation's alert can name the process of the event that completed it.
 *
 * @param processKey the process key (Sysmon's ProcessGuid), 0 where unknown
 * @param detail what the application wants back in the alert about this event (psfleet: the process
 *     with its ancestry, the actor, the module), carried unread by the engine; null for none. It is
 *     kept in correlation state with the sighting, so keep it small.
 */
public record Subject(long processKey, int processId, String image, String detail) {
  /** A subject without detail. */
  public Subject(long processKey, int processId, String image) {
    this(processKey, processId, image, null);
  }
}
