package io.psfleet.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The legacy, Ex and Ex2 process routines, the NonSystem thread routine and image Ex. */
class RoutineFamiliesTest {
  private final TestHost host = new TestHost();
  private final Kernel kernel = host.kernel;
  private final DriverObject driver = host.emptyDriver(true);
  private final List<String> seen = new ArrayList<>();

  private void seen(int routine) {
    seen.add("routine " + routine);
  }

  private static ProcessParameters pico(TestHost host) {
    return new ProcessParameters(host.images.cmd, "init", TestHost.user(), null, true, true, null);
  }

  @Test
  void legacyExAndEx2RoutinesShareTheSixtyFourProcessSlots() {
    // each routine captures its index: distinct routines, as distinct drivers' functions are
    for (int i = 0; i < 30; i++) {
      int n = i;
      assertThat(kernel.psSetCreateProcessNotifyRoutine(driver, (ppid, pid, c) -> seen(n), false))
          .isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(kernel.psSetCreateProcessNotifyRoutineEx(driver, (p, pid, i2) -> seen(n), false))
          .isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    for (int i = 0; i < 4; i++) {
      int n = i;
      assertThat(
              kernel.psSetCreateProcessNotifyRoutineEx2(
                  driver,
                  PsCreateProcessNotifyType.PsCreateProcessNotifySubsystems,
                  (p, pid, i2) -> seen(n),
                  false))
          .isEqualTo(NtStatus.STATUS_SUCCESS);
    }

    assertThat(kernel.psSetCreateProcessNotifyRoutine(driver, (ppid, pid, c) -> {}, false))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(kernel.psSetCreateProcessNotifyRoutineEx(driver, (p, pid, i) -> {}, false))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(
            kernel.psSetCreateProcessNotifyRoutineEx2(
                driver,
                PsCreateProcessNotifyType.PsCreateProcessNotifySubsystems,
                (p, pid, i) -> {},
                false))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
  }

  @Test
  void aSubsystemProcessReachesOnlyEx2Routines() {
    kernel.psSetCreateProcessNotifyRoutine(driver, (ppid, pid, c) -> seen.add("legacy"), false);
    kernel.psSetCreateProcessNotifyRoutineEx(driver, (p, pid, i) -> seen.add("ex"), false);
    kernel.psSetCreateProcessNotifyRoutineEx2(
        driver,
        PsCreateProcessNotifyType.PsCreateProcessNotifySubsystems,
        (p, pid, info) -> seen.add("ex2 " + (info == null ? "exit" : info.isSubsystemProcess())),
        false);

    EProcess picoProcess = host.start(kernel.systemThread(), pico(host));
    kernel.terminateProcess(picoProcess, 0);

    assertThat(seen).containsExactly("ex2 true", "ex2 exit");
  }

  @Test
  void aWin32ProcessReachesEveryFamilyAndTheLegacyOneGetsParentAndPid() {
    EProcess explorer = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    kernel.psSetCreateProcessNotifyRoutine(
        driver,
        (ppid, pid, create) -> seen.add("legacy " + ppid + " " + pid + " " + create),
        false);
    kernel.psSetCreateProcessNotifyRoutineEx2(
        driver,
        PsCreateProcessNotifyType.PsCreateProcessNotifySubsystems,
        (p, pid, info) -> seen.add("ex2 " + (info == null ? "exit" : info.isSubsystemProcess())),
        false);

    EProcess cmd = host.start(explorer, host.images.cmd, "cmd.exe");
    kernel.terminateProcess(cmd, 0);

    int ppid = kernel.psGetProcessId(explorer);
    int pid = kernel.psGetProcessId(cmd);
    assertThat(seen)
        .containsExactly(
            "legacy " + ppid + " " + pid + " true",
            "ex2 false",
            "legacy " + ppid + " " + pid + " false",
            "ex2 exit");
  }

  @Test
  void legacyRoutinesNeedNoForceIntegrityWhileEx2RoutinesDo() {
    DriverObject unflagged = host.emptyDriver(false);

    assertThat(kernel.psSetCreateProcessNotifyRoutine(unflagged, (ppid, pid, c) -> {}, false))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(
            kernel.psSetCreateProcessNotifyRoutineEx2(
                unflagged,
                PsCreateProcessNotifyType.PsCreateProcessNotifySubsystems,
                (p, pid, i) -> {},
                false))
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);
  }

