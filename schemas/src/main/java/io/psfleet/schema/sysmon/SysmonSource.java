package io.psfleet.schema.sysmon;

/**
 * What {@link SysmonFields} renders from: one telemetry event's values, named as the jobs' flat
 * event record names them (which implements this interface as it is), so that the job's hot path
 * reads its own record and the simulator's writers read the Avro record ({@link
 * TelemetryEventSource}) through the same rendering.
 *
 * <p>Values an event's kind does not have are 0, false or null. Process keys of 0 mean "none".
 * {@code processKey}, {@code processId} and {@code image} name the process the event happens in
 * (for a thread, its owner: the target of a remote thread; for a process access, the process
 * opened); {@code source*} name a thread's creator or the process that opened the handle, whose
 * thread is then {@code threadId}; {@code user} is the token's user of the process the event
 * happens in.
 */
public interface SysmonSource {
  /** The Sysmon EventID: {@link SysmonFields#PROCESS_CREATE}, ..., or {@link SysmonFields#NONE}. */
  int sysmonEventId();

  String hostId();

  long timeNanos();

  long processKey();

  int processId();

  String image();

  String commandLine();

  String user();

  /** The schema's IntegrityLevel symbol ({@code HIGH}, {@code MEDIUM}, ...), or null. */
  String integrityLevel();

  long parentKey();

  int parentProcessId();

  String parentImage();

  String parentCommandLine();

  String imageLoaded();

  /**
   * Lowercase hex of the file's SHA-256, or null; likewise {@code md5}, {@code sha1}, {@code
   * imphash}.
   */
  String sha256();

  boolean signed();

  String signer();

  int threadId();

  long sourceKey();

  int sourceProcessId();

  String sourceImage();

  long startAddress();

  String startModule();

  String startFunction();

  String originalFileName();

  String description();

  String product();

  String company();

  String fileVersion();

  String currentDirectory();

  long logonId();

  String logonGuid();

  String parentUser();

  int terminalSessionId();

  String md5();

  String sha1();

  String imphash();

  /** The schema's SignatureStatus symbol ({@code VALID}, {@code UNSIGNED}, ...), or null. */
  String signatureStatus();

  String sourceUser();

  /** A process access's granted ACCESS_MASK; 0 for other events. */
  int grantedAccess();

  /** A process access's call trace as Sysmon renders it, or null. */
  String callTrace();
}
