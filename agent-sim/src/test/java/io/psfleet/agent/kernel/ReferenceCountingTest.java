package io.psfleet.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferenceCountingTest {
  private final TestHost host = new TestHost();
  private final Kernel kernel = host.kernel;

  @Test
  void systemProcessHasPidFour() {
    assertThat(kernel.psGetProcessId(kernel.systemProcess())).isEqualTo(Kernel.SYSTEM_PROCESS_ID);
    assertThat(kernel.psGetProcessImageFileName(kernel.systemProcess())).isEqualTo("System");
  }

  @Test
  void processAndThreadIdsAreMultiplesOfFourFromOneTable() {
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      EProcess p = host.start(kernel.systemProcess(), host.images.smss, "smss.exe");
      ids.add(kernel.psGetProcessId(p));
      ids.add(kernel.psGetThreadId(host.firstThread(p)));
    }

    assertThat(ids).hasSize(40).allSatisfy(id -> assertThat(id % 4).isZero());
  }

  @Test
  void lookupOfUnknownIdIsInvalidCid() {
    assertThat(kernel.psLookupProcessByProcessId(4000).status())
        .isEqualTo(NtStatus.STATUS_INVALID_CID);
    assertThat(kernel.psLookupProcessByProcessId(7).status())
        .isEqualTo(NtStatus.STATUS_INVALID_CID);
  }

  @Test
  void lookupOfUnknownThreadIdIsInvalidParameterAsItsPageSays() {
    assertThat(kernel.psLookupThreadByThreadId(4000).status())
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
  }

  @Test
  void lookupOfAThreadIdAsAProcessIsInvalidCid() {
    int tid = kernel.psGetThreadId(kernel.systemThread());

    assertThat(kernel.psLookupProcessByProcessId(tid).status())
        .isEqualTo(NtStatus.STATUS_INVALID_CID);
  }

  @Test
  void exitedProcessIsFreedAndItsPidReusedWhenNoReferenceRemains() {
    EProcess first = host.start(kernel.systemProcess(), host.images.notepad, "notepad.exe");
    int pid = kernel.psGetProcessId(first);
    kernel.terminateProcess(first, 0);

    assertThat(kernel.psLookupProcessByProcessId(pid).status())
        .isEqualTo(NtStatus.STATUS_INVALID_CID);
    assertThat(kernel.objectCounts().zombieProcesses()).isZero();
    assertThat(startMany(4)).as("a freed pid is not handed out again at once").doesNotContain(pid);
    assertThat(churn(ClientIdTable.REUSE_DELAY)).as("but it comes back later").contains(pid);
  }

  @Test
  void idsClimbIntoTheThousandsBeforeAnyIsReused() {
    // Windows' handle table hands a freed entry out again only after many others: on a busy host
    // process and thread ids run into the thousands even though few objects live at once.
    List<Integer> pids = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      EProcess p = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
      pids.add(kernel.psGetProcessId(p));
      kernel.terminateProcess(p, 0);
    }

    assertThat(pids).allMatch(pid -> pid % 4 == 0);
    assertThat(pids.stream().mapToInt(Integer::intValue).max().orElseThrow()).isGreaterThan(1000);
    assertThat(pids.subList(0, 100)).doesNotHaveDuplicates();
    assertThat(Set.copyOf(pids)).as("ids are reused eventually").hasSizeLessThan(pids.size());
  }

  @Test
  void leakedLookupKeepsExitedProcessAsZombieHoldingItsPid() {
    EProcess victim = host.start(kernel.systemProcess(), host.images.notepad, "notepad.exe");
    int pid = kernel.psGetProcessId(victim);
    Lookup<EProcess> leaked = kernel.psLookupProcessByProcessId(pid);
    assertThat(leaked.found()).isTrue();

    kernel.terminateProcess(victim, 1);

    assertThat(kernel.objectCounts().zombieProcesses()).isEqualTo(1);
    assertThat(startMany(50)).doesNotContain(pid);
    Lookup<EProcess> zombie = kernel.psLookupProcessByProcessId(pid);
    assertThat(zombie.object()).isSameAs(victim);
    assertThat(kernel.psGetProcessExitStatus(zombie.object())).isEqualTo(1);

    kernel.obDereferenceObject(zombie.object());
    kernel.obDereferenceObject(leaked.object());

    assertThat(kernel.objectCounts().zombieProcesses()).isZero();
    assertThat(kernel.psLookupProcessByProcessId(pid).status())
        .isEqualTo(NtStatus.STATUS_INVALID_CID);
    assertThat(churn(ClientIdTable.REUSE_DELAY)).contains(pid);
  }

  @Test
  void leakedThreadReferenceKeepsBothThreadAndProcessAlive() {
    EProcess process = host.start(kernel.systemProcess(), host.images.notepad, "notepad.exe");
    EThread thread = host.firstThread(process);
    Lookup<EThread> leaked = kernel.psLookupThreadByThreadId(kernel.psGetThreadId(thread));

    kernel.terminateProcess(process, 0);

    KernelObjectCounts counts = kernel.objectCounts();
    assertThat(counts.zombieThreads()).isEqualTo(1);
    assertThat(counts.zombieProcesses()).isEqualTo(1);

    kernel.obDereferenceObject(leaked.object());

    assertThat(kernel.objectCounts().zombieThreads()).isZero();
    assertThat(kernel.objectCounts().zombieProcesses()).isZero();
  }

  @Test
  void releasingAReferenceNobodyHeldBugChecksReferenceByPointer() {
    EProcess process = host.start(kernel.systemProcess(), host.images.notepad, "notepad.exe");
    Lookup<EProcess> lookup = kernel.psLookupProcessByProcessId(kernel.psGetProcessId(process));
    kernel.obDereferenceObject(lookup.object());

    assertThatThrownBy(() -> kernel.obDereferenceObject(process))
        .isInstanceOfSatisfying(
            BugCheckException.class,
            e -> assertThat(e.bugCheck().code()).isEqualTo(BugCheck.REFERENCE_BY_POINTER));
    assertThat(kernel.isHalted()).isTrue();
  }

  @Test
  void imageFileNameIsCutToFifteenCharacters() {
    ImageFile longName =
        host.images.file(
            "C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe",
            200_000,
            "Microsoft Corporation",
            false,
            List.of());

    EProcess process = host.start(kernel.systemProcess(), longName, null);

    assertThat(kernel.psGetProcessImageFileName(process)).isEqualTo("MicrosoftEdgeUp");
    LocatedImageName located = kernel.seLocateProcessImageName(process);
    assertThat(located.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(located.imageFileName().value()).endsWith("\\MicrosoftEdgeUpdate.exe");
    assertThat(kernel.poolBuffersOutstanding()).isOne();
    kernel.exFreePool(located.imageFileName());
    assertThat(kernel.poolBuffersOutstanding()).isZero();
  }

  @Test
  void freeingTheImageNameBufferTwiceBugChecksBadPoolCaller() {
    EProcess process = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
    UnicodeString buffer = kernel.seLocateProcessImageName(process).imageFileName();
    kernel.exFreePool(buffer);

    assertThatThrownBy(() -> kernel.exFreePool(buffer)).isInstanceOf(BugCheckException.class);
    assertThat(kernel.bugCheck().code()).isEqualTo(BugCheck.BAD_POOL_CALLER);
    assertThat(kernel.bugCheck().p1()).isEqualTo(7);
  }

  @Test
  void imageBasesAreSharedAcrossProcessesOfABootAndDifferAcrossBoots() {
    TestHost otherBoot = new TestHost(0x0ddba11L);

    long here = kernel.exportAddress(host.images.kernel32, "LoadLibraryW");
    long there = otherBoot.kernel.exportAddress(otherBoot.images.kernel32, "LoadLibraryW");

    assertThat(here).isNotEqualTo(there);
    EProcess a = host.start(kernel.systemProcess(), host.images.notepad, null);
    EProcess b = host.start(kernel.systemProcess(), host.images.cmd, null);
    kernel.mapImage(host.firstThread(a), host.images.kernel32);
    kernel.mapImage(host.firstThread(b), host.images.kernel32);
    assertThat(kernel.findMappedImage(a, here).file()).isSameAs(host.images.kernel32);
    assertThat(kernel.findMappedImage(b, here).file()).isSameAs(host.images.kernel32);
  }

  /**
   * Starts and ends {@code count} processes, as a busy host does; returns the ids they got, process
   * and thread ids alike (one table hands out both).
   */
  private List<Integer> churn(int count) {
    List<Integer> pids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      EProcess p = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
      pids.add(kernel.psGetProcessId(p));
      pids.add(kernel.psGetThreadId(host.firstThread(p)));
      kernel.terminateProcess(p, 0);
    }
    return pids;
  }

  private List<Integer> startMany(int count) {
    List<Integer> pids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pids.add(
          kernel.psGetProcessId(host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe")));
    }
    return pids;
  }
}
