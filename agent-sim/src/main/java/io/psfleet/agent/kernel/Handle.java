package io.psfleet.agent.kernel;

/** What NtOpenProcess/NtOpenThread and NtDuplicateObject return: a status and granted access. */
public record Handle(int status, KernelObject object, int grantedAccess) {
  public boolean succeeded() {
    return NtStatus.ntSuccess(status);
  }
}
