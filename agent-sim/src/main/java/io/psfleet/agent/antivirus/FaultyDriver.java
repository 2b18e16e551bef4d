package io.psfleet.agent.antivirus;

import io.psfleet.agent.kernel.CreateProcessNotifyRoutineEx;
import io.psfleet.agent.kernel.CreateThreadNotifyRoutine;
import io.psfleet.agent.kernel.DriverObject;
import io.psfleet.agent.kernel.EThread;
import io.psfleet.agent.kernel.Irql;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.Lookup;
import io.psfleet.agent.kernel.NtStatus;

/**
 * A third-party driver with one of the defects a host meets in the field, written against the
 * kernel model alone as any driver is: the kernel's answer to the defect is the Windows one, not a
 * special case.
 */
public final class FaultyDriver {
  /** What is wrong with the driver. */
  public enum Fault {
    /**
     * DriverEntry registers a process routine, then fails (STATUS_INSUFFICIENT_RESOURCES) and
     * removes what it registered, as it must: the kernel unmaps the image, and the host runs as if
     * the driver had never loaded.
     */
    FAILING_ENTRY,
    /**
     * Its thread routine raises IRQL to DISPATCH_LEVEL (as a spin lock does) and then looks the new
     * thread up, which PsLookupThreadByThreadId allows only up to APC_LEVEL: bug check 0xA
     * IRQL_NOT_LESS_OR_EQUAL at the host's first thread creation after it loads.
     */
    IRQL_ABOVE_BOUND
  }

  private final Fault fault;
  private final CreateProcessNotifyRoutineEx processRoutine = (p, pid, info) -> {};
  private final CreateThreadNotifyRoutine threadRoutine = this::onThreadNotify;
  private Kernel kernel;

  public FaultyDriver(Fault fault) {
    this.fault = fault;
  }

  public NtStatus driverEntry(Kernel kernel, DriverObject driverObject) {
    this.kernel = kernel;
    return switch (fault) {
      case FAILING_ENTRY -> {
        NtStatus status =
            kernel.psSetCreateProcessNotifyRoutineEx(driverObject, processRoutine, false);
        if (status.isSuccess()) {
          kernel.psSetCreateProcessNotifyRoutineEx(driverObject, processRoutine, true);
        }
        yield NtStatus.STATUS_INSUFFICIENT_RESOURCES;
      }
      case IRQL_ABOVE_BOUND -> {
        NtStatus status = kernel.psSetCreateThreadNotifyRoutine(driverObject, threadRoutine);
        if (status.isSuccess()) {
          driverObject.setDriverUnload(
              d -> this.kernel.psRemoveCreateThreadNotifyRoutine(threadRoutine));
        }
        yield status;
      }
    };
  }

  private void onThreadNotify(int processId, int threadId, boolean create) {
    if (!create) {
      return;
    }
    Irql old = kernel.keRaiseIrql(Irql.DISPATCH_LEVEL);
    try {
      Lookup<EThread> thread = kernel.psLookupThreadByThreadId(threadId);
      if (thread.found()) {
        kernel.obDereferenceObject(thread.object());
      }
    } finally {
      if (!kernel.isHalted()) {
        kernel.keLowerIrql(old);
      }
    }
  }
}
