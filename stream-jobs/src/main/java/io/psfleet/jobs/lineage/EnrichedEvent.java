package io.psfleet.jobs.lineage;

import io.psfleet.jobs.event.Telemetry;
import io.psfleet.schema.sysmon.SysmonFields;

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
    Ancestor parent = knownParent();
    return parent == null
        ? SysmonFields.of(event)
        : SysmonFields.of(event, parent.image(), parent.commandLine());
  }

  /** As {@link #sysmonFields()}, into a view kept for reuse ({@link SysmonFields#reusable()}). */
  public SysmonFields sysmonFields(SysmonFields view) {
    Ancestor parent = knownParent();
    return parent == null
        ? view.reset(event, null, null)
        : view.reset(event, parent.image(), parent.commandLine());
  }

  /** The event's parent as lineage knows it, or null. */
  private Ancestor knownParent() {
    return ancestry.length > 0 && ancestry[0].key() == event.parentKey() && event.parentKey() != 0
        ? ancestry[0]
        : null;
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
