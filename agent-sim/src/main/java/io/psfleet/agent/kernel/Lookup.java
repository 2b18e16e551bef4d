package io.psfleet.agent.kernel;

/**
 * The outcome of a PsLookup* call: a status and, on success, a referenced object that the caller
 * must release with {@link Kernel#obDereferenceObject}.
 */
public record Lookup<T extends KernelObject>(NtStatus status, T object) {
  public boolean found() {
    return status.isSuccess();
  }
}
