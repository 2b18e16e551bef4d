package io.psfleet.agent.kernel;

/**
 * A reference-counted executive object. The object, and the client id it holds, live until the last
 * reference goes; only then does the kernel delete it and release the id for reuse.
 *
 * <p>The model counts the kernel's own references (a process's active reference, one per thread of
 * it) apart from those that callers took with a lookup or ObReferenceObject. The pointer count is
 * their sum, as in the real object header; keeping them apart lets a release that nobody owns bug
 * check at once, where the real kernel would only notice later, when the count underflows.
 */
public abstract sealed class KernelObject permits EProcess, EThread {
  private final int clientId;
  private int kernelReferences = 1; // the creation ("active") reference
  private int callerReferences;
  private boolean deleted;

  KernelObject(int clientId) {
    this.clientId = clientId;
  }

  int clientId() {
    return clientId;
  }

  void referenceByKernel() {
    kernelReferences++;
  }

  void referenceByCaller() {
    callerReferences++;
  }

  /** Returns true when this was the last reference. */
  boolean releaseKernelReference() {
    kernelReferences--;
    return pointerCount() == 0;
  }

  /** Returns true when this was the last reference. */
  boolean releaseCallerReference() {
    callerReferences--;
    return pointerCount() == 0;
  }

  int pointerCount() {
    return kernelReferences + callerReferences;
  }

  int callerReferences() {
    return callerReferences;
  }

  boolean isDeleted() {
    return deleted;
  }

  void markDeleted() {
    deleted = true;
  }
}
