package io.psfleet.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BugCheckTest {
  private final TestHost host = new TestHost();
  private final Kernel kernel = host.kernel;

  @Test
  void lookupAboveItsIrqlBugChecksIrqlNotLessOrEqual() {
    DriverObject driver = host.emptyDriver(true);
    kernel.psSetCreateProcessNotifyRoutineEx(
        driver,
        (process, pid, info) -> {
          Irql old = kernel.keRaiseIrql(Irql.DISPATCH_LEVEL);
          kernel.psLookupProcessByProcessId(pid); // documented for IRQL <= APC_LEVEL
          kernel.keLowerIrql(old);
        },
        false);

    assertThatThrownBy(() -> host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe"))
        .isInstanceOfSatisfying(
            BugCheckException.class,
            e -> {
              assertThat(e.bugCheck().code()).isEqualTo(0x0A);
              assertThat(e.bugCheck().p2()).isEqualTo(Irql.DISPATCH_LEVEL.ordinal());
            });
    assertThat(kernel.bugCheck().name()).isEqualTo("IRQL_NOT_LESS_OR_EQUAL");
  }

  @Test
  void dereferenceIsAllowedAtDispatchLevel() {
    EProcess p = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
    Lookup<EProcess> lookup = kernel.psLookupProcessByProcessId(kernel.psGetProcessId(p));
    Irql old = kernel.keRaiseIrql(Irql.DISPATCH_LEVEL);

    kernel.obDereferenceObject(lookup.object());

    kernel.keLowerIrql(old);
    assertThat(kernel.isHalted()).isFalse();
  }

  @Test
  void registrationAbovePassiveLevelBugChecks() {
    DriverObject driver = host.emptyDriver(true);
    kernel.keRaiseIrql(Irql.APC_LEVEL);

    assertThatThrownBy(() -> kernel.psSetLoadImageNotifyRoutine(driver, (n, pid, i) -> {}))
        .isInstanceOf(BugCheckException.class);
    assertThat(kernel.bugCheck().code()).isEqualTo(BugCheck.IRQL_NOT_LESS_OR_EQUAL);
  }

  @Test
  void unloadingADriverWithRegisteredRoutinesBugChecks0xCE() {
    DriverObject careless =
        host.loadDriver(
            true,
            (k, d) -> {
              k.psSetLoadImageNotifyRoutine(d, (n, pid, i) -> {});
              d.setDriverUnload(x -> {}); // forgets PsRemoveLoadImageNotifyRoutine
              return NtStatus.STATUS_SUCCESS;
            });

    assertThatThrownBy(() -> kernel.ioUnloadDriver(careless))
        .isInstanceOfSatisfying(
            BugCheckException.class,
            e ->
                assertThat(e.bugCheck().code())
                    .isEqualTo(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS));
  }

  @Test
  void unloadingADriverThatRemovedItsRoutinesIsClean() {
    LoadImageNotifyRoutine routine = (n, pid, i) -> {};
    DriverObject tidy =
        host.loadDriver(
            true,
            (k, d) -> {
              k.psSetLoadImageNotifyRoutine(d, routine);
              d.setDriverUnload(x -> k.psRemoveLoadImageNotifyRoutine(routine));
              return NtStatus.STATUS_SUCCESS;
            });

    assertThat(kernel.ioUnloadDriver(tidy)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(kernel.isHalted()).isFalse();
  }

  @Test
  void driverWithoutUnloadRoutineCannotBeUnloaded() {
    DriverObject permanent = host.loadDriver(true, (k, d) -> NtStatus.STATUS_SUCCESS);

    assertThat(kernel.ioUnloadDriver(permanent)).isEqualTo(NtStatus.STATUS_INVALID_DEVICE_REQUEST);
  }

  @Test
  void failedDriverEntryThatLeftRoutinesRegisteredBugChecks0xCE() {
    assertThatThrownBy(
            () ->
                kernel.ioLoadDriver(
                    host.sensorSys,
                    true,
                    (k, d) -> {
                      k.psSetCreateThreadNotifyRoutine(d, (pid, tid, c) -> {});
                      return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
                    }))
        .isInstanceOf(BugCheckException.class);
    assertThat(kernel.bugCheck().code())
        .isEqualTo(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS);
  }

  @Test
  void exceptionThrownByACallbackBugChecksInsteadOfEscaping() {
    DriverObject driver = host.emptyDriver(true);
    kernel.psSetCreateThreadNotifyRoutine(
        driver,
        (pid, tid, create) -> {
          throw new NullPointerException("driver bug");
        });

    assertThatThrownBy(() -> host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe"))
        .isInstanceOf(BugCheckException.class);
    assertThat(kernel.bugCheck().code()).isEqualTo(0x7E);
  }

  @Test
  void haltedHostRefusesEveryLaterCallWhileOtherHostsRunOn() {
    TestHost other = new TestHost();
    DriverObject careless =
        host.loadDriver(
            true,
            (k, d) -> {
              k.psSetCreateThreadNotifyRoutine(d, (pid, tid, c) -> {});
              d.setDriverUnload(x -> {});
              return NtStatus.STATUS_SUCCESS;
            });
    assertThatThrownBy(() -> kernel.ioUnloadDriver(careless)).isInstanceOf(BugCheckException.class);

    assertThatThrownBy(() -> host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe"))
        .isInstanceOfSatisfying(
            BugCheckException.class, e -> assertThat(e.bugCheck()).isSameAs(kernel.bugCheck()));
    EProcess elsewhere = other.start(other.kernel.systemProcess(), other.images.cmd, "cmd.exe");
    assertThat(other.kernel.isRunning(elsewhere)).isTrue();
    assertThat(other.kernel.isHalted()).isFalse();
  }

  @Test
  void terminatingTheSystemProcessBugChecksCriticalProcessDied() {
    assertThatThrownBy(() -> kernel.terminateProcess(kernel.systemProcess(), 0))
        .isInstanceOf(BugCheckException.class);
    assertThat(kernel.bugCheck().code()).isEqualTo(0xEF);
  }
}
