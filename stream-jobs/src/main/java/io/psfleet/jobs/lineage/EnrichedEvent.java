package io.psfleet.jobs.lineage;

import io.psfleet.jobs.event.SysmonFields;
import io.psfleet.jobs.event.Telemetry;

/**
 * An event with the ancestry of the process it happens in (parent first, bounded depth) and, for a
 * remote thread, the ancestry of its creator. Arrays, not lists, so Flink serializes them without
 * Kryo.
 */
public record EnrichedEvent(Telemetry event, Ancestor[] ancestry, Ancestor[] sourceAncestry) {
  public static final Ancestor[] NONE = new Ancestor[0];

  /**
   * The event as Sysmon would write it; a process create whose sensor could no longer read its
   * parent gets the parent's image and command line from the ancestry, as far as lineage knows
   * them.
   */
  public SysmonFields sysmonFields() {
    if (ancestry.length > 0 && ancestry[0].key() == event.parentKey() && event.parentKey() != 0) {
      return SysmonFields.of(event, ancestry[0].image(), ancestry[0].commandLine());
    }
    return SysmonFields.of(event);
  }

  /** True when any ancestor's image file name (lowercase) is in {@code names}. */
  public boolean hasAncestorNamed(java.util.Set<String> names) {
    for (Ancestor ancestor : ancestry) {
      if (ancestor.image() != null && names.contains(ImagePaths.fileName(ancestor.image()))) {
        return true;
      }
    }
    return false;
  }
}
