package io.psfleet.agent.kernel;

/**
 * What SeLocateProcessImageName returns: a status and, on success, a pool buffer holding the
 * executable's full path that the caller frees with {@link Kernel#exFreePool}.
 */
public record LocatedImageName(NtStatus status, UnicodeString imageFileName) {
  public boolean found() {
    return status.isSuccess();
  }
}
