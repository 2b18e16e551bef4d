package io.psfleet.agent.kernel;

/**
 * OB_PRE_OPERATION_INFORMATION with its parameters: who opens what, for which access. A routine may
 * only clear bits of {@link #desiredAccess} (as a protecting driver strips PROCESS_VM_READ from
 * opens of lsass); setting a bit that was not asked for is ignored, as on Windows.
 */
public final class ObPreOperationInformation {
  private final ObOperation operation;
  private final boolean kernelHandle;
  private final KernelObject object;
  private final ObObjectType objectType;
  private final int originalDesiredAccess;
  private int desiredAccess;

  ObPreOperationInformation(
      ObOperation operation,
      boolean kernelHandle,
      KernelObject object,
      ObObjectType objectType,
      int desiredAccess) {
    this.operation = operation;
    this.kernelHandle = kernelHandle;
    this.object = object;
    this.objectType = objectType;
    this.originalDesiredAccess = desiredAccess;
    this.desiredAccess = desiredAccess;
  }

  public ObOperation operation() {
    return operation;
  }

  /** True for a kernel handle (OBJ_KERNEL_HANDLE), which no routine should restrict. */
  public boolean kernelHandle() {
    return kernelHandle;
  }

  /** The EPROCESS or ETHREAD being opened. */
  public KernelObject object() {
    return object;
  }

  public ObObjectType objectType() {
    return objectType;
  }

  public int originalDesiredAccess() {
    return originalDesiredAccess;
  }

  public int desiredAccess() {
    return desiredAccess;
  }

  /** Only bits of the original request survive: a routine can strip access, never add it. */
  public void setDesiredAccess(int access) {
    desiredAccess = access & originalDesiredAccess;
  }
}
