package io.psfleet.agent.cli;

import io.psfleet.agent.fleet.FleetConfig;
import io.psfleet.agent.kernel.BootParameters;
import io.psfleet.agent.kernel.BugCheckException;
import io.psfleet.agent.kernel.DriverObject;
import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.EThread;
import io.psfleet.agent.kernel.ImageCatalog;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.Irql;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.KernelObjectCounts;
import io.psfleet.agent.kernel.NtStatus;
import io.psfleet.agent.kernel.ProcessToken;
import io.psfleet.agent.sensor.FileHashCache;
import io.psfleet.agent.sensor.SensorConfig;
import io.psfleet.agent.sensor.SensorDriver;
import io.psfleet.agent.workload.Account;
import io.psfleet.agent.workload.HostProfile;
import io.psfleet.agent.workload.HostWorkload;
import io.psfleet.agent.workload.ModuleSet;
import io.psfleet.agent.workload.Programs;
import io.psfleet.agent.workload.WindowsImages;
import io.psfleet.commandline.Commands;
import io.psfleet.commandline.UsageException;
import io.psfleet.schema.ImageLoad;
import io.psfleet.schema.TelemetryEvent;
import io.psfleet.schema.ThreadCreate;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Shows the Ps notification core at work on a few hosts: each boots Windows with the sensor loaded,
 * a user runs a couple of programs, one host suffers a classic DLL injection, and one runs a
 * third-party driver that calls a lookup at DISPATCH_LEVEL and bug checks; the others go on.
 */
@Command(
    name = "core-demo",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    showDefaultValues = true,
    description = {
      "Boots a few simulated Windows hosts with the psfleet sensor loaded and prints every event"
          + " the sensor emits, then a summary per host.",
      "Host 2 gets a classic DLL injection (remote thread at kernel32!LoadLibraryW, unsigned DLL"
          + " from %TEMP%); host 3 loads a buggy third-party driver and bug checks (0xA) while the"
          + " others keep running."
    })
public final class CoreDemoCommand implements Callable<Integer> {
  private static final long DAY_START =
      FleetConfig.Builder.DEFAULT_START.toEpochMilli() * 1_000_000L;

  private final PrintStream out;

