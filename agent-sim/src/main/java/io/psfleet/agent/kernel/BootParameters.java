package io.psfleet.agent.kernel;

/**
 * What a host's kernel starts from.
 *
 * @param aslrSalt per-boot randomisation of image bases
 * @param bootTimeNanos wall-clock time of the boot, nanoseconds since the Unix epoch
 * @param kernelImage ntoskrnl.exe, the System process's image
 * @param systemDll ntdll.dll, which the kernel maps into every new Win32 process
 * @param threadNotifyIrql the IRQL thread-notify routines run at: PASSIVE_LEVEL, or APC_LEVEL,
 *     which PCREATE_THREAD_NOTIFY_ROUTINE's page also allows, so that a driver must cope with both
 * @param processors logical processors (1-64), each with its own IRQL and current thread
 */
public record BootParameters(
    long aslrSalt,
    long bootTimeNanos,
    ImageFile kernelImage,
    ImageFile systemDll,
    Irql threadNotifyIrql,
    int processors) {

  public BootParameters {
    if (processors < 1 || processors > 64) {
      throw new IllegalArgumentException("processors must be 1-64, not " + processors);
    }
    if (threadNotifyIrql.isAbove(Irql.APC_LEVEL)) {
      throw new IllegalArgumentException(
          "thread notifications run at PASSIVE_LEVEL or APC_LEVEL, not " + threadNotifyIrql);
    }
  }

  /** A boot with two processors whose thread notifications run at PASSIVE_LEVEL. */
  public BootParameters(
      long aslrSalt, long bootTimeNanos, ImageFile kernelImage, ImageFile systemDll) {
    this(aslrSalt, bootTimeNanos, kernelImage, systemDll, Irql.PASSIVE_LEVEL);
  }

  /** A boot with two processors. */
  public BootParameters(
      long aslrSalt,
      long bootTimeNanos,
      ImageFile kernelImage,
      ImageFile systemDll,
      Irql threadNotifyIrql) {
    this(aslrSalt, bootTimeNanos, kernelImage, systemDll, threadNotifyIrql, 2);
  }
}
