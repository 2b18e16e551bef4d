package io.psfleet.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several processors per host: their own IRQL and thread, and reference counts shared safely. */
class ProcessorsTest {
  private static final int PROCESSORS = 4;

  private final TestHost host = new TestHost(0x5eedL, Irql.PASSIVE_LEVEL, PROCESSORS);
  private final Kernel kernel = host.kernel;
  private final ExecutorService cpus = Executors.newFixedThreadPool(PROCESSORS);

  @AfterEach
  void stopProcessors() {
    cpus.shutdownNow();
  }

  @Test
  void eachProcessorHasItsOwnIrqlAndCurrentThread() throws Exception {
    EProcess cmd = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
    EThread cmdThread = host.firstThread(cmd);
    CyclicBarrier raised = new CyclicBarrier(2);
    List<String> seen = new ArrayList<>();

    Future<?> first =
        cpus.submit(
            () ->
                kernel.runOnProcessor(
                    1,
                    kernel.systemThread(),
                    () -> {
                      kernel.keRaiseIrql(Irql.DISPATCH_LEVEL);
                      await(raised);
                      await(raised);
                      kernel.keLowerIrql(Irql.PASSIVE_LEVEL);
                    }));
    await(raised);
    kernel.runOnProcessor(
        2,
        cmdThread,
        () ->
            seen.add(
                kernel.keGetCurrentProcessorNumber()
                    + " "
                    + kernel.keGetCurrentIrql()
                    + " "
                    + (kernel.psGetCurrentThread() == cmdThread)));
    await(raised);
    first.get(10, TimeUnit.SECONDS);

    assertThat(seen).containsExactly("2 PASSIVE_LEVEL true");
    assertThat(kernel.isHalted()).isFalse();
  }

  @Test
  void theSchedulerPutsAThreadOnTheSameProcessorEveryRun() {
    List<Integer> first = processorsSeenByNotifications(new TestHost(7, Irql.PASSIVE_LEVEL, 4));
    List<Integer> second = processorsSeenByNotifications(new TestHost(7, Irql.PASSIVE_LEVEL, 4));

    assertThat(first).isEqualTo(second).hasSizeGreaterThan(10);
    assertThat(first).as("work is spread over the processors").containsAll(List.of(0, 1, 2, 3));
  }

  private static List<Integer> processorsSeenByNotifications(TestHost host) {
    Kernel kernel = host.kernel;
    List<Integer> processors = new ArrayList<>();
    kernel.psSetCreateThreadNotifyRoutine(
        host.emptyDriver(true),
        (pid, tid, create) -> processors.add(kernel.keGetCurrentProcessorNumber()));
    EProcess explorer = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    for (int i = 0; i < 12; i++) {
      EProcess child = host.start(explorer, host.images.cmd, "cmd.exe /c " + i);
      kernel.terminateProcess(child, 0);
    }
    return processors;
  }

  @Test
  void concurrentLookupsAndDereferencesOnEveryProcessorEndWithExactCounts() throws Exception {
    List<EProcess> processes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      processes.add(host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe /c " + i));
    }
    KernelObjectCounts before = kernel.objectCounts();
    CyclicBarrier start = new CyclicBarrier(PROCESSORS);
    List<Future<Integer>> lookups = new ArrayList<>();
    for (int cpu = 0; cpu < PROCESSORS; cpu++) {
      int number = cpu;
      lookups.add(
          cpus.submit(
              () -> {
                int[] found = new int[1];
                kernel.runOnProcessor(
                    number,
                    kernel.systemThread(),
                    () -> {
                      await(start);
                      for (int i = 0; i < 20_000; i++) {
                        EProcess process = processes.get((i + number) % processes.size());
                        Lookup<EProcess> lookup =
                            kernel.psLookupProcessByProcessId(kernel.psGetProcessId(process));
                        kernel.obReferenceObject(lookup.object());
                        kernel.obDereferenceObject(lookup.object());
                        kernel.obDereferenceObject(lookup.object());
                        found[0] += lookup.found() ? 1 : 0;
                      }
                    });
                return found[0];
              }));
    }
    int found = 0;
    for (Future<Integer> lookup : lookups) {
      found += lookup.get(60, TimeUnit.SECONDS);
    }

    assertThat(found).isEqualTo(PROCESSORS * 20_000);
    assertThat(kernel.isHalted()).isFalse();
    assertThat(kernel.objectCounts()).isEqualTo(before);
  }

  @Test
  void theLastOfConcurrentDereferencesDeletesAZombieExactlyOnce() throws Exception {
    for (int round = 0; round < 200; round++) {
      EProcess cmd = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
      int pid = kernel.psGetProcessId(cmd);
      List<Lookup<EProcess>> held = new ArrayList<>();
      for (int i = 0; i < PROCESSORS; i++) {
        held.add(kernel.psLookupProcessByProcessId(pid));
      }
      kernel.terminateProcess(cmd, 0);
      int idsWithZombie = kernel.clientIdsInUse();
      CyclicBarrier start = new CyclicBarrier(PROCESSORS);
      List<Future<?>> releases = new ArrayList<>();
      for (int cpu = 0; cpu < PROCESSORS; cpu++) {
        int number = cpu;
        releases.add(
            cpus.submit(
                () ->
                    kernel.runOnProcessor(
                        number,
                        kernel.systemThread(),
                        () -> {
                          await(start);
                          kernel.obDereferenceObject(held.get(number).object());
                        })));
      }
      for (Future<?> release : releases) {
        release.get(10, TimeUnit.SECONDS);
      }

      assertThat(kernel.isHalted()).isFalse();
      assertThat(kernel.clientIdsInUse()).as("round %d", round).isEqualTo(idsWithZombie - 1);
      assertThat(kernel.psLookupProcessByProcessId(pid).found()).isFalse();
    }
    assertThat(kernel.objectCounts().zombieProcesses()).isZero();
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
