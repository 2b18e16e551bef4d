package io.psfleet.agent.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import io.psfleet.agent.kernel.Created;
import io.psfleet.agent.kernel.DriverObject;
import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.NtStatus;
import io.psfleet.agent.kernel.ProcessParameters;
import io.psfleet.agent.kernel.TestHost;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.ProcessCreate;
import io.psfleet.schema.ProcessExit;
import io.psfleet.schema.SignatureStatus;
import io.psfleet.schema.SigningLevel;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class SensorDriverTest {
  private final TestHost host = new TestHost();
  private final Kernel kernel = host.kernel;
  private final List<TelemetryEvent> events = new ArrayList<>();
  private final FileHashCache hashes = new FileHashCache();
  private ProcessPolicy policy = ProcessPolicy.ALLOW_ALL;
  private DriverObject sensorObject;

  private void loadSensor() {
    SensorDriver sensor =
        new SensorDriver(SensorConfig.of("host-1", 7, hashes).withPolicy(policy), events::add);
    sensorObject = host.loadDriver(true, sensor::driverEntry);
  }

  @Test
  void processCreateNamesReportedParentAndRealCreatorWithTheirKeys() {
    loadSensor();
    EProcess explorer = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    EProcess cmd = host.start(explorer, host.images.cmd, "cmd.exe /c whoami");

    ProcessCreate created = last(ProcessCreate.class);
    ProcessCreate explorerCreated = bodies(ProcessCreate.class).get(0);
    assertThat(created.getProcessId()).isEqualTo(kernel.psGetProcessId(cmd));
    assertThat(created.getImage()).isEqualTo(host.images.cmd.path());
    assertThat(created.getCommandLine()).isEqualTo("cmd.exe /c whoami");
    assertThat(created.getParentProcessGuid()).isEqualTo(explorerCreated.getProcessGuid());
    assertThat(created.getParentImage()).isEqualTo(host.images.explorer.path());
    assertThat(created.getParentCommandLine()).isEqualTo("explorer.exe");
    assertThat(created.getCreatorProcessGuid()).isEqualTo(explorerCreated.getProcessGuid());
    assertThat(created.getCreatorThreadId())
        .isEqualTo(kernel.psGetThreadId(host.firstThread(explorer)));
    assertThat(created.getUser()).isEqualTo("CORP\\alice");
    assertThat(created.getHashes().bytes()).isEqualTo(host.images.cmd.sha256());
    assertThat(created.getCreationStatus()).isZero();
  }

  @Test
  void spoofedParentIsReportedWhileTheCreatorStaysVisible() {
    loadSensor();
    EProcess explorer = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    EProcess malware = host.start(explorer, host.images.notepad, "payload.exe");

    host.start(
        host.firstThread(malware),
        ProcessParameters.of(host.images.cmd, "cmd.exe", TestHost.user()).withParent(explorer));

    ProcessCreate spoofed = last(ProcessCreate.class);
    assertThat(spoofed.getParentProcessId()).isEqualTo(kernel.psGetProcessId(explorer));
    assertThat(spoofed.getCreatorProcessId()).isEqualTo(kernel.psGetProcessId(malware));
    assertThat(spoofed.getParentProcessGuid()).isNotEqualTo(spoofed.getCreatorProcessGuid());
  }

  @Test
  void processesThatShareAPidGetDifferentKeys() {
    loadSensor();
    EProcess first = host.start(kernel.systemProcess(), host.images.notepad, "notepad.exe");
    int pid = kernel.psGetProcessId(first);
    kernel.advanceClockTo(kernel.now() + 1_000_000);
    kernel.terminateProcess(first, 0);
    long firstKey = bodies(ProcessCreate.class).get(0).getProcessGuid();
    EProcess second = null;
    for (int i = 0; i < 2000 && (second == null || kernel.psGetProcessId(second) != pid); i++) {
      if (second != null) {
        kernel.terminateProcess(second, 0);
      }
      second = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
    }

    assertThat(kernel.psGetProcessId(second)).isEqualTo(pid);
    List<ProcessCreate> sharing =
        bodies(ProcessCreate.class).stream().filter(c -> c.getProcessId() == pid).toList();
    assertThat(sharing).hasSize(2);
    assertThat(sharing.get(0).getProcessGuid()).isEqualTo(firstKey);
    assertThat(sharing.get(1).getProcessGuid()).isNotEqualTo(firstKey);
    assertThat(bodies(ProcessExit.class).get(0).getProcessGuid()).isEqualTo(firstKey);
  }

  @Test
  void remoteThreadAtLoadLibraryIsResolvedToModuleAndFunction() {
    loadSensor();
    EProcess injector = host.start(kernel.systemProcess(), host.images.notepad, "inject.exe");
    EProcess target = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    kernel.mapImage(host.firstThread(target), host.images.kernel32);

    kernel.createThread(
        host.firstThread(injector),
        target,
        kernel.exportAddress(host.images.kernel32, "LoadLibraryW"));

    ThreadCreate thread = last(ThreadCreate.class);
    assertThat(thread.getRemoteThread()).isTrue();
    assertThat(thread.getInitialThread()).isFalse();
    assertThat(thread.getSourceProcessId()).isEqualTo(kernel.psGetProcessId(injector));
    assertThat(thread.getTargetProcessId()).isEqualTo(kernel.psGetProcessId(target));
    assertThat(thread.getSourceImage()).isEqualTo(host.images.notepad.path());
    assertThat(thread.getTargetImage()).isEqualTo(host.images.explorer.path());
    assertThat(thread.getStartModule()).isEqualTo(host.images.kernel32.path());
    assertThat(thread.getStartFunction()).isEqualTo("LoadLibraryW");
  }

  @Test
  void remoteThreadOutsideEveryImageHasNoStartModule() {
    loadSensor();
    EProcess injector = host.start(kernel.systemProcess(), host.images.notepad, "inject.exe");
    EProcess target = host.start(kernel.systemProcess(), host.images.lsass, "lsass.exe");

    kernel.createThread(host.firstThread(injector), target, 0x1F0_0000_0000L);

    ThreadCreate thread = last(ThreadCreate.class);
    assertThat(thread.getRemoteThread()).isTrue();
    assertThat(thread.getStartModule()).isNull();
    assertThat(thread.getStartFunction()).isNull();
  }

  @Test
  void initialThreadOfANewProcessIsNotReportedAsRemote() {
    loadSensor();
    EProcess explorer = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    EProcess cmd = host.start(explorer, host.images.cmd, "cmd.exe");

    ThreadCreate initial = last(ThreadCreate.class);
    assertThat(initial.getTargetProcessId()).isEqualTo(kernel.psGetProcessId(cmd));
    assertThat(initial.getSourceProcessId()).isEqualTo(kernel.psGetProcessId(explorer));
    assertThat(initial.getInitialThread()).isTrue();
    assertThat(initial.getRemoteThread()).isFalse();
    assertThat(initial.getStartModule()).isEqualTo(host.images.cmd.path());
  }

  @Test
  void aRemoteThreadFromTheCreatingThreadIntoItsNewChildIsRemote() {
    // The thread that created the child is also the one that injects into it: only the thread's
    // own notification, not its creator, tells the initial thread from the injected one.
    loadSensor();
    EProcess explorer = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    EProcess cmd = host.start(explorer, host.images.cmd, "cmd.exe");

    kernel.createThread(
        host.firstThread(explorer),
        cmd,
        kernel.exportAddress(host.images.kernel32, "LoadLibraryW"));

    List<ThreadCreate> intoCmd =
        events.stream()
            .map(TelemetryEvent::getBody)
            .filter(
                b ->
                    b instanceof ThreadCreate t
                        && t.getTargetProcessId() == kernel.psGetProcessId(cmd))
            .map(ThreadCreate.class::cast)
            .toList();
    assertThat(intoCmd).extracting(ThreadCreate::getInitialThread).containsExactly(true, false);
    assertThat(intoCmd).extracting(ThreadCreate::getRemoteThread).containsExactly(false, true);
  }

  @Test
  void aSubsystemProcessThreadsAreNeverReportedAsRemoteThreads() {
    loadSensor();
    EProcess pico =
        host.start(
            kernel.systemThread(),
            new ProcessParameters(
                host.images.cmd, "init", TestHost.user(), null, true, true, null));
    kernel.createThread(host.firstThread(pico), pico, 0x1000);
    kernel.terminateProcess(pico, 0);

    assertThat(events).noneMatch(e -> e.getBody() instanceof ThreadCreate);
  }

  @Test
  void threadCreatedInsideItsOwnProcessIsLocal() {
    loadSensor();
    EProcess cmd = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");

    kernel.createThread(host.firstThread(cmd), cmd, kernel.imageBase(host.images.cmd) + 0x2000);

    ThreadCreate local = last(ThreadCreate.class);
    assertThat(local.getRemoteThread()).isFalse();
    assertThat(local.getInitialThread()).isFalse();
  }

  @Test
  void policyBlocksAProcessThatThenNeverRuns() {
    policy = (image, commandLine) -> commandLine != null && commandLine.contains("mimikatz");
    loadSensor();
    int idsBefore = kernel.clientIdsInUse();

    Created<EProcess> blocked =
        kernel.createProcess(
            kernel.systemThread(),
            ProcessParameters.of(host.images.cmd, "cmd.exe /c mimikatz.exe", TestHost.user()));

    assertThat(blocked.status()).isEqualTo(NtStatus.STATUS_ACCESS_DENIED.code());
    ProcessCreate attempt = last(ProcessCreate.class);
    assertThat(attempt.getCreationStatus()).isEqualTo(NtStatus.STATUS_ACCESS_DENIED.code());
    assertThat(events).hasSize(1);
    assertThat(bodies(ImageLoad.class))
        .noneMatch(load -> load.getProcessId() == attempt.getProcessId());
    assertThat(kernel.clientIdsInUse()).isEqualTo(idsBefore);
    assertThat(kernel.psLookupProcessByProcessId(attempt.getProcessId()).found()).isFalse();
  }

  @Test
  void imageLoadsReportSignatureAndHash() {
    loadSensor();
    ImageFile dropped =
        host.images.file(
            "C:\\Users\\alice\\AppData\\Local\\Temp\\x64.dll", 120_000, null, false, List.of());
    EProcess notepad = host.start(kernel.systemProcess(), host.images.notepad, "notepad.exe");

    kernel.mapImage(host.firstThread(notepad), host.images.kernel32);
    kernel.mapImage(host.firstThread(notepad), dropped);

    List<ImageLoad> loads = bodies(ImageLoad.class);
    ImageLoad system = loads.get(loads.size() - 2);
    ImageLoad unsigned = loads.get(loads.size() - 1);
    assertThat(system.getSigned()).isTrue();
    assertThat(system.getSignature()).isEqualTo("Microsoft Windows");
    assertThat(system.getSignatureStatus()).isEqualTo(SignatureStatus.VALID);
    assertThat(system.getImageSignatureLevel()).isEqualTo(SigningLevel.WINDOWS);
    assertThat(system.getImageBase()).isEqualTo(kernel.imageBase(host.images.kernel32));
    assertThat(unsigned.getImageLoaded()).isEqualTo(dropped.path());
    assertThat(unsigned.getSigned()).isFalse();
    assertThat(unsigned.getSignatureStatus()).isEqualTo(SignatureStatus.UNSIGNED);
    assertThat(unsigned.getImageSignatureLevel()).isEqualTo(SigningLevel.UNSIGNED);
    assertThat(unsigned.getHashes().bytes()).isEqualTo(dropped.sha256());
    assertThat(unsigned.getProcessGuid()).isEqualTo(last(ProcessCreate.class).getProcessGuid());
  }

  @Test
  void driverLoadedAfterTheSensorIsReportedAsProcessZero() {
    loadSensor();
    assertThat(events).as("the sensor's own image was mapped before its DriverEntry").isEmpty();

    host.emptyDriver(false);

    ImageLoad driver = last(ImageLoad.class);
    assertThat(driver.getProcessId()).isZero();
    assertThat(driver.getProcessGuid()).isNull();
    assertThat(driver.getImage()).isNull();
    assertThat(driver.getSystemModeImage()).isTrue();
    assertThat(driver.getImageLoaded()).isEqualTo(host.sensorSys.path());
  }

  @Test
  void sequenceNumbersStartAtOneAndHaveNoGap() {
    loadSensor();
    EProcess explorer = host.start(kernel.systemProcess(), host.images.explorer, "explorer.exe");
    host.start(explorer, host.images.cmd, "cmd.exe");
    kernel.terminateProcess(explorer, 0);

    assertThat(events)
        .extracting(e -> e.getHeader().getSequence())
        .containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(1, events.size()).boxed().toList());
    assertThat(events).allMatch(e -> e.getHeader().getHostId().equals("host-1"));
    assertThat(events).allMatch(e -> e.getHeader().getBootId() == 7);
  }

  @Test
  void unloadRemovesEveryRoutineCleanly() {
    loadSensor();
    assertThat(kernel.ioUnloadDriver(sensorObject)).isEqualTo(NtStatus.STATUS_SUCCESS);
    int before = events.size();

    EProcess after = host.start(kernel.systemProcess(), host.images.cmd, "cmd.exe");
    kernel.terminateProcess(after, 0);

    assertThat(kernel.isHalted()).isFalse();
    assertThat(events).hasSize(before);
  }

  @Test
  void driverEntryUndoesItsRegistrationsWhenOneFails() {
    DriverObject hog = host.emptyDriver(true);
    for (int i = 0; i < Kernel.MAX_NOTIFY_ROUTINES; i++) {
      kernel.psSetLoadImageNotifyRoutine(hog, (name, pid, info) -> {});
    }
    SensorDriver sensor = new SensorDriver(SensorConfig.of("host-1", 7, hashes), events::add);

    Kernel.DriverLoad load = kernel.ioLoadDriver(host.sensorSys, true, sensor::driverEntry);

    assertThat(load.status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(kernel.isHalted()).as("no routine left behind: no 0xCE").isFalse();
  }

  private <T> List<T> bodies(Class<T> type) {
    return events.stream()
        .map(TelemetryEvent::getBody)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  private <T> T last(Class<T> type) {
    List<T> all = bodies(type);
    return Objects.requireNonNull(all.isEmpty() ? null : all.get(all.size() - 1), type + " event");
  }
}
