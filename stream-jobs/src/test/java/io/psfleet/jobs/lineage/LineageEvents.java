package io.psfleet.jobs.lineage;

import io.psfleet.jobs.event.Telemetry;

/** Concise telemetry for lineage tests: one host, sequence numbers counted for you. */
final class LineageEvents {
  static final String HOST = "host-000001";
  static final long BOOT = 7;
  static final long SECOND = 1_000_000_000L;
  private long sequence;

  Telemetry create(
      long at, long key, int pid, String image, long parentKey, int parentPid, String parentImage) {
    return Telemetry.processCreate(
        HOST,
        BOOT,
        ++sequence,
        at * SECOND,
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
        null);
  }

  Telemetry exit(long at, long key, int pid, String image) {
    return Telemetry.processExit(HOST, BOOT, ++sequence, at * SECOND, pid, key, image, 0);
  }

  Telemetry load(long at, long key, int pid, String image, String dll, boolean signed) {
    return Telemetry.imageLoad(
        HOST,
        BOOT,
        ++sequence,
        at * SECOND,
        pid,
        key,
        image,
        dll,
        "ab",
        signed,
        signed ? "Microsoft Windows" : null,
        signed ? 12 : 1,
        false);
  }

  Telemetry withSequence(Telemetry e, long seq) {
    return on(e.hostId(), e, seq);
  }

  /** {@code e} as host {@code host} sent it, with sequence number {@code seq}. */
  Telemetry on(String host, Telemetry e, long seq) {
    return new Telemetry(
        host,
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
