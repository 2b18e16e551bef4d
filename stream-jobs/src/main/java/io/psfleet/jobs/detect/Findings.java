package io.psfleet.jobs.detect;

import io.psfleet.jobs.alert.ModuleRef;
import io.psfleet.jobs.alert.ProcessRef;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.lineage.ImagePaths;
import java.util.Arrays;

/** The parts of an alert, taken from the events that made it: the rules share these. */
public final class Findings {
  private Findings() {}

  /** The process {@code e} happens in, with its ancestry. */
  public static ProcessRef process(EnrichedEvent e) {
    Telemetry t = e.event();
    return new ProcessRef(
        t.processKey(),
        t.processId(),
        t.image(),
        t.commandLine(),
        t.user(),
        ancestry(e.ancestry()));
  }

  /**
   * The process that created the remote thread {@code thread} (or opened the process of a process
   * access), with its ancestry. Takes {@link EnrichedEvent#sourceAncestry()} either as the
   * creator's ancestors or as the creator itself followed by them (then the creator's command line
   * comes from there).
   */
  public static ProcessRef threadSource(EnrichedEvent thread) {
    Telemetry t = thread.event();
    Ancestor[] ancestry = ancestry(thread.sourceAncestry());
    String commandLine = null;
    if (ancestry.length > 0 && ancestry[0].key() == t.sourceKey() && t.sourceKey() != 0) {
      commandLine = ancestry[0].commandLine();
      ancestry = Arrays.copyOfRange(ancestry, 1, ancestry.length);
    }
    return new ProcessRef(
        t.sourceKey(), t.sourceProcessId(), t.sourceImage(), commandLine, null, ancestry);
  }

  /** The process whose thread really created the new process of {@code create}. */
  public static ProcessRef creator(Telemetry create) {
    return new ProcessRef(
        create.creatorKey(),
        create.creatorProcessId(),
        create.creatorImage(),
        null,
        null,
        EnrichedEvent.NONE);
  }

  /**
   * The process that created the new process of {@code create}: its parent with the parent's
   * ancestry when the parent created it, else the real creator (the parent was spoofed).
   */
  public static ProcessRef creatorOrParent(EnrichedEvent create) {
    Telemetry t = create.event();
    Ancestor[] ancestry = ancestry(create.ancestry());
    boolean parentCreated =
        t.creatorKey() == t.parentKey() || t.creatorProcessId() == t.parentProcessId();
    if (parentCreated && ancestry.length > 0 && ancestry[0].key() == t.parentKey()) {
      return ancestor(ancestry, 0);
    }
    return creator(t);
  }

  /** " (created by X naming Y as its parent)" when the creator is not the parent, else "". */
  public static String spoofedParent(Telemetry create) {
    if (create.creatorKey() == create.parentKey()
        || create.creatorProcessId() == create.parentProcessId()) {
      return "";
    }
    return " (created by "
        + describeProcess(create.creatorImage(), create.creatorProcessId())
        + " naming "
        + describeProcess(create.parentImage(), create.parentProcessId())
        + " as its parent)";
  }

  /** " (blocked by the sensor, status 0x...)" for a creation the sensor refused, else "". */
  public static String blocked(Telemetry create) {
    return create.creationStatus() == 0
        ? ""
        : String.format(" (blocked by the sensor, status 0x%08x)", create.creationStatus());
  }

  /** Ancestor {@code index} of {@code ancestry}, with the ancestors above it as its own. */
  public static ProcessRef ancestor(Ancestor[] ancestry, int index) {
    Ancestor a = ancestry[index];
    return new ProcessRef(
        a.key(),
        a.processId(),
        a.image(),
        a.commandLine(),
        null,
        Arrays.copyOfRange(ancestry, index + 1, ancestry.length));
  }

  /** The module an ImageLoad event mapped. */
  public static ModuleRef module(Telemetry load, int fleetHosts) {
    return new ModuleRef(
        load.imageLoaded(), load.sha256(), load.signed(), load.signer(), fleetHosts);
  }

  /** "unsigned C:\x\y.dll" or "C:\x\y.dll signed by Vendor", for messages. */
  public static String describeModule(Telemetry load) {
    return load.signed()
        ? load.imageLoaded() + " signed by " + load.signer()
        : "unsigned " + load.imageLoaded();
  }

  /** "notepad.exe (pid 4242)", for messages. */
  public static String describeProcess(String image, int processId) {
    String name = image == null ? "unknown process" : ImagePaths.fileName(image);
    return name + " (pid " + processId + ")";
  }

  private static Ancestor[] ancestry(Ancestor[] ancestry) {
    return ancestry == null ? EnrichedEvent.NONE : ancestry;
  }
}
