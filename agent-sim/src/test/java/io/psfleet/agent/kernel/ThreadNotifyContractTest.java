package io.psfleet.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadNotifyContractTest {
  private final TestHost host = new TestHost();
  private final Kernel kernel = host.kernel;
  private final DriverObject driver = host.emptyDriver(true);

  @Test
  void remoteThreadIsSeenInTheCreatorsContext() {
    EProcess injector = host.start(kernel.systemProcess(), host.images.notepad, "inject.exe");
    EProcess target = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    List<String> seen = new ArrayList<>();
    kernel.psSetCreateThreadNotifyRoutine(
        driver,
        (pid, tid, create) ->
            seen.add("owner=" + pid + " current=" + kernel.psGetCurrentProcessId() + " " + create));

    Created<EThread> thread =
        kernel.createThread(
            host.firstThread(injector),
            target,
            kernel.exportAddress(host.images.kernel32, "LoadLibraryW"));

    assertThat(thread.succeeded()).isTrue();
    assertThat(seen)
        .containsExactly(
            "owner="
                + kernel.psGetProcessId(target)
                + " current="
                + kernel.psGetProcessId(injector)
                + " true");
    assertThat(kernel.psGetThreadProcess(thread.object())).isSameAs(target);
    assertThat(kernel.zwQueryThreadWin32StartAddress(thread.object()))
        .isEqualTo(kernel.exportAddress(host.images.kernel32, "LoadLibraryW"));
  }

  @Test
  void threadExitIsSeenInTheExitingThreadWhichIsTerminating() {
    EProcess process = host.start(kernel.systemProcess(), host.images.notepad, "notepad.exe");
    EThread worker =
        kernel
            .createThread(host.firstThread(process), process, kernel.imageBase(host.images.notepad))
            .object();
    List<String> seen = new ArrayList<>();
    kernel.psSetCreateThreadNotifyRoutine(
        driver,
        (pid, tid, create) ->
            seen.add(
                tid
                    + " current="
                    + kernel.psGetCurrentThreadId()
                    + " terminating="
                    + kernel.psIsThreadTerminating(kernel.psGetCurrentThread())
                    + " "
                    + create));

    kernel.exitThread(worker, 0);

    int tid = kernel.psGetThreadId(worker);
    assertThat(seen).containsExactly(tid + " current=" + tid + " terminating=true false");
  }

  @Test
  void threadCannotBeCreatedInAnExitedProcess() {
    EProcess process = host.start(kernel.systemProcess(), host.images.notepad, "notepad.exe");
    kernel.obReferenceObject(process);
    kernel.terminateProcess(process, 0);

    Created<EThread> thread = kernel.createThread(kernel.systemThread(), process, 0x1000);

    assertThat(thread.status()).isEqualTo(NtStatus.STATUS_PROCESS_IS_TERMINATING.code());
    kernel.obDereferenceObject(process);
  }

  @Test
  void onAnApcLevelBootThreadRoutinesRunAtApcLevelAndQueuedWorkAtPassiveLevel() {
    TestHost apcHost = new TestHost(0x5eedL, Irql.APC_LEVEL);
    Kernel apc = apcHost.kernel;
    List<String> seen = new ArrayList<>();
    apc.psSetCreateThreadNotifyRoutine(
        apcHost.emptyDriver(true),
        (pid, tid, create) -> {
          seen.add("notify " + apc.keGetCurrentIrql());
          apc.exQueueWorkItem(
              () ->
                  seen.add(
                      "work "
                          + apc.keGetCurrentIrql()
                          + (apc.psGetCurrentThread() == apc.systemThread() ? " system" : "")));
        });

    EProcess cmd = apcHost.start(apc.systemProcess(), apcHost.images.cmd, "cmd.exe");

    assertThat(seen).containsExactly("notify APC_LEVEL", "work PASSIVE_LEVEL system");
    assertThat(apc.keGetCurrentIrql()).isEqualTo(Irql.PASSIVE_LEVEL);
    assertThat(apc.isRunning(cmd)).isTrue();
  }

  @Test
  void aDriverReadingTheImageNameAtApcLevelInAThreadRoutineBugChecks() {
    TestHost apcHost = new TestHost(0x5eedL, Irql.APC_LEVEL);
    Kernel apc = apcHost.kernel;
    apc.psSetCreateThreadNotifyRoutine(
        apcHost.emptyDriver(true),
        (pid, tid, create) -> {
          Lookup<EThread> thread = apc.psLookupThreadByThreadId(tid);
          apc.seLocateProcessImageName(apc.psGetThreadProcess(thread.object())); // PASSIVE only
        });

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> apcHost.start(apc.systemProcess(), apcHost.images.cmd, "cmd.exe"))
        .isInstanceOf(BugCheckException.class);
    assertThat(apc.bugCheck().detail()).startsWith("SeLocateProcessImageName called at APC_LEVEL");
  }
}
