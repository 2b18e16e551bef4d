package io.psfleet.jobs.event;

import io.psfleet.schema.EventHeader;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.ProcessAccess;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import io.psfleet.schema.ThreadExit;
import java.nio.charset.StandardCharsets;
import org.apache.avro.generic.GenericFixed;

/** The one place where the Avro {@link TelemetryEvent} becomes the jobs' {@link Telemetry}. */
public final class TelemetryMapping {
  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private TelemetryMapping() {}

  public static Telemetry from(TelemetryEvent event) {
    EventHeader h = event.getHeader();
    String host = h.getHostId();
    long boot = h.getBootId();
    long seq = h.getSequence();
    long time = h.getEventTimeNanos();
    Object body = event.getBody();
    if (body instanceof ProcessCreate p) {
      return new Telemetry(
          host,
          boot,
          seq,
          time,
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
          0,
          p.getOriginalFileName(),
          p.getDescription(),
          p.getProduct(),
          p.getCompany(),
          p.getFileVersion(),
          p.getCurrentDirectory(),
          orZero(p.getLogonId()),
          p.getLogonGuid(),
          p.getParentUser(),
          p.getTerminalSessionId(),
          hex(p.getMD5()),
          hex(p.getSHA1()),
          hex(p.getIMPHASH()),
          null,
          null,
          0,
          null);
    }
    if (body instanceof ImageLoad i) {
      return new Telemetry(
          host,
          boot,
          seq,
          time,
          EventKind.IMAGE_LOAD,
          i.getProcessId(),
          orZero(i.getProcessGuid()),
          i.getImage(),
          null,
          i.getUser(),
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
          0,
          i.getOriginalFileName(),
          i.getDescription(),
          i.getProduct(),
          i.getCompany(),
          i.getFileVersion(),
          null,
          0,
          null,
          null,
          0,
          hex(i.getMD5()),
          hex(i.getSHA1()),
          hex(i.getIMPHASH()),
          i.getSignatureStatus().name(),
          null,
          0,
          null);
    }
    if (body instanceof ThreadCreate t) {
      return new Telemetry(
          host,
          boot,
          seq,
          time,
          EventKind.THREAD_CREATE,
          t.getTargetProcessId(),
          t.getTargetProcessGuid(),
          t.getTargetImage(),
          null,
          t.getTargetUser(),
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
          0,
          null,
          null,
          null,
          null,
          null,
          null,
          0,
          null,
          null,
          0,
          null,
          null,
          null,
          null,
          t.getSourceUser(),
          0,
          null);
    }
    if (body instanceof ProcessAccess a) {
      return new Telemetry(
          host,
          boot,
          seq,
          time,
          EventKind.PROCESS_ACCESS,
          a.getTargetProcessId(),
          a.getTargetProcessGuid(),
          a.getTargetImage(),
          null,
          a.getTargetUser(),
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
          a.getSourceThreadId(),
          a.getSourceProcessGuid(),
          a.getSourceProcessId(),
          a.getSourceImage(),
          0,
          null,
          null,
          false,
          false,
          0,
          null,
          null,
          null,
          null,
          null,
          null,
          0,
          null,
          null,
          0,
          null,
          null,
          null,
          null,
          a.getSourceUser(),
          a.getGrantedAccess(),
          a.getCallTrace());
    }
    if (body instanceof ProcessExit x) {
      Telemetry exit =
          Telemetry.processExit(
              host,
              boot,
              seq,
              time,
              x.getProcessId(),
              x.getProcessGuid(),
              x.getImage(),
              x.getExitStatus());
      return x.getUser() == null ? exit : withUser(exit, x.getUser());
    }
    ThreadExit t = (ThreadExit) body;
    return Telemetry.threadExit(
        host, boot, seq, time, t.getProcessId(), t.getProcessGuid(), t.getThreadId());
  }

  private static Telemetry withUser(Telemetry e, String user) {
    return new Telemetry(
        e.hostId(),
        e.bootId(),
        e.sequence(),
        e.timeNanos(),
        e.kind(),
        e.processId(),
        e.processKey(),
        e.image(),
        null,
        user,
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
        e.exitStatus());
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  /**
   * Lower-case hex, as {@link java.util.HexFormat#formatHex} writes it, by a table into Latin-1
   * bytes: up to four hashes of every create and load are formatted on the decoding path, where
   * HexFormat's general loop (delimiters, prefixes, a char buffer copied into the string) showed up
   * among the job's costliest frames.
   */
  static String hex(GenericFixed hash) {
    if (hash == null) {
      return null;
    }
    byte[] bytes = hash.bytes();
    byte[] text = new byte[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      text[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xF];
      text[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xF];
    }
    return new String(text, StandardCharsets.ISO_8859_1);
  }
}
