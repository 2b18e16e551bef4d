package io.psfleet.agent.kernel;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One of the kernel's callback arrays (PspCreateProcessNotifyRoutine and its siblings): a fixed
 * number of slots, called in slot order, each guarded by rundown protection so that removing a
 * routine returns only after every call of it already in flight has returned. After removal returns
 * the driver may unload its code; that guarantee is why the wait exists.
 *
 * <p>Dispatch reads an immutable snapshot of the slots and never takes a lock; registration and
 * removal are serialised and publish a new snapshot.
 */
final class NotifyRoutineList<R> {
  private final int capacity;
  private volatile Registration<R>[] snapshot;

  @SuppressWarnings("unchecked")
  NotifyRoutineList(int capacity) {
    this.capacity = capacity;
    this.snapshot = new Registration[0];
  }

  /** Outcome of {@link #add}. */
  enum AddResult {
    ADDED,
    DUPLICATE,
    FULL
  }

  synchronized AddResult add(R routine, DriverObject owner, boolean allowDuplicates) {
    Registration<R>[] current = snapshot;
    if (!allowDuplicates && indexOf(current, routine) >= 0) {
      return AddResult.DUPLICATE;
    }
    if (current.length == capacity) {
      return AddResult.FULL;
    }
    Registration<R>[] next = Arrays.copyOf(current, current.length + 1);
    next[current.length] = new Registration<>(routine, owner);
    snapshot = next;
    return AddResult.ADDED;
  }

  /**
   * Removes the first registration of {@code routine} and waits for its calls in flight; returns
   * false when it was not registered.
   */
  boolean remove(R routine) {
    Registration<R> removed;
    synchronized (this) {
      Registration<R>[] current = snapshot;
      int index = indexOf(current, routine);
      if (index < 0) {
        return false;
      }
      removed = current[index];
      Registration<R>[] next = new Registration[current.length - 1];
      System.arraycopy(current, 0, next, 0, index);
      System.arraycopy(current, index + 1, next, index, current.length - index - 1);
      snapshot = next;
    }
    removed.runDown();
    return true;
  }

  /** Calls every registered routine, in registration order. */
  void dispatch(Consumer<R> call) {
    for (Registration<R> registration : snapshot) {
      if (registration.acquire()) {
        try {
          call.accept(registration.routine);
        } finally {
          registration.release();
        }
      }
    }
  }

  int size() {
    return snapshot.length;
  }

  /** True when any routine of {@code driver} is still registered. */
  boolean hasRoutineOf(DriverObject driver) {
    for (Registration<R> registration : snapshot) {
      if (registration.owner == driver) {
        return true;
      }
    }
    return false;
  }

  private static <R> int indexOf(Registration<R>[] registrations, R routine) {
    for (int i = 0; i < registrations.length; i++) {
      // Slots wrap routines in records (which family registered them): equal slots, same routine.
      if (registrations[i].routine.equals(routine)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * A slot's routine plus its rundown reference: calls in flight, and whether it is running down.
   */
  private static final class Registration<R> {
    final R routine;
    final DriverObject owner;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean runningDown;

    Registration(R routine, DriverObject owner) {
      this.routine = routine;
      this.owner = owner;
    }

    boolean acquire() {
      inFlight.incrementAndGet();
      if (runningDown) {
        inFlight.decrementAndGet();
        return false;
      }
      return true;
    }

    void release() {
      inFlight.decrementAndGet();
    }

    void runDown() {
      runningDown = true;
      while (inFlight.get() > 0) {
        LockSupport.parkNanos(50_000);
      }
    }
  }
}
