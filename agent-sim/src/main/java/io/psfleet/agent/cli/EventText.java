package io.psfleet.agent.cli;

import io.psfleet.agent.kernel.NtStatus;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.ProcessAccess;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import io.psfleet.schema.ThreadExit;

/** One readable line per telemetry event, for people watching a run in a terminal. */
final class EventText {
  private EventText() {}

  static String line(TelemetryEvent event, long bootTimeNanos) {
    var h = event.getHeader();
    String prefix =
        String.format(
            "%s #%-4d +%7.3fs ",
            h.getHostId(), h.getSequence(), (h.getEventTimeNanos() - bootTimeNanos) / 1e9);
    Object body = event.getBody();
    if (body instanceof ProcessCreate p) {
      String status =
          p.getCreationStatus() == 0 ? "" : "  BLOCKED " + NtStatus.describe(p.getCreationStatus());
      String creator =
          p.getCreatorProcessId() == p.getParentProcessId()
              ? ""
              : "  creator=" + name(p.getCreatorImage()) + "(" + p.getCreatorProcessId() + ")";
      return prefix
          + String.format(
              "process create  %-16s pid=%-5d parent=%s(%d)%s  key=%016x%s",
              name(p.getImage()),
              p.getProcessId(),
              name(p.getParentImage()),
              p.getParentProcessId(),
              creator,
              p.getProcessGuid(),
              status);
    }
    if (body instanceof ProcessExit p) {
      return prefix
          + String.format(
              "process exit    %-16s pid=%-5d status=%d",
              name(p.getImage()), p.getProcessId(), p.getExitStatus());
    }
    if (body instanceof ImageLoad i) {
      return prefix
          + String.format(
              "image load      %-16s pid=%-5d %s  %s",
              i.getProcessId() == 0 ? "(kernel)" : name(i.getImage()),
              i.getProcessId(),
              i.getImageLoaded(),
              i.getSigned() ? "signed by " + i.getSignature() : "UNSIGNED");
    }
    if (body instanceof ThreadCreate t) {
      String kind =
          t.getRemoteThread()
              ? "REMOTE thread"
              : t.getInitialThread() ? "initial thread" : "thread create";
      String start =
          t.getStartModule() == null
              ? String.format("0x%x (no module)", t.getStartAddress())
              : name(t.getStartModule())
                  + (t.getStartFunction() == null ? "" : "!" + t.getStartFunction());
      return prefix
          + String.format(
              "%-15s %-16s tid=%-5d in %s(%d) start=%s",
              kind,
              name(t.getSourceImage()),
              t.getNewThreadId(),
              name(t.getTargetImage()),
              t.getTargetProcessId(),
              start);
    }
    if (body instanceof ProcessAccess a) {
      return prefix
          + String.format(
              "process access  %-16s pid=%-5d opened %s(%d) access=0x%x",
              name(a.getSourceImage()),
              a.getSourceProcessId(),
              name(a.getTargetImage()),
              a.getTargetProcessId(),
              a.getGrantedAccess());
    }
    ThreadExit t = (ThreadExit) body;
    return prefix
        + String.format("thread exit     pid=%-5d tid=%d", t.getProcessId(), t.getThreadId());
  }

  private static String name(String path) {
    return path == null ? "?" : path.substring(path.lastIndexOf('\\') + 1);
  }
}
