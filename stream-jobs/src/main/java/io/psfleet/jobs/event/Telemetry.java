package io.psfleet.jobs.event;

import io.psfleet.schema.sysmon.SysmonFields;
import io.psfleet.schema.sysmon.SysmonSource;
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
 * <p>{@code user} is the token's user of the process the event happens in (for a thread, the
 * target's); {@code sourceUser} is a thread creator's. Fields after {@code exitStatus} came with
 * schema v2 and are null (or 0) for events a v1 sensor wrote; {@link SysmonFields} renders them the
 * way Sysmon does.
 *
 * <p>A process access (schema v3, Sysmon event 10) names the opened process as the event's process
 * ({@code processKey}, {@code processId}, {@code image}, {@code user}) and the opener as its source
 * ({@code sourceKey}, {@code sourceProcessId}, {@code sourceImage}, {@code sourceUser}), with the
 * opening thread as {@code threadId}.
 *
 * @param creationStatus non-zero when a sensor blocked the process; it never ran
 * @param sha256 lowercase hex of the image or executable hash, or null
 * @param signatureLevel SE_SIGNING_LEVEL ordinal (UNSIGNED 1, AUTHENTICODE 4, MICROSOFT 8, WINDOWS
 *     12)
 * @param originalFileName version resource of the executable (process create) or the image (image
 *     load); null when the file has none or the sensor did not say, likewise {@code description},
 *     {@code product}, {@code company}, {@code fileVersion}
 * @param logonId the token's logon session LUID, 0 when unknown
 * @param logonGuid the logon session as Sysmon's {@code {...}} GUID, or null
 * @param md5 lowercase hex, or null when the sensor does not compute it; likewise {@code sha1} and
 *     {@code imphash}
 * @param signatureStatus the schema's SignatureStatus symbol ({@code VALID}, {@code UNSIGNED}, ...)
 *     of an image load, or null
 * @param grantedAccess the ACCESS_MASK a process access's handle was granted, else 0
 * @param callTrace a process access's call trace as Sysmon renders it, or null
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
    int exitStatus,
    String originalFileName,
    String description,
    String product,
    String company,
    String fileVersion,
    String currentDirectory,
    long logonId,
    String logonGuid,
    String parentUser,
    int terminalSessionId,
    String md5,
    String sha1,
    String imphash,
    String signatureStatus,
    String sourceUser,
    int grantedAccess,
    String callTrace)
    implements SysmonSource {

  @Override
  public int sysmonEventId() {
    return switch (kind) {
      case PROCESS_CREATE -> SysmonFields.PROCESS_CREATE;
      case PROCESS_EXIT -> SysmonFields.PROCESS_TERMINATED;
      case IMAGE_LOAD -> SysmonFields.imageLoadEventId(systemModeImage, processId);
      case THREAD_CREATE -> SysmonFields.threadCreateEventId(remoteThread, initialThread);
      case THREAD_EXIT -> SysmonFields.NONE;
      case PROCESS_ACCESS -> SysmonFields.PROCESS_ACCESS;
    };
  }

  /** The v1 fields only; every v2 field null or 0. */
  public Telemetry(
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
    this(
        hostId,
        bootId,
        sequence,
        timeNanos,
        kind,
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
        imageLoaded,
        sha256,
        signed,
        signer,
        signatureLevel,
        systemModeImage,
        threadId,
        sourceKey,
        sourceProcessId,
        sourceImage,
        startAddress,
        startModule,
        startFunction,
        remoteThread,
        initialThread,
        exitStatus,
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
        null,
        0,
        null);
  }

  /** This event with another sequence number (tests and replays). */
  public Telemetry withSequence(long newSequence) {
    return new Telemetry(
        hostId,
        bootId,
        newSequence,
        timeNanos,
        kind,
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
        imageLoaded,
        sha256,
        signed,
        signer,
        signatureLevel,
        systemModeImage,
        threadId,
        sourceKey,
        sourceProcessId,
        sourceImage,
        startAddress,
        startModule,
        startFunction,
        remoteThread,
        initialThread,
        exitStatus,
        originalFileName,
        description,
        product,
        company,
        fileVersion,
        currentDirectory,
        logonId,
        logonGuid,
        parentUser,
        terminalSessionId,
        md5,
        sha1,
        imphash,
        signatureStatus,
        sourceUser,
        grantedAccess,
        callTrace);
  }

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
