package io.psfleet.agent.kernel;

import java.util.Objects;

/**
 * What a creator asks NtCreateUserProcess for.
 *
 * @param parentProcess the parent to report instead of the creator
 *     (PROC_THREAD_ATTRIBUTE_PARENT_PROCESS), or null for the creator's own process
 * @param fileOpenNameAvailable false when the image name is not the exact name used to open the
 *     file
 * @param subsystemProcess a Pico (WSL) process: no Win32 image is mapped into it
 * @param currentDirectory the new process's working directory with its trailing backslash
 *     (CreateProcess's lpCurrentDirectory), or null to inherit the creator's, as CreateProcess does
 * @param protection the protection the new process runs with (PS_ATTRIBUTE_PROTECTION_LEVEL); null
 *     for none
 */
public record ProcessParameters(
    ImageFile image,
    String commandLine,
    ProcessToken token,
    EProcess parentProcess,
    boolean fileOpenNameAvailable,
    boolean subsystemProcess,
    String currentDirectory,
    PsProtection protection) {

  public ProcessParameters {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(token, "token");
    protection = protection == null ? PsProtection.NONE : protection;
  }

  /** A request for an unprotected process. */
  public ProcessParameters(
      ImageFile image,
      String commandLine,
      ProcessToken token,
      EProcess parentProcess,
      boolean fileOpenNameAvailable,
      boolean subsystemProcess,
      String currentDirectory) {
    this(
        image,
        commandLine,
        token,
        parentProcess,
        fileOpenNameAvailable,
        subsystemProcess,
        currentDirectory,
        PsProtection.NONE);
  }

  /** An ordinary Win32 process whose parent is its creator. */
  public static ProcessParameters of(ImageFile image, String commandLine, ProcessToken token) {
    return new ProcessParameters(image, commandLine, token, null, true, false, null);
  }

  /** The same request with another process named as parent (PPID spoofing, or a broker). */
  public ProcessParameters withParent(EProcess parent) {
    return new ProcessParameters(
        image,
        commandLine,
        token,
        parent,
        fileOpenNameAvailable,
        subsystemProcess,
        currentDirectory,
        protection);
  }

  /** The same request started in {@code directory} (null: the creator's). */
  public ProcessParameters withCurrentDirectory(String directory) {
    return new ProcessParameters(
        image,
        commandLine,
        token,
        parentProcess,
        fileOpenNameAvailable,
        subsystemProcess,
        directory,
        protection);
  }

  /** The same request for a process that runs with {@code newProtection}. */
  public ProcessParameters withProtection(PsProtection newProtection) {
    return new ProcessParameters(
        image,
        commandLine,
        token,
        parentProcess,
        fileOpenNameAvailable,
        subsystemProcess,
        currentDirectory,
        newProtection);
  }
}
