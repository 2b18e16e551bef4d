package io.psfleet.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class NotifyRoutineRegistrationTest {
  private final TestHost host = new TestHost();
  private final Kernel kernel = host.kernel;

  @Test
  void processRoutineOfIntegrityCheckedDriverIsRegistered() {
    DriverObject driver = host.emptyDriver(true);
    CreateProcessNotifyRoutineEx routine = (p, pid, info) -> {};

    assertThat(kernel.psSetCreateProcessNotifyRoutineEx(driver, routine, false))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(kernel.psSetCreateProcessNotifyRoutineEx(driver, routine, true))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void processRoutineOfDriverWithoutForceIntegrityIsAccessDenied() {
    DriverObject driver = host.emptyDriver(false);

    assertThat(kernel.psSetCreateProcessNotifyRoutineEx(driver, (p, pid, info) -> {}, false))
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
  }

  @Test
  void imageAndThreadRoutinesDoNotNeedForceIntegrity() {
    DriverObject driver = host.emptyDriver(false);

    assertThat(kernel.psSetLoadImageNotifyRoutine(driver, (n, pid, info) -> {}))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(kernel.psSetCreateThreadNotifyRoutine(driver, (pid, tid, c) -> {}))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void registeringTheSameProcessRoutineTwiceIsInvalidParameter() {
    DriverObject driver = host.emptyDriver(true);
    CreateProcessNotifyRoutineEx routine = (p, pid, info) -> {};
    kernel.psSetCreateProcessNotifyRoutineEx(driver, routine, false);

    assertThat(kernel.psSetCreateProcessNotifyRoutineEx(driver, routine, false))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
  }

  @Test
  void sixtyFifthProcessRoutineIsInvalidParameter() {
    DriverObject driver = host.emptyDriver(true);
    for (int i = 0; i < Kernel.MAX_NOTIFY_ROUTINES; i++) {
      assertThat(kernel.psSetCreateProcessNotifyRoutineEx(driver, distinctRoutine(i), false))
          .as("registration %d", i + 1)
          .isEqualTo(NtStatus.STATUS_SUCCESS);
    }

    assertThat(kernel.psSetCreateProcessNotifyRoutineEx(driver, (p, pid, info) -> {}, false))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
  }

  @Test
  void sixtyFifthThreadRoutineIsInsufficientResources() {
    DriverObject driver = host.emptyDriver(true);
    for (int i = 0; i < Kernel.MAX_NOTIFY_ROUTINES; i++) {
      assertThat(kernel.psSetCreateThreadNotifyRoutine(driver, (pid, tid, c) -> {}))
          .isEqualTo(NtStatus.STATUS_SUCCESS);
    }

    assertThat(kernel.psSetCreateThreadNotifyRoutine(driver, (pid, tid, c) -> {}))
        .isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
  }

  @Test
  void sixtyFifthImageRoutineIsInsufficientResources() {
    DriverObject driver = host.emptyDriver(true);
    for (int i = 0; i < Kernel.MAX_NOTIFY_ROUTINES; i++) {
      assertThat(kernel.psSetLoadImageNotifyRoutine(driver, (n, pid, info) -> {}))
          .isEqualTo(NtStatus.STATUS_SUCCESS);
    }

    assertThat(kernel.psSetLoadImageNotifyRoutine(driver, (n, pid, info) -> {}))
        .isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
  }

  @Test
  void removingAFreedSlotMakesRoomForAnotherRoutine() {
    DriverObject driver = host.emptyDriver(true);
    List<LoadImageNotifyRoutine> routines = new ArrayList<>();
    for (int i = 0; i < Kernel.MAX_NOTIFY_ROUTINES; i++) {
      LoadImageNotifyRoutine routine = (n, pid, info) -> {};
      routines.add(routine);
      kernel.psSetLoadImageNotifyRoutine(driver, routine);
    }
    kernel.psRemoveLoadImageNotifyRoutine(routines.get(10));

    assertThat(kernel.psSetLoadImageNotifyRoutine(driver, (n, pid, info) -> {}))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void removingAnUnknownRoutineIsProcedureNotFound() {
    DriverObject driver = host.emptyDriver(true);

    assertThat(kernel.psSetCreateProcessNotifyRoutineEx(driver, (p, pid, info) -> {}, true))
        .isEqualTo(NtStatus.STATUS_PROCEDURE_NOT_FOUND);
    assertThat(kernel.psRemoveCreateThreadNotifyRoutine((pid, tid, c) -> {}))
        .isEqualTo(NtStatus.STATUS_PROCEDURE_NOT_FOUND);
    assertThat(kernel.psRemoveLoadImageNotifyRoutine((n, pid, info) -> {}))
        .isEqualTo(NtStatus.STATUS_PROCEDURE_NOT_FOUND);
  }

  @Test
  void routinesAreCalledInRegistrationOrder() {
    DriverObject driver = host.emptyDriver(true);
    List<String> calls = new ArrayList<>();
    kernel.psSetCreateProcessNotifyRoutineEx(driver, (p, pid, info) -> calls.add("first"), false);
    kernel.psSetCreateProcessNotifyRoutineEx(driver, (p, pid, info) -> calls.add("second"), false);

    host.start(kernel.systemProcess(), host.images.smss, "\\SystemRoot\\System32\\smss.exe");

    assertThat(calls).containsExactly("first", "second");
  }

  @Test
  void removalWaitsUntilTheCallbackInFlightReturns() throws Exception {
    DriverObject driver = host.emptyDriver(true);
    CountDownLatch inCallback = new CountDownLatch(1);
    CountDownLatch mayReturn = new CountDownLatch(1);
    AtomicBoolean callbackReturned = new AtomicBoolean();
    LoadImageNotifyRoutine slow =
        (name, pid, info) -> {
          inCallback.countDown();
          await(mayReturn);
          callbackReturned.set(true);
        };
    kernel.psSetLoadImageNotifyRoutine(driver, slow);
    Thread host1 =
        new Thread(
            () -> host.start(kernel.systemProcess(), host.images.smss, "smss.exe"), "host-cpu-0");
    host1.start();
    assertThat(inCallback.await(10, TimeUnit.SECONDS)).isTrue();

    Thread remover = new Thread(() -> kernel.psRemoveLoadImageNotifyRoutine(slow), "driver-unload");
    remover.start();
    remover.join(300);
    assertThat(remover.isAlive()).as("removal still waiting for the callback").isTrue();

    mayReturn.countDown();
    remover.join(10_000);
    assertThat(remover.isAlive()).isFalse();
    assertThat(callbackReturned).isTrue();
    host1.join(10_000);
  }

  /** A new routine object each time: a lambda capturing nothing would be one shared instance. */
  private static CreateProcessNotifyRoutineEx distinctRoutine(int n) {
    return (p, pid, info) -> Integer.hashCode(n);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
