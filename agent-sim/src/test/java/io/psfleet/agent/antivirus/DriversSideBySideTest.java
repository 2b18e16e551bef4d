package io.psfleet.agent.antivirus;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.kernel.Created;
import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.EThread;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.NtStatus;
import io.psfleet.agent.kernel.ProcessParameters;
import io.psfleet.agent.kernel.TestHost;
import io.psfleet.agent.sensor.FileHashCache;
import io.psfleet.agent.sensor.SensorConfig;
import io.psfleet.agent.sensor.SensorDriver;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sensor and an antivirus on one host, loaded in either order. */
class DriversSideBySideTest {
  private final TestHost host = new TestHost();
  private final Kernel kernel = host.kernel;
  private final List<TelemetryEvent> events = new ArrayList<>();
  private final AntivirusDriver antivirus =
      new AntivirusDriver((image, commandLine) -> commandLine.contains("evil"));

  private void loadSensor() {
    SensorDriver sensor =
        new SensorDriver(SensorConfig.of("host-av", 7, new FileHashCache()), events::add);
    host.loadDriver(true, sensor::driverEntry);
  }

  private void loadAntivirus() {
    host.loadDriver(true, antivirus::driverEntry);
  }

  private Created<EProcess> startEvil() {
    return kernel.createProcess(
        kernel.systemThread(),
        ProcessParameters.of(host.images.cmd, "cmd.exe /c evil.exe", TestHost.user()));
  }

  @Test
  void aProcessBlockedByAnAntivirusLoadedAfterTheSensorLeavesNoTelemetry() {
    loadSensor();
    loadAntivirus();
    EProcess explorer = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    int before = events.size();

    Created<EProcess> blocked = startEvil();

    assertThat(blocked.status()).isEqualTo(NtStatus.STATUS_VIRUS_INFECTED.code());
    assertThat(antivirus.blockedProcessIds()).hasSize(1);
    assertThat(events.subList(before, events.size()))
        .as("no event claims that the blocked process ran")
        .isEmpty();
    assertThat(kernel.isRunning(explorer)).isTrue();
  }

  @Test
  void aProcessBlockedByAnAntivirusLoadedBeforeTheSensorIsReportedAsRefused() {
    loadAntivirus();
    loadSensor();
    int before = events.size();

    startEvil();

    assertThat(events.subList(before, events.size()))
        .singleElement()
        .satisfies(
            e ->
                assertThat(((ProcessCreate) e.getBody()).getCreationStatus())
                    .isEqualTo(NtStatus.STATUS_VIRUS_INFECTED.code()));
  }

  @Test
  void aRemoteThreadIntoAProcessReusingABlockedPidIsStillRemote() {
    loadSensor();
    loadAntivirus();
    EProcess injector = host.start(kernel.systemProcess(), host.images.notepad, "inject.exe");
    startEvil();
    int blockedPid = antivirus.blockedProcessIds().get(0);

    // Ids are handed out again only after many others are free: churn until the pid comes back.
    EProcess reuser = null;
    for (int i = 0; i < 2_000 && reuser == null; i++) {
      EProcess p = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe /c ver");
      if (kernel.psGetProcessId(p) == blockedPid) {
        reuser = p;
      } else {
        kernel.terminateProcess(p, 0);
      }
    }
    assertThat(reuser).as("pid %d handed out again", blockedPid).isNotNull();
    kernel.createThread(
        host.firstThread(injector),
        reuser,
        kernel.exportAddress(host.images.kernel32, "LoadLibraryW"));

    ThreadCreate remote = lastThreadCreate();
    assertThat(remote.getTargetProcessId()).isEqualTo(blockedPid);
    assertThat(remote.getSourceProcessId()).isEqualTo(kernel.psGetProcessId(injector));
    assertThat(remote.getRemoteThread()).isTrue();
    assertThat(remote.getInitialThread()).isFalse();
  }

