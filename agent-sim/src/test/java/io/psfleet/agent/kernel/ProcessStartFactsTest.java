package io.psfleet.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Windows does when it starts a process, each test naming the fact it follows. */
class ProcessStartFactsTest {
  private final TestHost host = new TestHost();
  private final Kernel kernel = host.kernel;
  private final DriverObject driver = host.emptyDriver(true);

  @Test
  void processCreateThenInitialThreadThenExecutableAndNtdllLoads() {
    // WINDOWS.md: the process-create notification runs after the initial thread exists but before
    // it runs; then the thread-create notification of that thread; the executable's and ntdll's
    // image loads come from the new process's initial thread once it starts.
    List<String> order = new ArrayList<>();
    kernel.psSetCreateProcessNotifyRoutineEx(
        driver, (p, pid, info) -> order.add(info == null ? "exit" : "process"), false);
    kernel.psSetCreateThreadNotifyRoutine(
        driver, (pid, tid, create) -> order.add(create ? "thread" : "thread-exit"));
    kernel.psSetLoadImageNotifyRoutine(
        driver,
        (name, pid, info) ->
            order.add(
                name.substring(name.lastIndexOf('\\') + 1) + "@" + kernel.psGetCurrentThreadId()));

    EProcess p = host.start(kernel.systemProcess(), host.images.notepad, "notepad.exe");

    int tid = kernel.psGetThreadId(host.firstThread(p));
    assertThat(order)
        .containsExactly("process", "thread", "notepad.exe@" + tid, "ntdll.dll@" + tid);
  }

  @Test
  void initialThreadStartsInsideTheAlreadyMappedExecutable() {
    // NtCreateUserProcess maps the executable's section before creating the initial thread, so a
    // sensor resolving that thread's start address finds the executable.
    List<MappedImage> found = new ArrayList<>();
    kernel.psSetCreateThreadNotifyRoutine(
        driver,
        (pid, tid, create) -> {
          if (create) {
            Lookup<EThread> t = kernel.psLookupThreadByThreadId(tid);
            found.add(
                kernel.findMappedImage(
                    kernel.psGetThreadProcess(t.object()),
                    kernel.zwQueryThreadWin32StartAddress(t.object())));
            kernel.obDereferenceObject(t.object());
          }
        });

    host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");

    assertThat(found).hasSize(1);
    assertThat(found.get(0).file()).isSameAs(host.images.cmd);
  }

  @Test
  void imageSizeIsSizeOfImageAWholeNumberOfPages() {
    // IMAGE_INFO.ImageSize is the PE header's SizeOfImage, a multiple of the section alignment.
    List<Long> sizes = new ArrayList<>();
    kernel.psSetLoadImageNotifyRoutine(driver, (name, pid, info) -> sizes.add(info.imageSize()));
    ImageFile odd = host.images.file("C:\\Program Files\\Odd\\odd.dll", 12_345, "Odd Ltd");

    EProcess p = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
    kernel.mapImage(host.firstThread(p), odd);

    assertThat(sizes).isNotEmpty().allMatch(size -> size > 0 && size % 0x1000 == 0);
    assertThat(odd.size()).isEqualTo(0x4000);
  }

  @Test
  void mediumIntegrityProcessCannotStartAHighIntegrityChild() {
    // A child inherits its creator's token unless a broker makes one: assigning another primary
    // token needs a privilege only SYSTEM holds, so elevation goes through Appinfo or seclogon.
    EProcess explorer = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    ProcessToken high = TestHost.user().withIntegrity(ProcessToken.IntegrityLevel.HIGH, 0x4242);

    Created<EProcess> direct =
        kernel.createProcess(
            host.firstThread(explorer), ProcessParameters.of(host.images.cmd, "cmd.exe", high));
    Created<EProcess> brokered =
        kernel.createProcess(
            kernel.systemThread(),
            ProcessParameters.of(host.images.cmd, "cmd.exe", high).withParent(explorer));

    assertThat(direct.status()).isEqualTo(NtStatus.STATUS_PRIVILEGE_NOT_HELD.code());
    assertThat(brokered.succeeded()).isTrue();
  }

  @Test
  void childInheritsItsCreatorsWorkingDirectoryUnlessGivenOne() {
    // CreateProcess with lpCurrentDirectory NULL: the new process has its creator's directory.
    EProcess explorer = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    EProcess cmd =
        host.start(
            host.firstThread(explorer),
            ProcessParameters.of(host.images.cmd, "cmd.exe", TestHost.user())
                .withCurrentDirectory("C:\\Users\\alice\\"));
    EProcess child = host.start(cmd, host.images.notepad, "notepad.exe");

    assertThat(currentDirectoryOf(explorer)).isEqualTo("C:\\Windows\\system32\\");
    assertThat(currentDirectoryOf(cmd)).isEqualTo("C:\\Users\\alice\\");
    assertThat(currentDirectoryOf(child)).isEqualTo("C:\\Users\\alice\\");
    assertThat(kernel.readProcessCurrentDirectory(child))
        .as("unattached, the read finds the current process's memory, not the child's PEB")
        .isNull();
  }

  @Test
  void serviceAccountsHaveTheirWellKnownLogonIds() {
    assertThat(ProcessToken.SYSTEM.logonId()).isEqualTo(0x3e7);
    assertThat(
            new ProcessToken("NT AUTHORITY\\NETWORK SERVICE", ProcessToken.IntegrityLevel.SYSTEM, 0)
                .logonId())
        .isEqualTo(0x3e4);
    assertThat(
            new ProcessToken("NT AUTHORITY\\LOCAL SERVICE", ProcessToken.IntegrityLevel.SYSTEM, 0)
                .logonId())
        .isEqualTo(0x3e5);
  }

  /** Reads the PEB's working directory as a driver must: attached to the process. */
  private String currentDirectoryOf(EProcess process) {
    KApcState state = kernel.keStackAttachProcess(process);
    try {
      return kernel.readProcessCurrentDirectory(process);
    } finally {
      kernel.keUnstackDetachProcess(state);
    }
  }
}
