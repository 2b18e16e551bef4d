package io.psfleet.jobs.event;

import io.psfleet.schema.EventHeader;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.Sha256;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import io.psfleet.schema.ThreadExit;
import java.util.HexFormat;

/** The one place where the Avro {@link TelemetryEvent} becomes the jobs' {@link Telemetry}. */
public final class TelemetryMapping {
  private static final HexFormat HEX = HexFormat.of();

  private TelemetryMapping() {}

  public static Telemetry from(TelemetryEvent event) {
    EventHeader h = event.getHeader();
    Object body = event.getBody();
    if (body instanceof ProcessCreate p) {
      return new Telemetry(
          h.getHostId(),
          h.getBootId(),
          h.getSequence(),
          h.getEventTimeNanos(),
          EventKind.PROCESS_CREATE,
          p.getProcessId(),
          p.getProcessGuid(),
          p.getImage(),
          p.getCommandLine(),
          p.getUser(),
          p.getIntegrityLevel().name(),
          orZero(p.getParentProcessGuid()),
          p.getParentProcessId(),
          p.getParentImage(),
          p.getParentCommandLine(),
          orZero(p.getCreatorProcessGuid()),
          p.getCreatorProcessId(),
          p.getCreatorImage(),
          p.getCreationStatus(),
          null,
          hex(p.getHashes()),
          false,
          null,
          0,
          false,
          0,
          0,
          0,
          null,
          0,
          null,
          null,
          false,
          false,
          0);
    }
    if (body instanceof ImageLoad i) {
      return new Telemetry(
          h.getHostId(),
          h.getBootId(),
          h.getSequence(),
          h.getEventTimeNanos(),
          EventKind.IMAGE_LOAD,
          i.getProcessId(),
          orZero(i.getProcessGuid()),
          i.getImage(),
          null,
          null,
          null,
          0,
          0,
          null,
          null,
          0,
          0,
          null,
          0,
          i.getImageLoaded(),
          hex(i.getHashes()),
          i.getSigned(),
          i.getSignature(),
          i.getImageSignatureLevel().ordinal(),
          i.getSystemModeImage(),
          0,
          0,
          0,
          null,
          0,
          null,
          null,
          false,
          false,
          0);
    }
    if (body instanceof ThreadCreate t) {
      return new Telemetry(
          h.getHostId(),
          h.getBootId(),
          h.getSequence(),
          h.getEventTimeNanos(),
          EventKind.THREAD_CREATE,
          t.getTargetProcessId(),
          t.getTargetProcessGuid(),
          t.getTargetImage(),
          null,
          null,
          null,
          0,
          0,
          null,
          null,
          0,
          0,
          null,
          0,
          null,
          null,
          false,
          null,
          0,
          false,
          t.getNewThreadId(),
          orZero(t.getSourceProcessGuid()),
          t.getSourceProcessId(),
          t.getSourceImage(),
          t.getStartAddress(),
          t.getStartModule(),
          t.getStartFunction(),
          t.getRemoteThread(),
          t.getInitialThread(),
          0);
    }
    if (body instanceof ProcessExit x) {
      return new Telemetry(
          h.getHostId(),
          h.getBootId(),
          h.getSequence(),
          h.getEventTimeNanos(),
          EventKind.PROCESS_EXIT,
          x.getProcessId(),
          x.getProcessGuid(),
          x.getImage(),
          null,
          null,
          null,
          0,
          0,
          null,
          null,
          0,
          0,
          null,
          0,
          null,
          null,
          false,
          null,
          0,
          false,
          0,
          0,
          0,
          null,
          0,
          null,
          null,
          false,
          false,
          x.getExitStatus());
    }
    ThreadExit t = (ThreadExit) body;
    return new Telemetry(
        h.getHostId(),
        h.getBootId(),
        h.getSequence(),
        h.getEventTimeNanos(),
        EventKind.THREAD_EXIT,
        t.getProcessId(),
        t.getProcessGuid(),
        null,
        null,
        null,
        null,
        0,
        0,
        null,
        null,
        0,
        0,
        null,
        0,
        null,
        null,
        false,
        null,
        0,
        false,
        t.getThreadId(),
        0,
        0,
        null,
        0,
        null,
        null,
        false,
        false,
        0);
  }

  private static long orZero(Long key) {
    return key == null ? 0 : key;
  }

  private static String hex(Sha256 hash) {
    return hash == null ? null : HEX.formatHex(hash.bytes());
  }
}
