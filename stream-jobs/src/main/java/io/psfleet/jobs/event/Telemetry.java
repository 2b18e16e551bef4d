package io.psfleet.jobs.event;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One telemetry event inside the jobs: a flat record with the fields of every kind, serialized by
 * {@link TelemetrySerializer} (no reflection, no Kryo); fields a kind does not have are 0, false or
 * null. Process keys of 0 mean "none" (a 64-bit hash is 0 with negligible probability).
 *
 * <p>Per kind: {@code processKey}, {@code processId} and {@code image} name the process the event
 * happens in (the new process; the exiting one; the one that mapped the image, 0 for a driver; the
 * thread's owner, i.e. the target of a remote thread). {@code source*} name a thread's creator.
 *
 * @param creationStatus non-zero when a sensor blocked the process; it never ran
 * @param sha256 lowercase hex of the image or executable hash, or null
 * @param signatureLevel SE_SIGNING_LEVEL ordinal (UNSIGNED 1, AUTHENTICODE 4, MICROSOFT 8, WINDOWS
 *     12)
 */
@TypeInfo(TelemetryTypeInfo.Factory.class)
public record Telemetry(
    String hostId,
    long bootId,
    long sequence,
    long timeNanos,
    EventKind kind,
    int processId,
    long processKey,
    String image,
    String commandLine,
    String user,
    String integrityLevel,
    long parentKey,
    int parentProcessId,
    String parentImage,
    String parentCommandLine,
    long creatorKey,
    int creatorProcessId,
    String creatorImage,
    int creationStatus,
    String imageLoaded,
    String sha256,
    boolean signed,
    String signer,
    int signatureLevel,
    boolean systemModeImage,
    int threadId,
    long sourceKey,
    int sourceProcessId,
    String sourceImage,
    long startAddress,
    String startModule,
    String startFunction,
    boolean remoteThread,
    boolean initialThread,
    int exitStatus) {

  /** A process creation; the fields of other kinds stay empty. */
  public static Telemetry processCreate(
      String hostId,
      long bootId,
      long sequence,
      long timeNanos,
      int processId,
      long processKey,
      String image,
      String commandLine,
      String user,
      String integrityLevel,
      long parentKey,
      int parentProcessId,
      String parentImage,
      String parentCommandLine,
      long creatorKey,
      int creatorProcessId,
      String creatorImage,
      int creationStatus,
      String sha256) {
    return new Telemetry(
        hostId,
        bootId,
        sequence,
        timeNanos,
        EventKind.PROCESS_CREATE,
        processId,
        processKey,
        image,
        commandLine,
        user,
        integrityLevel,
        parentKey,
        parentProcessId,
        parentImage,
        parentCommandLine,
        creatorKey,
        creatorProcessId,
        creatorImage,
        creationStatus,
        null,
        sha256,
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

  /** An image mapped into a process (processKey 0 and no image for a driver). */
  public static Telemetry imageLoad(
      String hostId,
      long bootId,
      long sequence,
      long timeNanos,
      int processId,
      long processKey,
      String image,
      String imageLoaded,
      String sha256,
      boolean signed,
      String signer,
      int signatureLevel,
      boolean systemModeImage) {
    return new Telemetry(
        hostId,
        bootId,
        sequence,
        timeNanos,
        EventKind.IMAGE_LOAD,
        processId,
        processKey,
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
        imageLoaded,
        sha256,
        signed,
        signer,
        signatureLevel,
        systemModeImage,
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

  /** A thread created in the target process {@code processKey} by the source process. */
  public static Telemetry threadCreate(
      String hostId,
      long bootId,
      long sequence,
      long timeNanos,
      int processId,
      long processKey,
      String image,
      int threadId,
      long sourceKey,
      int sourceProcessId,
      String sourceImage,
      long startAddress,
      String startModule,
      String startFunction,
      boolean remoteThread,
      boolean initialThread) {
    return new Telemetry(
        hostId,
        bootId,
        sequence,
        timeNanos,
        EventKind.THREAD_CREATE,
        processId,
        processKey,
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
        threadId,
        sourceKey,
        sourceProcessId,
        sourceImage,
        startAddress,
        startModule,
        startFunction,
        remoteThread,
        initialThread,
        0);
  }

  /** A process exit. */
  public static Telemetry processExit(
      String hostId,
      long bootId,
      long sequence,
      long timeNanos,
      int processId,
      long processKey,
      String image,
      int exitStatus) {
    return new Telemetry(
        hostId,
        bootId,
        sequence,
        timeNanos,
        EventKind.PROCESS_EXIT,
        processId,
        processKey,
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
        exitStatus);
  }

  /** A thread exit. */
  public static Telemetry threadExit(
      String hostId,
      long bootId,
      long sequence,
      long timeNanos,
      int processId,
      long processKey,
      int threadId) {
    return new Telemetry(
        hostId,
        bootId,
        sequence,
        timeNanos,
        EventKind.THREAD_EXIT,
        processId,
        processKey,
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
        threadId,
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

  /** The event's id in alerts and reports: host, boot and sequence number. */
  public String eventId() {
    return eventId(hostId, bootId, sequence);
  }

  public static String eventId(String hostId, long bootId, long sequence) {
    return hostId + ":" + Long.toHexString(bootId) + ":" + sequence;
  }
}
