package io.psfleet.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessNotifyContractTest {
  private final TestHost host = new TestHost();
  private final Kernel kernel = host.kernel;
  private final DriverObject driver = host.emptyDriver(true);

  @Test
  void createCallbackRunsInTheCreatorsContextWithCreateInfo() {
    EProcess explorer = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    EThread creator = host.firstThread(explorer);
    List<String> seen = new ArrayList<>();
    kernel.psSetCreateProcessNotifyRoutineEx(
        driver,
        (process, pid, info) ->
            seen.add(
                kernel.psGetCurrentProcessId()
                    + "/"
                    + kernel.psGetCurrentThreadId()
                    + " parent="
                    + info.parentProcessId()
                    + " creator="
                    + info.creatingThreadId()
                    + " image="
                    + info.imageFileName()
                    + " cmd="
                    + info.commandLine()),
        false);

    host.start(creator, ProcessParameters.of(host.images.cmd, "cmd.exe /c dir", TestHost.user()));

    int explorerPid = kernel.psGetProcessId(explorer);
    int creatorTid = kernel.psGetThreadId(creator);
    assertThat(seen)
        .containsExactly(
            explorerPid
                + "/"
                + creatorTid
                + " parent="
                + explorerPid
                + " creator="
                + new ClientId(explorerPid, creatorTid)
                + " image="
                + host.images.cmd.path()
                + " cmd=cmd.exe /c dir");
  }

  @Test
  void reportedParentDiffersFromCreatorWhenTheCreatorNamesAnotherParent() {
    EProcess lsass = host.start(kernel.systemProcess(), host.images.lsass, "lsass.exe");
    EProcess malware = host.start(kernel.systemProcess(), host.images.notepad, "evil");
    List<PsCreateNotifyInfo> infos = new ArrayList<>();
    kernel.psSetCreateProcessNotifyRoutineEx(driver, (p, pid, info) -> infos.add(info), false);

    EProcess child =
        host.start(
            host.firstThread(malware),
            ProcessParameters.of(host.images.cmd, "cmd.exe", TestHost.user()).withParent(lsass));

    assertThat(infos.get(0).parentProcessId()).isEqualTo(kernel.psGetProcessId(lsass));
    assertThat(infos.get(0).creatingThreadId().uniqueProcess())
        .isEqualTo(kernel.psGetProcessId(malware));
    assertThat(kernel.psGetProcessInheritedFromUniqueProcessId(child))
        .isEqualTo(kernel.psGetProcessId(lsass));
  }

  @Test
  void exitCallbackHasNoCreateInfoAndRunsInTheLastThread() {
    EProcess process = host.start(kernel.systemProcess(), host.images.notepad, "notepad.exe");
    EThread second =
        kernel
            .createThread(host.firstThread(process), process, kernel.imageBase(host.images.notepad))
            .object();
    List<String> seen = new ArrayList<>();
    kernel.psSetCreateProcessNotifyRoutineEx(
        driver,
        (p, pid, info) ->
            seen.add(
                (info == null ? "exit" : "create")
                    + " in tid "
                    + kernel.psGetCurrentThreadId()
                    + " terminating="
                    + kernel.psIsThreadTerminating(kernel.psGetCurrentThread())),
        false);

    kernel.exitThread(host.firstThread(process), 0);
    assertThat(seen).isEmpty();
    kernel.exitThread(second, 7);

    assertThat(seen)
        .containsExactly("exit in tid " + kernel.psGetThreadId(second) + " terminating=true");
    assertThat(kernel.psGetProcessExitStatus(process)).isEqualTo(7);
  }

  @Test
  void failureInCreationStatusBlocksTheProcessBeforeItRuns() {
    List<String> images = new ArrayList<>();
    List<Integer> exits = new ArrayList<>();
    List<Integer> threads = new ArrayList<>();
    kernel.psSetLoadImageNotifyRoutine(driver, (name, pid, info) -> images.add(pid + " " + name));
    kernel.psSetCreateThreadNotifyRoutine(driver, (pid, tid, create) -> threads.add(pid));
    kernel.psSetCreateProcessNotifyRoutineEx(
        driver,
        (p, pid, info) -> {
          if (info == null) {
            exits.add(pid);
          } else if (info.imageFileName().endsWith("cmd.exe")) {
            info.setCreationStatus(NtStatus.STATUS_ACCESS_DENIED.code());
          }
        },
        false);
    int idsBefore = kernel.clientIdsInUse();

    Created<EProcess> created =
        kernel.createProcess(
            kernel.systemThread(),
            ProcessParameters.of(host.images.cmd, "cmd.exe", TestHost.user()));

    assertThat(created.succeeded()).isFalse();
    assertThat(created.status()).isEqualTo(NtStatus.STATUS_ACCESS_DENIED.code());
    assertThat(images).isEmpty();
    assertThat(threads).isEmpty();
    assertThat(exits).isEmpty();
    assertThat(kernel.clientIdsInUse()).isEqualTo(idsBefore);
    assertThat(kernel.objectCounts().zombieProcesses()).isZero();
  }

  @Test
  void newProcessMapsItsExecutableAndNtdllInItsOwnContext() {
    List<String> loads = new ArrayList<>();
    kernel.psSetLoadImageNotifyRoutine(
        driver,
        (name, pid, info) ->
            loads.add(
                pid + "@" + kernel.psGetCurrentProcessId() + " " + name + " " + info.imageBase()));

    EProcess p = host.start(kernel.systemProcess(), host.images.notepad, "notepad.exe");

    int pid = kernel.psGetProcessId(p);
    assertThat(loads)
        .containsExactly(
            pid
                + "@"
                + pid
                + " "
                + host.images.notepad.path()
                + " "
                + kernel.imageBase(host.images.notepad),
            pid
                + "@"
                + pid
                + " "
                + host.images.ntdll.path()
                + " "
                + kernel.imageBase(host.images.ntdll));
  }

  @Test
  void mappingAnImageTwiceNotifiesOnce() {
    EProcess p = host.start(kernel.systemProcess(), host.images.notepad, "notepad.exe");
    List<String> loads = new ArrayList<>();
    kernel.psSetLoadImageNotifyRoutine(driver, (name, pid, info) -> loads.add(name));

    kernel.mapImage(host.firstThread(p), host.images.user32);
    kernel.mapImage(host.firstThread(p), host.images.user32);

    assertThat(loads).containsExactly(host.images.user32.path());
  }

  @Test
  void driverLoadIsReportedAsASystemModeImageOfProcessZero() {
    List<ImageInfo> infos = new ArrayList<>();
    List<Integer> pids = new ArrayList<>();
    kernel.psSetLoadImageNotifyRoutine(
        driver,
        (name, pid, info) -> {
          pids.add(pid);
          infos.add(info);
        });

    host.emptyDriver(true);

    assertThat(pids).containsExactly(0);
    assertThat(infos.get(0).systemModeImage()).isTrue();
    assertThat(infos.get(0).imageBase()).isNegative(); // kernel space: 0xFFFFF8...
  }
}
