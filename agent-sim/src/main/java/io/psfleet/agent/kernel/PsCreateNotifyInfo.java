package io.psfleet.agent.kernel;

/**
 * PS_CREATE_NOTIFY_INFO, handed to process-create callbacks. Everything is read-only except {@link
 * #setCreationStatus}: a routine that stores a failure code there stops the process from being
 * created, and the creator's call fails with that code.
 */
public final class PsCreateNotifyInfo {
  private final int parentProcessId;
  private final ClientId creatingThreadId;
  private final ImageFile fileObject;
  private final String imageFileName;
  private final String commandLine;
  private final boolean fileOpenNameAvailable;
  private final boolean isSubsystemProcess;
  private int creationStatus = NtStatus.STATUS_SUCCESS.code();

  PsCreateNotifyInfo(
      int parentProcessId,
      ClientId creatingThreadId,
      ImageFile fileObject,
      String imageFileName,
      String commandLine,
      boolean fileOpenNameAvailable,
      boolean isSubsystemProcess) {
    this.parentProcessId = parentProcessId;
    this.creatingThreadId = creatingThreadId;
    this.fileObject = fileObject;
    this.imageFileName = imageFileName;
    this.commandLine = commandLine;
    this.fileOpenNameAvailable = fileOpenNameAvailable;
    this.isSubsystemProcess = isSubsystemProcess;
  }

  /** The reported parent; it differs from the creator when the creator named another parent. */
  public int parentProcessId() {
    return parentProcessId;
  }

  /** The thread that really creates the process. */
  public ClientId creatingThreadId() {
    return creatingThreadId;
  }

  /** The executable's file object. */
  public ImageFile fileObject() {
    return fileObject;
  }

  public String imageFileName() {
    return imageFileName;
  }

  /** The command line, or null when the creator passed none. */
  public String commandLine() {
    return commandLine;
  }

  /** True when {@link #imageFileName} is the exact name used to open the file. */
  public boolean fileOpenNameAvailable() {
    return fileOpenNameAvailable;
  }

  public boolean isSubsystemProcess() {
    return isSubsystemProcess;
  }

  public int creationStatus() {
    return creationStatus;
  }

  public void setCreationStatus(int status) {
    this.creationStatus = status;
  }
}
