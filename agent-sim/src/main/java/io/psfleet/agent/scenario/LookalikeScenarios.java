package io.psfleet.agent.scenario;

import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.EThread;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.workload.Account;
import io.psfleet.agent.workload.HostProfile;
import io.psfleet.agent.workload.HostWorkload;
import io.psfleet.agent.workload.Programs;
import io.psfleet.agent.workload.RunningProcess;
import io.psfleet.agent.workload.WindowsImages;
import java.util.List;

/**
 * Benign behaviour that looks like an attack to a naive rule (../shared/WINDOWS.md): none may alert
 * under default settings.
 */
final class LookalikeScenarios {
  private LookalikeScenarios() {}

  static List<Scenario> all(WindowsImages images, Programs programs, ScenarioFiles files) {
    return List.of(
        new DebuggerAttach(images, programs),
        new SecurityProductInjection(images, programs),
        new ConsoleControl(images, programs),
        new SignedModuleInSystemProcess(images),
        new AdminPowershell(programs),
        new UacElevation(programs),
        new AppLocalSystemDllName(images, files),
        new OfficePrinting(programs));
  }

  private static EProcess targetApp(HostWorkload w) {
    RunningProcess app =
        w.randomApp(a -> a.program().account() == Account.USER && !a.program().livesWithParent());
    return app != null ? app.process() : w.explorer();
  }

  /** A debugger attaches: remote thread at ntdll!DbgUiRemoteBreakin, no module follows. */
  static final class DebuggerAttach extends BaseScenario {
    private final WindowsImages images;
    private final Programs programs;

    DebuggerAttach(WindowsImages images, Programs programs) {
      super(
          "debugger-attach",
          "T1055.001",
          false,
          "vsjitdebugger breaks into a program with a remote thread at ntdll!DbgUiRemoteBreakin");
      this.images = images;
      this.programs = programs;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      EProcess target = targetApp(w);
      long started = host.lastSequence();
      RunningProcess debugger = w.launch(programs.debugger, w.explorer());
      if (debugger == null) {
        return;
      }
      List<Long> sequences = new java.util.ArrayList<>(since(host, started));
      w.scheduleIn(
          1 + w.random().nextDouble() * 3,
          () -> {
            Kernel k = w.kernel();
            if (!k.isRunning(target) || !k.isRunning(debugger.process())) {
              return;
            }
            long before = host.lastSequence();
            EThread thread =
                w.remoteThreadThenExit(
                    w.mainThread(debugger.process()),
                    target,
                    k.exportAddress(images.ntdll, "DbgUiRemoteBreakin"),
                    null);
            if (thread != null) {
              sequences.addAll(since(host, before));
              record(host, scenarioId, List.of(debugger.process(), target), sequences);
            }
          });
    }
  }

  /** The EDR agent maps its signed hook DLL from Program Files through a LoadLibraryW thread. */
  static final class SecurityProductInjection extends BaseScenario {
    private final WindowsImages images;
    private final Programs programs;

    SecurityProductInjection(WindowsImages images, Programs programs) {
      super(
          "security-product-injection",
          "T1055.001",
          false,
          "EDR agent maps its signed hook DLL from Program Files through a LoadLibraryW remote thread");
      this.images = images;
      this.programs = programs;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      EProcess agent = w.bootService(programs.edrAgent);
      EProcess target = targetApp(w);
      if (agent == null) {
        return;
      }
      Kernel k = w.kernel();
      long before = host.lastSequence();
      EThread thread =
          w.remoteThreadThenExit(
              w.mainThread(agent),
              target,
              k.exportAddress(images.kernel32, "LoadLibraryW"),
              images.edrHookDll);
      if (thread != null) {
        record(host, scenarioId, List.of(agent, target), since(host, before));
      }
    }
  }

  /** Ctrl+C in a console: csrss starts kernelbase!CtrlRoutine in cmd. */
  static final class ConsoleControl extends BaseScenario {
    private final WindowsImages images;
    private final Programs programs;

    ConsoleControl(WindowsImages images, Programs programs) {
      super(
          "console-control",
          "T1055",
          false,
          "csrss creates a thread at kernelbase!CtrlRoutine in a console program");
      this.images = images;
      this.programs = programs;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      long started = host.lastSequence();
      RunningProcess console = w.launch(programs.cmdInteractive, w.explorer());
      if (console == null) {
        return;
      }
      List<Long> sequences = new java.util.ArrayList<>(since(host, started));
      w.scheduleIn(
          1 + w.random().nextDouble() * 5,
          () -> {
            Kernel k = w.kernel();
            if (!k.isRunning(console.process())) {
              return;
            }
            long before = host.lastSequence();
            EThread thread =
                w.remoteThreadThenExit(
                    w.mainThread(w.csrssSession1()),
                    console.process(),
                    k.exportAddress(images.kernelbase, "CtrlRoutine"),
                    null);
            if (thread != null) {
              sequences.addAll(since(host, before));
              record(host, scenarioId, List.of(w.csrssSession1(), console.process()), sequences);
            }
          });
    }
  }

