package io.psfleet.agent.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.kernel.Created;
import io.psfleet.agent.kernel.DriverObject;
import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.EThread;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.Irql;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.KernelObjectCounts;
import io.psfleet.agent.kernel.NtStatus;
import io.psfleet.agent.kernel.ProcessParameters;
import io.psfleet.agent.kernel.TestHost;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.TelemetryEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drives a host through thousands of random process, thread and image operations with the sensor
 * loaded, then ends everything and unloads the sensor: the kernel must be back to its boot state,
 * with no leaked reference and no zombie, and the event stream must be gapless.
 */
class SensorLifecycleRandomizedTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 42, 20261124})
  void randomLifecycleLeaksNothingAndKeepsSequenceContiguous(long seed) {
    runLifecycle(seed, Irql.PASSIVE_LEVEL);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 42})
  void threadNotificationsAtApcLevelGiveTheSameTelemetryAsAtPassiveLevel(long seed) {
    assertThat(runLifecycle(seed, Irql.APC_LEVEL))
        .isEqualTo(runLifecycle(seed, Irql.PASSIVE_LEVEL));
  }

  private static List<TelemetryEvent> runLifecycle(long seed, Irql threadNotifyIrql) {
    TestHost host = new TestHost(seed, threadNotifyIrql);
    Kernel kernel = host.kernel;
    KernelObjectCounts atBoot = kernel.objectCounts();
    List<TelemetryEvent> events = new ArrayList<>();
    ProcessPolicy blockSome = (image, cmd) -> cmd != null && cmd.endsWith("#blocked");
    SensorDriver sensor =
        new SensorDriver(
            SensorConfig.of("host-r", seed, new FileHashCache()).withPolicy(blockSome),
            events::add);
    DriverObject sensorObject = host.loadDriver(true, sensor::driverEntry);
    List<ImageFile> images =
        List.of(
            host.images.cmd,
            host.images.notepad,
            host.images.explorer,
            host.images.svchost,
            host.images.powershell);
    List<ImageFile> dlls =
        List.of(
            host.images.kernel32, host.images.kernelbase, host.images.user32, host.images.advapi32);
    List<EProcess> running = new ArrayList<>();
    running.add(kernel.systemProcess());
    Random random = new Random(seed);
    int blocked = 0;

    for (int step = 0; step < 5_000; step++) {
      kernel.advanceClockTo(kernel.now() + 1_000 + random.nextInt(1_000_000));
      EProcess actor = running.get(random.nextInt(running.size()));
      List<EThread> threads = kernel.threadsOf(actor);
      EThread thread = threads.get(random.nextInt(threads.size()));
      int op = random.nextInt(100);
      if (op < 25 || running.size() < 3) {
        ProcessParameters parameters =
            ProcessParameters.of(
                images.get(random.nextInt(images.size())),
                "run " + step + (random.nextInt(20) == 0 ? " #blocked" : ""),
                TestHost.user());
        if (random.nextInt(10) == 0) {
          parameters = parameters.withParent(running.get(random.nextInt(running.size())));
        }
        Created<EProcess> created = kernel.createProcess(thread, parameters);
        if (created.succeeded()) {
          running.add(created.object());
        } else {
          assertThat(created.status()).isEqualTo(NtStatus.STATUS_ACCESS_DENIED.code());
          blocked++;
        }
      } else if (op < 45) {
        EProcess target = running.get(random.nextInt(running.size()));
        kernel.createThread(thread, target, kernel.imageBase(host.images.kernel32) + 0x203b0);
      } else if (op < 75 && actor != kernel.systemProcess()) {
        kernel.mapImage(thread, dlls.get(random.nextInt(dlls.size())));
      } else if (op < 85 && threads.size() > 1 && thread != kernel.systemThread()) {
        kernel.exitThread(thread, 0);
      } else if (actor != kernel.systemProcess()) {
        kernel.terminateProcess(actor, random.nextInt(3));
        running.remove(actor);
      }
    }
    for (EProcess process : running) {
      if (process != kernel.systemProcess()) {
        kernel.terminateProcess(process, 0);
      } else {
        kernel.threadsOf(process).stream()
            .filter(t -> t != kernel.systemThread())
            .forEach(t -> kernel.exitThread(t, 0));
      }
    }
    assertThat(kernel.ioUnloadDriver(sensorObject)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(kernel.isHalted()).isFalse();
    assertThat(kernel.objectCounts()).isEqualTo(atBoot);
    assertThat(blocked).isPositive();
    assertThat(events.size()).isGreaterThan(5_000);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).getHeader().getSequence()).isEqualTo(i + 1L);
    }
    Set<Long> started = new HashSet<>();
    Set<Long> exited = new HashSet<>();
    for (TelemetryEvent event : events) {
      if (event.getBody() instanceof ProcessCreate create && create.getCreationStatus() == 0) {
        assertThat(started.add(create.getProcessGuid())).as("process key reused").isTrue();
      } else if (event.getBody() instanceof ProcessExit exit) {
        exited.add(exit.getProcessGuid());
      }
    }
    assertThat(exited).isEqualTo(started);
    assertThat(kernel.poolBuffersOutstanding()).as("image-name buffers not freed").isZero();
    assertThat(kernel.tokenReferencesOutstanding()).as("token references not released").isZero();
    return events;
  }
}
