package io.psfleet.jobs.sigma;

import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.schema.sysmon.SysmonFields;
import io.psfleet.schema.sysmon.SysmonGuids;

/**
 * The fields psfleet adds to Sysmon's for Sigma rules: what a rule needs and Sysmon's events cannot
 * say, computed from the job's lineage state (ancestry beyond the parent) and from what the kernel
 * hands the sensor (the real creator of a process). Rules read them like any field; keyword
 * searches do not see them, since Sysmon does not write them. Documented in the README beside the
 * Sysmon field table.
 */
public enum ExtensionFields {
  /** Event 1: the image of the new process's grandparent, as SigmaHQ rules already name it. */
  GrandParentImage,
  /**
   * Events 1, 5, 7, 8: the images of every ancestor lineage knows of the event's process (for event
   * 8 the target), parent first, joined by {@code |} (no Windows path holds one); images lineage
   * never learnt are left out.
   */
  AncestorImages,
  /** Event 1: the process whose thread created the new one (the kernel's CreatingThreadId). */
  CreatorProcessId,
  /** Event 1: that creator's ProcessGuid, rendered as Sysmon renders ProcessGuid. */
  CreatorProcessGuid,
  /** Event 1: that creator's image. */
  CreatorImage;

  private static final ExtensionFields[] ALL = values();
  private static final String ZERO_GUID = "{00000000-0000-0000-0000-000000000000}";

  /** The extension field named {@code name} (case-sensitive, as Sysmon's fields), or null. */
  public static ExtensionFields of(String name) {
    for (ExtensionFields f : ALL) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  /** This field of {@code event} (whose Sysmon EventID is {@code eventId}), or null. */
  public String of(EnrichedEvent event, int eventId) {
    Telemetry t = event.event();
    boolean create = eventId == SysmonFields.PROCESS_CREATE;
    return switch (this) {
      case GrandParentImage -> create ? grandParentImage(event) : null;
      case AncestorImages ->
          eventId == SysmonFields.PROCESS_CREATE
                  || eventId == SysmonFields.PROCESS_TERMINATED
                  || eventId == SysmonFields.IMAGE_LOADED
                  || eventId == SysmonFields.CREATE_REMOTE_THREAD
              ? ancestorImages(event.ancestry())
              : null;
      case CreatorProcessId -> create ? Integer.toString(t.creatorProcessId()) : null;
      case CreatorProcessGuid ->
          !create
              ? null
              : t.creatorKey() == 0
                  ? ZERO_GUID
                  : SysmonGuids.processGuid(SysmonGuids.machinePart(t.hostId()), t.creatorKey());
      case CreatorImage -> create ? t.creatorImage() : null;
    };
  }

  /**
   * The grandparent is the second ancestor, but only when the first is the event's own parent:
   * lineage may know a chain that starts above a parent it never saw.
   */
  private static String grandParentImage(EnrichedEvent event) {
    Ancestor[] a = event.ancestry();
    long parent = event.event().parentKey();
    return a != null && a.length > 1 && parent != 0 && a[0].key() == parent ? a[1].image() : null;
  }

  private static String ancestorImages(Ancestor[] ancestry) {
    if (ancestry == null || ancestry.length == 0) {
      return null;
    }
    StringBuilder b = new StringBuilder(ancestry.length * 40);
    for (Ancestor a : ancestry) {
      if (a.image() != null) {
        if (b.length() > 0) {
          b.append('|');
        }
        b.append(a.image());
      }
    }
    return b.length() == 0 ? null : b.toString();
  }
}
