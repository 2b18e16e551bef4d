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
    String host = h.getHostId();
    long boot = h.getBootId();
    long seq = h.getSequence();
    long time = h.getEventTimeNanos();
    Object body = event.getBody();
    if (body instanceof ProcessCreate p) {
      return Telemetry.processCreate(
          host,
          boot,
          seq,
          time,
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
          hex(p.getHashes()));
    }
    if (body instanceof ImageLoad i) {
      return Telemetry.imageLoad(
          host,
          boot,
          seq,
          time,
          i.getProcessId(),
          orZero(i.getProcessGuid()),
          i.getImage(),
          i.getImageLoaded(),
          hex(i.getHashes()),
          i.getSigned(),
          i.getSignature(),
          i.getImageSignatureLevel().ordinal(),
          i.getSystemModeImage());
    }
    if (body instanceof ThreadCreate t) {
      return Telemetry.threadCreate(
          host,
          boot,
          seq,
          time,
          t.getTargetProcessId(),
          t.getTargetProcessGuid(),
          t.getTargetImage(),
          t.getNewThreadId(),
          orZero(t.getSourceProcessGuid()),
          t.getSourceProcessId(),
          t.getSourceImage(),
          t.getStartAddress(),
          t.getStartModule(),
          t.getStartFunction(),
          t.getRemoteThread(),
          t.getInitialThread());
    }
    if (body instanceof ProcessExit x) {
      return Telemetry.processExit(
          host,
          boot,
          seq,
          time,
          x.getProcessId(),
          x.getProcessGuid(),
          x.getImage(),
          x.getExitStatus());
    }
    ThreadExit t = (ThreadExit) body;
    return Telemetry.threadExit(
        host, boot, seq, time, t.getProcessId(), t.getProcessGuid(), t.getThreadId());
  }

  private static long orZero(Long key) {
    return key == null ? 0 : key;
  }

  private static String hex(Sha256 hash) {
    return hash == null ? null : HEX.formatHex(hash.bytes());
  }
}
