package io.psfleet.agent.kernel;

/**
 * The outcome of creating a process or thread: an NTSTATUS (any value a create callback stored in
 * CreationStatus) and, on success, the new object. The kernel keeps its own reference; the caller
 * gets none.
 */
public record Created<T extends KernelObject>(int status, T object) {
  public boolean succeeded() {
    return NtStatus.ntSuccess(status);
  }
}