  @Option(names = "--hosts", paramLabel = "N", description = "number of hosts to simulate (1-100)")
  int hosts = 3;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "seed for image bases and timings; the same seed prints the same run")
  long seed = 1;

  @Option(names = "--all-events", description = "print every event, signed image loads included")
  boolean allEvents;

  @Option(names = "--quiet", description = "print only the summary, not each event")
  boolean quiet;

  public CoreDemoCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    if (hosts < 1 || hosts > 100) {
      throw new UsageException("--hosts must be between 1 and 100, got " + hosts);
    }
    WindowsImages images = new WindowsImages(new ImageCatalog());
    Programs programs = new Programs(images);
    ImageFile buggySys =
        images.file(
            WindowsImages.SYSTEM32 + "drivers\\acmefilter.sys",
            70_000,
            "ACME Filters Ltd",
            true,
            List.of());
    ImageFile invoice = images.file("C:\\Users\\alice\\Downloads\\invoice.exe", 310_000, null);
    ImageFile evilDll =
        images.file("C:\\Users\\alice\\AppData\\Local\\Temp\\msupd.dll", 95_000, null);
    FileHashCache hashes = new FileHashCache();
    Random random = new Random(seed);
    List<String> summary = new ArrayList<>();

    for (int h = 1; h <= hosts; h++) {
      String hostId = String.format("host-%04d", h);
      long bootTime = DAY_START + h * 1_000_000_000L;
      Kernel kernel =
          new Kernel(
              new BootParameters(random.nextLong(), bootTime, images.ntoskrnl, images.ntdll));
      List<TelemetryEvent> events = new ArrayList<>();
      SensorDriver sensor =
          new SensorDriver(
              SensorConfig.of(hostId, random.nextLong() & Long.MAX_VALUE, hashes),
              event -> {
                events.add(event);
                if (!quiet && (allEvents || isNotable(event))) {
                  out.println(EventText.line(event, bootTime));
                }
              });
      String outcome;
      try {
        KernelObjectCounts atBoot = kernel.objectCounts();
        DriverObject sensorObject =
            kernel.ioLoadDriver(images.sensorDriver, true, sensor::driverEntry).driver();
        if (h == 3) {
          loadBuggyDriver(kernel, buggySys);
        }
        HostWorkload host =
            new HostWorkload(
                kernel,
                images,
                programs,
                programs.profile(HostProfile.Kind.WORKSTATION),
                "alice",
                random.nextLong());
        host.boot();
        ProcessToken alice = host.token(Account.USER);
        EThread explorer = host.mainThread(host.explorer());
        List<ModuleSet> console = List.of(images.core);
        EProcess cmd = host.start(explorer, images.cmd, "cmd.exe /c whoami", alice, null, console);
        kernel.terminateProcess(cmd, 0);
        EProcess notepad =
            host.start(
                explorer,
                images.notepad,
                "notepad.exe report.txt",
                alice,
                null,
                List.of(images.core, images.gui));
        if (h == 2) {
          EProcess injector =
              host.start(
                  explorer,
                  invoice,
                  "\"C:\\Users\\alice\\Downloads\\invoice.exe\"",
                  alice,
                  null,
                  console);
          kernel.advanceClockTo(kernel.now() + 2_000_000_000L);
          host.remoteThreadThenExit(
              host.mainThread(injector),
              notepad,
              kernel.exportAddress(images.kernel32, "LoadLibraryW"),
              evilDll);
          kernel.terminateProcess(injector, 0);
        }
        if (h == 3) {
          host.start(
              explorer, images.powershell, "powershell.exe -NoProfile", alice, null, console);
        }
        for (EProcess process : kernel.processes()) {
          if (process != kernel.systemProcess() && kernel.isRunning(process)) {
            kernel.terminateProcess(process, 0);
          }
        }
        NtStatus unload = kernel.ioUnloadDriver(sensorObject);
        KernelObjectCounts left = kernel.objectCounts();
        outcome =
            String.format(
                "shut down cleanly (sensor unload %s, %d zombies, %d leaked references)",
                unload,
                left.zombieProcesses() + left.zombieThreads(),
                left.references() - atBoot.references());
      } catch (BugCheckException e) {
        outcome = "HALTED: " + e.bugCheck();
      }
      long remote =
          events.stream()
              .filter(e -> e.getBody() instanceof ThreadCreate t && t.getRemoteThread())
              .count();
      summary.add(
          String.format(
              "%s  %5d events  %2d remote threads  %s", hostId, events.size(), remote, outcome));
      if (!quiet) {
        out.println();
      }
    }
    out.println("Summary (" + hosts + " hosts, seed " + seed + "):");
    summary.forEach(line -> out.println("  " + line));
    return 0;
  }

  /** Process and thread events, and image loads that are not signed: the story worth reading. */
  private static boolean isNotable(TelemetryEvent event) {
    return !(event.getBody() instanceof ImageLoad load) || !load.getSigned();
  }

  /**
   * A driver whose process callback looks a process up at DISPATCH_LEVEL: IRQL_NOT_LESS_OR_EQUAL.
   */
  private static void loadBuggyDriver(Kernel kernel, ImageFile image) {
    kernel.ioLoadDriver(
        image,
        true,
        (k, driver) ->
            k.psSetCreateProcessNotifyRoutineEx(
                driver,
                (process, pid, info) -> {
                  if (info != null && info.imageFileName().endsWith("powershell.exe")) {
                    Irql old = k.keRaiseIrql(Irql.DISPATCH_LEVEL); // holding a spin lock
                    k.psLookupProcessByProcessId(info.parentProcessId());
                    k.keLowerIrql(old);
                  }
                },
                false));
  }
}