  @Test
  void aProcessReusingABlockedPidAtTheSameInstantFromTheSameThreadIsToldApart() {
    // The hardest case for a sensor that told processes apart by pid, create time and creating
    // thread: the clock has not moved, and one thread creates the blocked process, the process
    // that reuses its pid, and a remote thread into that one.
    loadSensor();
    loadAntivirus();
    EProcess injector = host.start(kernel.systemProcess(), host.images.notepad, "inject.exe");
    EThread creator = host.firstThread(injector);
    startEvilFrom(creator);
    int blockedPid = antivirus.blockedProcessIds().get(0);
    kernel.terminateProcess(host.start(injector, host.images.cmd, "cmd.exe /c dir"), 0);

    bringIdToTheHeadOfTheFreeList(injector, blockedPid);
    EProcess reuser =
        host.start(
            creator, ProcessParameters.of(host.images.cmd, "cmd.exe /c ver", TestHost.user()));
    kernel.createThread(
        creator, reuser, kernel.exportAddress(host.images.kernel32, "LoadLibraryW"));

    assertThat(kernel.psGetProcessId(reuser)).isEqualTo(blockedPid);
    assertThat(kernel.now()).as("the clock never moved").isEqualTo(TestHost.BOOT_TIME_NANOS);
    assertThat(events)
        .as("the blocked creation is never reported")
        .noneMatch(
            e -> e.getBody() instanceof ProcessCreate c && c.getCommandLine().contains("evil"));
    assertThat(
            events.stream()
                .filter(
                    e -> e.getBody() instanceof ProcessCreate c && c.getProcessId() == blockedPid))
        .singleElement()
        .satisfies(
            e ->
                assertThat(((ProcessCreate) e.getBody()).getCommandLine())
                    .isEqualTo("cmd.exe /c ver"));
    ThreadCreate remote = lastThreadCreate();
    assertThat(remote.getTargetProcessId()).isEqualTo(blockedPid);
    assertThat(remote.getRemoteThread()).isTrue();
    assertThat(remote.getInitialThread()).isFalse();
  }

  @Test
  void aBlockedProcessHeldByTheSensorIsReleasedAtUnload() {
    var before = kernel.objectCounts();
    SensorDriver sensor =
        new SensorDriver(SensorConfig.of("host-av", 7, new FileHashCache()), events::add);
    var sensorObject = host.loadDriver(true, sensor::driverEntry);
    var antivirusObject = host.loadDriver(true, antivirus::driverEntry);

    startEvil();
    assertThat(kernel.objectCounts().zombieProcesses()).as("held by the sensor").isEqualTo(1);
    kernel.ioUnloadDriver(antivirusObject);
    kernel.ioUnloadDriver(sensorObject);

    assertThat(kernel.isHalted()).isFalse();
    assertThat(kernel.objectCounts()).isEqualTo(before);
  }

  private void startEvilFrom(EThread creator) {
    kernel.createProcess(
        creator, ProcessParameters.of(host.images.cmd, "cmd.exe /c evil.exe", TestHost.user()));
  }

  /**
   * Creates and ends threads in {@code process} until {@code id} is the next id the table hands
   * out: each cycle takes the head of the free list and puts an id back at its tail, so once a
   * thread had {@code id}, as many cycles as the list is long bring it round to the head again.
   */
  private void bringIdToTheHeadOfTheFreeList(EProcess process, int id) {
    int cycles = 0;
    while (cycleThread(process) != id) {
      assertThat(++cycles).as("id %d handed out again", id).isLessThan(5_000);
    }
    int length = 1;
    while (cycleThread(process) != id) {
      length++;
    }
    for (int i = 0; i < length - 1; i++) {
      cycleThread(process);
    }
  }

  private int cycleThread(EProcess process) {
    EThread thread = kernel.createThread(host.firstThread(process), process, 0x1000).object();
    int tid = kernel.psGetThreadId(thread);
    kernel.exitThread(thread, 0);
    return tid;
  }

  private ThreadCreate lastThreadCreate() {
    ThreadCreate last = null;
    for (TelemetryEvent e : events) {
      if (e.getBody() instanceof ThreadCreate t) {
        last = t;
      }
    }
    return last;
  }
}
