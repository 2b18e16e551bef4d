package io.psfleet.jobs.lineage;

import io.psfleet.jobs.event.EventKind;
import io.psfleet.jobs.event.Telemetry;

/** Concise telemetry for lineage tests: one host, sequence numbers counted for you. */
final class LineageEvents {
  static final String HOST = "host-000001";
  static final long BOOT = 7;
  static final long SECOND = 1_000_000_000L;
  private long sequence;

  Telemetry create(
      long at, long key, int pid, String image, long parentKey, int parentPid, String parentImage) {
    return new Telemetry(
        HOST,
        BOOT,
        ++sequence,
        at * SECOND,
        EventKind.PROCESS_CREATE,
        pid,
        key,
        image,
        image + " /x",
        "CORP\\alice",
        "MEDIUM",
        parentKey,
        parentPid,
        parentImage,
        parentImage == null ? null : parentImage + " /x",
        parentKey,
        parentPid,
        parentImage,
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
        0);
  }

  Telemetry exit(long at, long key, int pid, String image) {
    return new Telemetry(
        HOST,
        BOOT,
        ++sequence,
        at * SECOND,
        EventKind.PROCESS_EXIT,
        pid,
        key,
        image,
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
        0);
  }

  Telemetry load(long at, long key, int pid, String image, String dll, boolean signed) {
    return new Telemetry(
        HOST,
        BOOT,
        ++sequence,
        at * SECOND,
        EventKind.IMAGE_LOAD,
        pid,
        key,
        image,
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
        dll,
        "ab",
        signed,
        signed ? "Microsoft Windows" : null,
        signed ? 12 : 1,
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

  Telemetry withSequence(Telemetry e, long seq) {
    return new Telemetry(
        e.hostId(),
        e.bootId(),
        seq,
        e.timeNanos(),
        e.kind(),
        e.processId(),
        e.processKey(),
        e.image(),
        e.commandLine(),
        e.user(),
        e.integrityLevel(),
        e.parentKey(),
        e.parentProcessId(),
        e.parentImage(),
        e.parentCommandLine(),
        e.creatorKey(),
        e.creatorProcessId(),
        e.creatorImage(),
        e.creationStatus(),
        e.imageLoaded(),
        e.sha256(),
        e.signed(),
        e.signer(),
        e.signatureLevel(),
        e.systemModeImage(),
        e.threadId(),
        e.sourceKey(),
        e.sourceProcessId(),
        e.sourceImage(),
        e.startAddress(),
        e.startModule(),
        e.startFunction(),
        e.remoteThread(),
        e.initialThread(),
        e.exitStatus());
  }
}
