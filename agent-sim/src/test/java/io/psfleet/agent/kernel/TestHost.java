package io.psfleet.agent.kernel;

import io.psfleet.agent.workload.WindowsImages;
import java.util.List;

/** A booted kernel with the standard Windows files, and shortcuts that keep tests short. */
public final class TestHost {
  public static final long BOOT_TIME_NANOS = 1_790_000_000_000_000_000L;

  public final WindowsImages images = new WindowsImages(new ImageCatalog());
  public final Kernel kernel;
  public final ImageFile sensorSys =
      images.file(
          WindowsImages.SYSTEM32 + "drivers\\psfsensor.sys",
          90_000,
          "psfleet sensor",
          true,
          List.of());

  public TestHost() {
    this(0x5eed_1234_abcdL);
  }

  public TestHost(long aslrSalt) {
    this(aslrSalt, Irql.PASSIVE_LEVEL);
  }

  /** A two-processor host whose thread-notify routines run at {@code threadNotifyIrql}. */
  public TestHost(long aslrSalt, Irql threadNotifyIrql) {
    this(aslrSalt, threadNotifyIrql, 2);
  }

  public TestHost(long aslrSalt, Irql threadNotifyIrql, int processors) {
    kernel =
        new Kernel(
            new BootParameters(
                aslrSalt,
                BOOT_TIME_NANOS,
                images.ntoskrnl,
                images.ntdll,
                threadNotifyIrql,
                processors));
  }

  /** Loads a driver whose DriverEntry runs {@code entry}; fails the test if it does not load. */
  public DriverObject loadDriver(boolean forceIntegrity, DriverEntry entry) {
    Kernel.DriverLoad load = kernel.ioLoadDriver(sensorSys, forceIntegrity, entry);
    if (!load.status().isSuccess()) {
      throw new AssertionError("driver did not load: " + load.status());
    }
    return load.driver();
  }

  /** A driver with no code but an unload routine, to own registrations. */
  public DriverObject emptyDriver(boolean forceIntegrity) {
    return loadDriver(
        forceIntegrity,
        (k, d) -> {
          d.setDriverUnload(x -> {});
          return NtStatus.STATUS_SUCCESS;
        });
  }

  /** Starts {@code image} as a child of {@code parent}'s first thread; fails if it is refused. */
  public EProcess start(EProcess parent, ImageFile image, String commandLine) {
    return start(kernel.threadsOf(parent).get(0), ProcessParameters.of(image, commandLine, user()));
  }

  public EProcess start(EThread creator, ProcessParameters parameters) {
    Created<EProcess> created = kernel.createProcess(creator, parameters);
    if (!created.succeeded()) {
      throw new AssertionError("creation failed: " + NtStatus.describe(created.status()));
    }
    return created.object();
  }

  public EThread firstThread(EProcess process) {
    return kernel.threadsOf(process).get(0);
  }

  public static ProcessToken user() {
    return new ProcessToken(
        "CORP\\alice",
        ProcessToken.IntegrityLevel.MEDIUM,
        1,
        0x3b5cb2,
        BOOT_TIME_NANOS + 30_000_000_000L);
  }
}
