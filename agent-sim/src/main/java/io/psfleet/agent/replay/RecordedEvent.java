package io.psfleet.agent.replay;

import io.psfleet.agent.kernel.ProcessToken.IntegrityLevel;
import io.psfleet.agent.kernel.VersionResource;

/**
 * One Sysmon event of a recording (1, 5, 6, 7, 8 or 10), mapped onto what psfleet's kernel model
 * can re-enact: the process, image, handle and account facts that the sensor on the target host
 * then reports in the schema v2 fields. Process identities are the recording's own (Sysmon
 * ProcessGuids); the player maps them onto processes of the target host.
 */
public sealed interface RecordedEvent {
  /** Time since the recording's first event. */
  long offsetNanos();

  /** The event's position in its file, from 0, for messages. */
  long index();

  /**
   * The ProcessGuid of the process the event happens in (the creating process's child for a create;
   * the source for a remote thread), or null for a driver.
   */
  String processGuid();

  /** Sysmon event 1. */
  record ProcessStart(
      long offsetNanos,
      long index,
      String processGuid,
      int processId,
      RecordedImage image,
      String commandLine,
      String currentDirectory,
      RecordedAccount account,
      String parentGuid,
      int parentProcessId,
      String parentImage,
      String parentCommandLine,
      String parentUser)
      implements RecordedEvent {}

  /** Sysmon event 5. */
  record ProcessEnd(
      long offsetNanos, long index, String processGuid, int processId, String image, String user)
      implements RecordedEvent {}

  /** Sysmon event 6. */
  record DriverLoad(long offsetNanos, long index, RecordedImage driver) implements RecordedEvent {
    @Override
    public String processGuid() {
      return null;
    }
  }

  /** Sysmon event 7. */
  record ModuleLoad(
      long offsetNanos,
      long index,
      String processGuid,
      int processId,
      String image,
      String user,
      RecordedImage module)
      implements RecordedEvent {}

  /** Sysmon event 8. */
  record RemoteThread(
      long offsetNanos,
      long index,
      String processGuid,
      int sourceProcessId,
      String sourceImage,
      String sourceUser,
      String targetGuid,
      int targetProcessId,
      String targetImage,
      String targetUser,
      long startAddress,
      String startModule,
      String startFunction)
      implements RecordedEvent {}

  /**
   * Sysmon event 10: the source opened (or duplicated) a handle to the target with {@code
   * grantedAccess}; {@code callTrace} is the recorded stack ({@code module+offset|...}), or null.
   */
  record ProcessAccess(
      long offsetNanos,
      long index,
      String processGuid,
      int sourceProcessId,
      String sourceImage,
      String sourceUser,
      String targetGuid,
      int targetProcessId,
      String targetImage,
      String targetUser,
      int grantedAccess,
      String callTrace)
      implements RecordedEvent {}

  /**
   * An executable file as Sysmon described it. Hashes are upper-case hex, each null where the
   * recording's {@code HashAlgorithms} did not include it.
   *
   * @param version the PE version resource, or null where Sysmon wrote {@code -} everywhere or the
   *     event has no such fields
   * @param signer the signer subject, or null for an unsigned file or where the event does not say
   */
  record RecordedImage(
      String path,
      String sha256,
      String sha1,
      String md5,
      String imphash,
      VersionResource version,
      String signer) {
    /** A file known by its path only (the image of a process the recording never created). */
    static RecordedImage pathOnly(String path) {
      return new RecordedImage(path, null, null, null, null, null, null);
    }
  }

  /**
   * The account a recorded process ran as.
   *
   * @param user {@code DOMAIN\name}
   * @param logonId the LUID of its logon session, 0 where not recorded
   */
  record RecordedAccount(String user, IntegrityLevel integrity, long logonId, int sessionId) {}
}