  @Test
  void eachFamilyRemovesOnlyItsOwnRegistration() {
    CreateProcessNotifyRoutineEx routine = (p, pid, i) -> {};
    kernel.psSetCreateProcessNotifyRoutineEx(driver, routine, false);

    assertThat(
            kernel.psSetCreateProcessNotifyRoutineEx2(
                driver, PsCreateProcessNotifyType.PsCreateProcessNotifySubsystems, routine, true))
        .isEqualTo(NtStatus.STATUS_PROCEDURE_NOT_FOUND);
    assertThat(kernel.psSetCreateProcessNotifyRoutineEx(driver, routine, true))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void aNonSystemThreadRoutineRunsOnTheNewThreadAndNeverForSystemThreads() {
    EProcess injector = host.start(kernel.systemProcess(), host.images.notepad, "inject.exe");
    EProcess target = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    kernel.psSetCreateThreadNotifyRoutineEx(
        driver,
        PsCreateThreadNotifyType.PsCreateThreadNotifyNonSystem,
        (pid, tid, create) ->
            seen.add(
                (create ? "create" : "exit")
                    + " on "
                    + (kernel.psGetCurrentThreadId() == tid ? "itself" : "another")
                    + " in "
                    + (kernel.psGetCurrentProcessId() == pid ? "its process" : "another")));

    Created<EThread> remote =
        kernel.createThread(
            host.firstThread(injector), target, kernel.imageBase(host.images.ntdll));
    kernel.createThread(kernel.systemThread(), kernel.systemProcess(), 0x1000);
    kernel.exitThread(remote.object(), 0);

    assertThat(seen)
        .containsExactly("create on itself in its process", "exit on itself in its process");
  }

  @Test
  void aNewThreadIsToldOnItselfOnlyAfterEveryCreatorContextRoutine() {
    EProcess explorer = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    // registered first, told last: the new thread starts only once it is inserted
    kernel.psSetCreateThreadNotifyRoutineEx(
        driver,
        PsCreateThreadNotifyType.PsCreateThreadNotifyNonSystem,
        (pid, tid, create) -> seen.add("on the new thread " + create));
    kernel.psSetCreateThreadNotifyRoutine(
        driver, (pid, tid, create) -> seen.add("in the creator " + create));

    EProcess cmd = host.start(explorer, host.images.cmd, "cmd.exe");
    kernel.terminateProcess(cmd, 0);

    assertThat(seen)
        .containsExactly(
            "in the creator true",
            "on the new thread true",
            "on the new thread false",
            "in the creator false");
  }

  @Test
  void aSubsystemProcessThreadsReachOnlySubsystemsThreadRoutines() {
    kernel.psSetCreateThreadNotifyRoutine(driver, (pid, tid, c) -> seen.add("legacy " + c));
    kernel.psSetCreateThreadNotifyRoutineEx(
        driver,
        PsCreateThreadNotifyType.PsCreateThreadNotifyNonSystem,
        (pid, tid, c) -> seen.add("non-system " + c));
    kernel.psSetCreateThreadNotifyRoutineEx(
        driver,
        PsCreateThreadNotifyType.PsCreateThreadNotifySubsystems,
        (pid, tid, c) ->
            seen.add(
                "subsystems "
                    + c
                    + (c && kernel.psGetCurrentProcessId() == pid ? " on itself" : "")));

    EProcess picoProcess = host.start(kernel.systemThread(), pico(host));
    Created<EThread> second =
        kernel.createThread(host.firstThread(picoProcess), picoProcess, 0x1000);
    kernel.exitThread(second.object(), 0);
    kernel.terminateProcess(picoProcess, 0);

    // the first create is the initial thread, told in its creator (System)'s context
    assertThat(seen)
        .containsExactly(
            "subsystems true", "subsystems true on itself", "subsystems false", "subsystems false");
  }

  @Test
  void bothThreadFamiliesShareTheSixtyFourThreadSlotsAndOneRemovalRoutine() {
    CreateThreadNotifyRoutine exRoutine = (pid, tid, create) -> {};
    assertThat(
            kernel.psSetCreateThreadNotifyRoutineEx(
                driver, PsCreateThreadNotifyType.PsCreateThreadNotifyNonSystem, exRoutine))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    for (int i = 1; i < Kernel.MAX_NOTIFY_ROUTINES; i++) {
      kernel.psSetCreateThreadNotifyRoutine(driver, (pid, tid, create) -> {});
    }

    assertThat(
            kernel.psSetCreateThreadNotifyRoutineEx(
                driver,
                PsCreateThreadNotifyType.PsCreateThreadNotifyNonSystem,
                (pid, tid, create) -> {}))
        .isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(kernel.psRemoveCreateThreadNotifyRoutine(exRoutine))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(kernel.psRemoveCreateThreadNotifyRoutine(exRoutine))
        .isEqualTo(NtStatus.STATUS_PROCEDURE_NOT_FOUND);
  }

  @Test
  void loadImageExTakesTheConflictingArchitectureFlagAndRefusesOthers() {
    LoadImageNotifyRoutine routine = (name, pid, info) -> seen.add(name);

    assertThat(kernel.psSetLoadImageNotifyRoutineEx(driver, routine, 0x2))
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER_2);
    assertThat(
            kernel.psSetLoadImageNotifyRoutineEx(
                driver, routine, Kernel.PS_IMAGE_NOTIFY_CONFLICTING_ARCHITECTURE))
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");

    assertThat(seen).containsExactly(host.images.cmd.path(), host.images.ntdll.path());
    assertThat(kernel.psRemoveLoadImageNotifyRoutine(routine)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }
}
