package io.psfleet.agent.kernel;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A reference-counted executive object. The object, and the client id it holds, live until the last
 * reference goes; only then does the kernel delete it and release the id for reuse.
 *
 * <p>The model counts the references callers took with a lookup or ObReferenceObject apart from the
 * pointer count, which also holds the kernel's own references (a process's active reference, one
 * per thread of it), as the real object header does; keeping them apart lets a release that nobody
 * owns bug check at once, where the real kernel would only notice later, when the count underflows.
 *
 * <p>Both counts are atomic, so that lookups and dereferences on several processors at once keep
 * them exact, and exactly one release, the last, deletes the object. A lookup references only an
 * object whose count has not reached zero (as ExReferenceObjectSafe does), so it never revives one
 * being deleted.
 */
public abstract sealed class KernelObject permits EProcess, EThread {
  private static final AtomicIntegerFieldUpdater<KernelObject> POINTERS =
      AtomicIntegerFieldUpdater.newUpdater(KernelObject.class, "pointerCount");
  private static final AtomicIntegerFieldUpdater<KernelObject> CALLERS =
      AtomicIntegerFieldUpdater.newUpdater(KernelObject.class, "callerReferences");

  private final int clientId;
  private volatile int pointerCount = 1; // the creation ("active") reference
  private volatile int callerReferences;
  private volatile boolean deleted;

  KernelObject(int clientId) {
    this.clientId = clientId;
  }

  int clientId() {
    return clientId;
  }

  void referenceByKernel() {
    POINTERS.incrementAndGet(this);
  }

  /** One more caller reference on an object the caller already holds alive. */
  void referenceByCaller() {
    CALLERS.incrementAndGet(this);
    POINTERS.incrementAndGet(this);
  }

  /** A caller reference on an object found in the table, unless its last reference is gone. */
  boolean tryReferenceByCaller() {
    int count;
    do {
      count = pointerCount;
      if (count == 0) {
        return false;
      }
    } while (!POINTERS.compareAndSet(this, count, count + 1));
    CALLERS.incrementAndGet(this);
    return true;
  }

  /** Returns true when this was the last reference. */
  boolean releaseKernelReference() {
    return POINTERS.decrementAndGet(this) == 0;
  }

  /**
   * Releases one caller reference: -1 when callers hold none (nothing released), 1 when it was the
   * last reference of all, 0 otherwise.
   */
  int releaseCallerReference() {
    int callers;
    do {
      callers = callerReferences;
      if (callers == 0) {
        return -1;
      }
    } while (!CALLERS.compareAndSet(this, callers, callers - 1));
    return POINTERS.decrementAndGet(this) == 0 ? 1 : 0;
  }

  int pointerCount() {
    return pointerCount;
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
