package io.psfleet.jobs.detect;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.Rule;
import io.psfleet.jobs.event.EventKind;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.lineage.Ancestor;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.lineage.ImagePaths;
import java.io.Serializable;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The rules that one event decides alone (rules 2 to 5). Each looks at one kind of event and needs
 * nothing but the event and its ancestry.
 *
 * <ul>
 *   <li>{@link Rule#SENSITIVE_PROCESS_MODULE}: an ImageLoad into a process whose file name is in
 *       {@link DetectionConfig#sensitiveProcesses()} of a module that is unsigned or lies in a
 *       user-writable folder or on a network path ({@link ImagePaths#isUserWritable}). A signed
 *       module from Program Files (a vendor's credential provider) does not alert.
 *   <li>{@link Rule#PPID_SPOOFING}: a ProcessCreate whose reported parent is not its creator (pid
 *       and key both differ), unless the creator is System (pid 4) or the idle process (pid 0), or
 *       its image is one of {@link DetectionConfig#parentSpoofBrokers()}. Blocked creations alert
 *       too: the attempt shows the creator spoofs, whether or not the sensor let the child run.
 *   <li>{@link Rule#SUSPICIOUS_LINEAGE}: a ProcessCreate of one of {@link
 *       DetectionConfig#scriptHosts()} with one of {@link DetectionConfig#lureApplications()}
 *       anywhere in its (bounded) ancestry. Every script host of a chain alerts on its own; the
 *       alerts of one chain share their actor, the Office application or browser.
 *   <li>{@link Rule#SEARCH_ORDER_HIJACK}: an ImageLoad of a module named like one of {@link
 *       DetectionConfig#hijackableDlls()} from outside System32, SysWOW64 and WinSxS that is
 *       unsigned or lies in a user-writable folder. A signed copy an application ships in its own
 *       Program Files folder does not alert.
 * </ul>
 */
public final class HostRules implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int SYSTEM_PID = 4;
  private static final int IDLE_PID = 0;

  private final DetectionConfig config;

  public HostRules(DetectionConfig config) {
    this.config = config;
  }

  /** Hands every alert that {@code e} raises to {@code out}; most events raise none. */
  public void evaluate(EnrichedEvent e, Consumer<Alert> out) {
    Telemetry t = e.event();
    if (t.kind() == EventKind.IMAGE_LOAD) {
      emit(sensitiveProcessModule(e), out);
      emit(searchOrderHijack(e), out);
    } else if (t.kind() == EventKind.PROCESS_CREATE) {
      emit(parentSpoofing(e), out);
      emit(suspiciousLineage(e), out);
    }
  }

  /** Rule 2, or null. */
  Alert sensitiveProcessModule(EnrichedEvent e) {
    Telemetry t = e.event();
    if (t.kind() != EventKind.IMAGE_LOAD
        || t.processKey() == 0
        || !config.sensitiveProcesses().contains(ImagePaths.fileName(t.image()))
        || (t.signed() && !ImagePaths.isUserWritable(t.imageLoaded()))) {
      return null;
    }
    return Findings.hostAlert(
        Rule.SENSITIVE_PROCESS_MODULE,
        t,
        Findings.process(e),
        null,
        Findings.module(t, 0),
        Findings.describeProcess(t.image(), t.processId())
            + " loaded "
            + Findings.describeModule(t)
            + (t.signed() ? " from a user-writable folder" : ""),
        t.eventId());
  }

  /** Rule 3, or null. */
  Alert parentSpoofing(EnrichedEvent e) {
    Telemetry t = e.event();
    if (t.kind() != EventKind.PROCESS_CREATE
        || t.creatorProcessId() == SYSTEM_PID
        || t.creatorProcessId() == IDLE_PID
        || t.parentProcessId() == t.creatorProcessId()
        || t.parentKey() == t.creatorKey()
        || isBroker(t.creatorImage())) {
      return null;
    }
    return Findings.hostAlert(
        Rule.PPID_SPOOFING,
        t,
        Findings.process(e),
        Findings.creator(t),
        null,
        Findings.describeProcess(t.creatorImage(), t.creatorProcessId())
            + " created "
            + Findings.describeProcess(t.image(), t.processId())
            + " naming "
            + Findings.describeProcess(t.parentImage(), t.parentProcessId())
            + " as its parent"
            + blocked(t),
        t.eventId());
  }

  /** Rule 4, or null. */
  Alert suspiciousLineage(EnrichedEvent e) {
    Telemetry t = e.event();
    if (t.kind() != EventKind.PROCESS_CREATE
        || !config.scriptHosts().contains(ImagePaths.fileName(t.image()))) {
      return null;
    }
    Ancestor[] ancestry = e.ancestry() == null ? EnrichedEvent.NONE : e.ancestry();
    for (int i = 0; i < ancestry.length; i++) {
      if (config.lureApplications().contains(ImagePaths.fileName(ancestry[i].image()))) {
        StringBuilder chain = new StringBuilder();
        for (int j = i; j >= 0; j--) {
          chain.append(ImagePaths.fileName(ancestry[j].image())).append(" > ");
        }
        chain.append(ImagePaths.fileName(t.image()));
        return Findings.hostAlert(
            Rule.SUSPICIOUS_LINEAGE,
            t,
            Findings.process(e),
            Findings.ancestor(ancestry, i),
            null,
            Findings.describeProcess(t.image(), t.processId())
                + " started below "
                + Findings.describeProcess(ancestry[i].image(), ancestry[i].processId())
                + ": "
                + chain
                + blocked(t),
            t.eventId());
      }
    }
    return null;
  }

  /** Rule 5, or null. */
  Alert searchOrderHijack(EnrichedEvent e) {
    Telemetry t = e.event();
    if (t.kind() != EventKind.IMAGE_LOAD
        || t.processKey() == 0
        || !config.hijackableDlls().contains(ImagePaths.fileName(t.imageLoaded()))
        || ImagePaths.isSystemDirectory(t.imageLoaded())
        || (t.signed() && !ImagePaths.isUserWritable(t.imageLoaded()))) {
      return null;
    }
    return Findings.hostAlert(
        Rule.SEARCH_ORDER_HIJACK,
        t,
        Findings.process(e),
        null,
        Findings.module(t, 0),
        Findings.describeProcess(t.image(), t.processId())
            + " loaded "
            + Findings.describeModule(t)
            + " instead of the system copy",
        t.eventId());
  }

  private boolean isBroker(String creatorImage) {
    return creatorImage != null
        && config.parentSpoofBrokers().contains(creatorImage.toLowerCase(Locale.ROOT));
  }

  private static String blocked(Telemetry t) {
    return t.creationStatus() == 0
        ? ""
        : String.format(" (blocked by the sensor, status 0x%08x)", t.creationStatus());
  }

  private static void emit(Alert alert, Consumer<Alert> out) {
    if (alert != null) {
      out.accept(alert);
    }
  }
}
