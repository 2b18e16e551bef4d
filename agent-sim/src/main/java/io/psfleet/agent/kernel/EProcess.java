package io.psfleet.agent.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * EPROCESS: a process object. Drivers get at its fields through the kernel's accessor routines
 * ({@code PsGetProcessId}, {@code PsGetProcessImageFileName}, ...), never directly.
 */
public final class EProcess extends KernelObject {
  enum State {
    /** Object and id exist; the create callbacks have not yet allowed it to run. */
    CREATING,
    RUNNING,
    /** The last thread has exited; the object lives on while references remain (a zombie). */
    EXITED
  }

  private final ImageFile image;
  private final String commandLine;
  private final ProcessToken token;
  private final int inheritedFromUniqueProcessId;
  private final long createTimeNanos;
  private final boolean subsystemProcess;
  private final String currentDirectory;
  private final List<EThread> threads = new ArrayList<>(2);
  private ImageFile[] mapped = new ImageFile[8];
  private int mappedCount;
  private State state = State.CREATING;
  private PsProtection protection = PsProtection.NONE;
  private int exitStatus;
  private long exitTimeNanos;

  EProcess(
      int processId,
      ImageFile image,
      String commandLine,
      ProcessToken token,
      int inheritedFromUniqueProcessId,
      long createTimeNanos,
      boolean subsystemProcess,
      String currentDirectory) {
    super(processId);
    this.image = image;
    this.commandLine = commandLine;
    this.token = token;
    this.inheritedFromUniqueProcessId = inheritedFromUniqueProcessId;
    this.createTimeNanos = createTimeNanos;
    this.subsystemProcess = subsystemProcess;
    this.currentDirectory = currentDirectory;
  }

  String currentDirectory() {
    return currentDirectory;
  }

  PsProtection protection() {
    return protection;
  }

  void setProtection(PsProtection protection) {
    this.protection = protection;
  }

  int processId() {
    return clientId();
  }

  ImageFile image() {
    return image;
  }

  String commandLine() {
    return commandLine;
  }

  ProcessToken token() {
    return token;
  }

  int inheritedFromUniqueProcessId() {
    return inheritedFromUniqueProcessId;
  }

  long createTimeNanos() {
    return createTimeNanos;
  }

  boolean subsystemProcess() {
    return subsystemProcess;
  }

  State state() {
    return state;
  }

  void setState(State state) {
    this.state = state;
  }

  int exitStatus() {
    return exitStatus;
  }

  void setExitStatus(int exitStatus) {
    this.exitStatus = exitStatus;
  }

  long exitTimeNanos() {
    return exitTimeNanos;
  }

  void setExitTimeNanos(long exitTimeNanos) {
    this.exitTimeNanos = exitTimeNanos;
  }

  List<EThread> threads() {
    return threads;
  }

  boolean isMapped(ImageFile file) {
    for (int i = 0; i < mappedCount; i++) {
      if (mapped[i] == file) {
        return true;
      }
    }
    return false;
  }

  void addMapped(ImageFile file) {
    if (mappedCount == mapped.length) {
      mapped = Arrays.copyOf(mapped, mappedCount * 2);
    }
    mapped[mappedCount++] = file;
  }

  int mappedCount() {
    return mappedCount;
  }

  ImageFile mappedAt(int index) {
    return mapped[index];
  }

  void releaseAddressSpace() {
    mapped = new ImageFile[0];
    mappedCount = 0;
  }

  @Override
  public String toString() {
    return "EPROCESS(pid " + processId() + ", " + image.fileName() + ", " + state + ")";
  }
}