  /** winlogon loads a credential provider signed by its vendor, from Program Files. */
  static final class SignedModuleInSystemProcess extends BaseScenario {
    private final WindowsImages images;

    SignedModuleInSystemProcess(WindowsImages images) {
      super(
          "signed-module-in-system-process",
          "T1547.005",
          false,
          "winlogon loads a vendor-signed credential provider from Program Files");
      this.images = images;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      long before = host.lastSequence();
      load(host, w.winlogon(), images.credentialProvider);
      record(host, scenarioId, List.of(w.winlogon()), since(host, before));
    }
  }

  /** An administrator opens PowerShell from the Start menu. */
  static final class AdminPowershell extends BaseScenario {
    private final Programs programs;

    AdminPowershell(Programs programs) {
      super("admin-powershell", "T1059.001", false, "a user starts PowerShell from explorer");
      this.programs = programs;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      long before = host.lastSequence();
      RunningProcess powershell = w.launch(programs.powershellUser, w.explorer());
      if (powershell != null) {
        record(host, scenarioId, List.of(powershell.process(), w.explorer()), since(host, before));
      }
    }
  }

  /** UAC: consent.exe, then Appinfo creates the elevated program with explorer as parent. */
  static final class UacElevation extends BaseScenario {
    private final Programs programs;

    UacElevation(Programs programs) {
      super(
          "uac-elevation",
          "T1134.004",
          false,
          "the Appinfo service creates an elevated cmd with explorer as its reported parent");
      this.programs = programs;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      EProcess appinfo = w.appinfoService();
      long started = host.lastSequence();
      RunningProcess consent = w.launch(programs.consent, appinfo);
      List<Long> sequences = new java.util.ArrayList<>(since(host, started));
      w.scheduleIn(
          2 + w.random().nextDouble() * 3,
          () -> {
            long before = host.lastSequence();
            RunningProcess elevated =
                w.launch(
                    programs.cmdAdmin, w.mainThread(appinfo), w.explorer(), w.token(Account.ADMIN));
            if (elevated != null) {
              sequences.addAll(since(host, before));
              List<EProcess> processes =
                  consent == null
                      ? List.of(elevated.process(), appinfo, w.explorer())
                      : List.of(elevated.process(), appinfo, w.explorer(), consent.process());
              record(host, scenarioId, processes, sequences);
            }
          });
    }
  }

  /** Notepad++ loads the signed dbghelp.dll it ships in its Program Files folder. */
  static final class AppLocalSystemDllName extends BaseScenario {
    private final WindowsImages images;
    private final ScenarioFiles files;

    AppLocalSystemDllName(WindowsImages images, ScenarioFiles files) {
      super(
          "app-local-system-dll-name",
          "T1574.002",
          false,
          "Notepad++ loads the signed dbghelp.dll from its own Program Files folder");
      this.images = images;
      this.files = files;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      long before = host.lastSequence();
      EProcess npp =
          startFrom(
              host,
              w.explorer(),
              null,
              files.notepadPlusPlus,
              quoted(files.notepadPlusPlus),
              List.of(images.core, images.gui),
              null);
      if (npp == null) {
        return;
      }
      load(host, npp, images.appLocalDbghelp);
      record(host, scenarioId, List.of(npp), since(host, before));
      endLater(w, npp, 120);
    }
  }

  /** Word prints: it starts splwow64, an Office child that is not a script host or LOLBin. */
  static final class OfficePrinting extends BaseScenario {
    private final Programs programs;

    OfficePrinting(Programs programs) {
      super("office-printing", "T1204.002", false, "winword starts splwow64 to print");
      this.programs = programs;
    }

    @Override
    public boolean runsOn(HostProfile.Kind kind) {
      return kind == HostProfile.Kind.WORKSTATION;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      long started = host.lastSequence();
      RunningProcess word = w.launch(programs.winword, w.explorer());
      if (word == null) {
        return;
      }
      List<Long> sequences = new java.util.ArrayList<>(since(host, started));
      w.scheduleIn(
          3,
          () -> {
            long before = host.lastSequence();
            RunningProcess printer = w.launch(programs.splwow64, word.process());
            if (printer != null) {
              sequences.addAll(since(host, before));
              record(host, scenarioId, List.of(word.process(), printer.process()), sequences);
            }
          });
    }
  }
}
