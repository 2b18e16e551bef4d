package io.psfleet.agent.scenario;

import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.EThread;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.workload.Account;
import io.psfleet.agent.workload.HostProfile;
import io.psfleet.agent.workload.HostWorkload;
import io.psfleet.agent.workload.Programs;
import io.psfleet.agent.workload.RunningProcess;
import io.psfleet.agent.workload.WindowsImages;
import java.util.ArrayList;
import java.util.List;

/** The attacks of the simulator: each must raise an alert. */
final class AttackScenarios {
  private AttackScenarios() {}

  static List<Scenario> all(WindowsImages images, Programs programs, ScenarioFiles files) {
    return List.of(
        new DllInjection(images, files),
        new SensitiveProcessModule(images, files),
        new OfficeMacroChain(images, programs, files),
        new PpidSpoofing(images, files),
        new DllSideloading(images, files),
        new FleetCampaign(images, files));
  }

  /**
   * T1055.001: a dropper from Downloads starts a thread in a running program at
   * kernel32!LoadLibraryW, and that thread maps a DLL from the user's %TEMP%.
   */
  static final class DllInjection extends BaseScenario {
    private final WindowsImages images;
    private final ScenarioFiles files;

    DllInjection(WindowsImages images, ScenarioFiles files) {
      super(
          "dll-injection",
          "T1055.001",
          true,
          "dropper creates a remote thread at kernel32!LoadLibraryW that maps an unsigned DLL from %TEMP%");
      this.images = images;
      this.files = files;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      ImageFile dropper = files.injector(w.userName());
      long started = host.lastSequence();
      EProcess injector =
          startFrom(
              host,
              w.explorer(),
              null,
              dropper,
              quoted(dropper),
              List.of(images.core, images.network),
              null);
      if (injector == null) {
        return;
      }
      List<Long> sequences = new ArrayList<>(since(host, started));
      RunningProcess app =
          w.randomApp(a -> a.program().account() == Account.USER && !a.program().livesWithParent());
      EProcess preferred = app != null ? app.process() : w.explorer();
      w.scheduleIn(
          2 + w.random().nextDouble() * 8,
          () -> {
            Kernel k = w.kernel();
            EProcess target = k.isRunning(preferred) ? preferred : w.explorer();
            if (!k.isRunning(injector) || !k.isRunning(target)) {
              return;
            }
            long before = host.lastSequence();
            EThread thread =
                k.createThread(
                        w.mainThread(injector),
                        target,
                        k.exportAddress(images.kernel32, "LoadLibraryW"))
                    .object();
            k.advanceClockTo(k.now() + 4_000_000);
            k.mapImage(thread, files.injectedDll(w.userName()));
            k.exitThread(thread, 0);
            sequences.addAll(since(host, before));
            record(host, scenarioId, List.of(injector, target), sequences);
            endLater(w, injector, 1 + w.random().nextDouble() * 3);
          });
    }
  }

  /**
   * T1547.005: an elevated PowerShell registers a security package, and lsass (or winlogon, or
   * services) maps an unsigned DLL from an unusual folder.
   */
  static final class SensitiveProcessModule extends BaseScenario {
    private final WindowsImages images;
    private final ScenarioFiles files;

    SensitiveProcessModule(WindowsImages images, ScenarioFiles files) {
      super(
          "sensitive-process-module",
          "T1547.005",
          true,
          "unsigned DLL from ProgramData or Windows\\Temp mapped into lsass, winlogon or services");
      this.images = images;
      this.files = files;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      long started = host.lastSequence();
      // Elevated, so through UAC: Appinfo creates it with explorer as the reported parent.
      EProcess attacker =
          w.start(
              w.mainThread(w.appinfoService()),
              images.powershell,
              "powershell.exe -ep bypass -c \"reg add HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa /v 'Security Packages' /t REG_MULTI_SZ /d mscryptssp /f\"",
              w.token(Account.ADMIN),
              w.explorer(),
              List.of(images.core, images.network, images.dotnet));
      if (attacker == null) {
        return;
      }
      List<Long> sequences = new ArrayList<>(since(host, started));
      w.scheduleIn(
          3 + w.random().nextDouble() * 7,
          () -> {
            double pick = w.random().nextDouble();
            EProcess target = pick < 0.7 ? w.lsass() : pick < 0.85 ? w.winlogon() : w.services();
            ImageFile dll = w.random().nextBoolean() ? files.sspDll : files.tempSspDll;
            long before = host.lastSequence();
            load(host, target, dll);
            sequences.addAll(since(host, before));
            record(host, scenarioId, List.of(target, attacker), sequences);
            endLater(w, attacker, 2);
          });
    }
  }

  /**
   * T1204.002: an Office document's macro starts PowerShell (sometimes through cmd), which starts
   * rundll32 on a DLL in a user-writable folder.
   */
  static final class OfficeMacroChain extends BaseScenario {
    private final WindowsImages images;
    private final Programs programs;
    private final ScenarioFiles files;

    OfficeMacroChain(WindowsImages images, Programs programs, ScenarioFiles files) {
      super(
          "office-macro-chain",
          "T1204.002",
          true,
          "winword or excel -> (cmd ->) powershell -enc -> rundll32 on a DLL in C:\\Users\\Public");
      this.images = images;
      this.programs = programs;
      this.files = files;
    }

    @Override
    public boolean runsOn(HostProfile.Kind kind) {
      return kind == HostProfile.Kind.WORKSTATION;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      RunningProcess office =
          w.randomApp(a -> a.program() == programs.winword || a.program() == programs.excel);
      if (office == null) {
        office = w.launch(programs.winword, w.explorer());
      }
      if (office == null) {
        return;
      }
      EProcess document = office.process();
      w.scheduleIn(
          5 + w.random().nextDouble() * 25,
          () -> {
            if (!w.kernel().isRunning(document)) {
              return;
            }
            List<EProcess> chain = new ArrayList<>(List.of(document));
            List<Long> sequences = new ArrayList<>();
            long[] created = new long[1];
            long before = host.lastSequence();
            EProcess shellParent = document;
            if (w.random().nextDouble() < 0.4) {
              shellParent =
                  startFrom(
                      host,
                      document,
                      null,
                      images.cmd,
                      "cmd.exe /c powershell -nop -w hidden -enc JABjAD0AbgBlAHcA",
                      List.of(images.core),
                      created);
              chain.add(shellParent);
            }
            EProcess powershell =
                startFrom(
                    host,
                    shellParent,
                    null,
                    images.powershell,
                    "powershell.exe -nop -w hidden -enc JABjAD0AbgBlAHcALQBvAGIAagBlAGMAdAAgAE4AZQB0AC4AVwBlAGIAQwBsAGkAZQBuAHQA",
                    List.of(images.core, images.network, images.dotnet),
                    created);
            chain.add(powershell);
            sequences.addAll(since(host, before));
            w.scheduleIn(
                2 + w.random().nextDouble() * 3,
                () -> {
                  long step = host.lastSequence();
                  EProcess rundll32 =
                      startFrom(
                          host,
                          powershell,
                          null,
                          images.lolbins.get(0),
                          "rundll32.exe " + files.macroPayloadDll.path() + ",DllRegisterServer",
                          List.of(images.core),
                          created);
                  chain.add(rundll32);
                  load(host, rundll32, files.macroPayloadDll);
                  sequences.addAll(since(host, step));
                  record(host, scenarioId, chain, sequences);
                  for (int i = 1; i < chain.size(); i++) {
                    endLater(w, chain.get(i), 5 + i);
                  }
                });
          });
    }
  }

  /**
   * T1134.004: malware from Downloads starts a shell with explorer (or winlogon) named as its
   * parent through PROC_THREAD_ATTRIBUTE_PARENT_PROCESS; the creator stays visible to the kernel.
   */
  static final class PpidSpoofing extends BaseScenario {
    private final WindowsImages images;
    private final ScenarioFiles files;

    PpidSpoofing(WindowsImages images, ScenarioFiles files) {
      super(
          "ppid-spoofing",
          "T1134.004",
          true,
          "unsigned program starts cmd or powershell with another process named as parent");
      this.images = images;
      this.files = files;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      ImageFile malware = files.spoofer(w.userName());
      long started = host.lastSequence();
      EProcess spoofer =
          startFrom(
              host,
              w.explorer(),
              null,
              malware,
              quoted(malware),
              List.of(images.core, images.network),
              null);
      if (spoofer == null) {
        return;
      }
      List<Long> sequences = new ArrayList<>(since(host, started));
      w.scheduleIn(
          2 + w.random().nextDouble() * 4,
          () -> {
            EProcess fakeParent = w.random().nextDouble() < 0.7 ? w.explorer() : w.winlogon();
            boolean shell = w.random().nextBoolean();
            long[] created = new long[1];
            long before = host.lastSequence();
            EProcess child =
                startFrom(
                    host,
                    spoofer,
                    fakeParent,
                    shell ? images.cmd : images.powershell,
                    shell ? "cmd.exe /c whoami /all" : "powershell.exe -nop -c Get-LocalUser",
                    List.of(images.core),
                    created);
            if (child == null) {
              return;
            }
            sequences.addAll(since(host, before));
            record(host, scenarioId, List.of(child, spoofer, fakeParent), sequences);
            endLater(w, child, 3);
            endLater(w, spoofer, 5);
          });
    }
  }

  /**
   * T1574.002: a signed Microsoft program copied into C:\Users\Public loads version.dll from its
   * own folder instead of System32.
   */
  static final class DllSideloading extends BaseScenario {
    private final WindowsImages images;
    private final ScenarioFiles files;

    DllSideloading(WindowsImages images, ScenarioFiles files) {
      super(
          "dll-sideloading",
          "T1574.002",
          true,
          "signed OneDriveStandaloneUpdater.exe in C:\\Users\\Public loads version.dll from its own folder");
      this.images = images;
      this.files = files;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      long before = host.lastSequence();
      EProcess updater =
          startFrom(
              host,
              w.explorer(),
              null,
              files.sideloadHost,
              quoted(files.sideloadHost),
              List.of(images.core),
              null);
      if (updater == null) {
        return;
      }
      load(host, updater, files.sideloadDll);
      record(host, scenarioId, List.of(updater), since(host, before));
      endLater(w, updater, 10 + w.random().nextDouble() * 50);
    }
  }

  /**
   * T1570: one host's part of a fleet campaign: the Task Scheduler starts rundll32 on the same
   * unsigned DLL (same hash) that the campaign's other hosts load within minutes. Each campaign
   * drops its own DLL ({@link ScenarioFiles#campaignDll(String)}).
   */
  static final class FleetCampaign extends BaseScenario {
    private final WindowsImages images;
    private final ScenarioFiles files;

    FleetCampaign(WindowsImages images, ScenarioFiles files) {
      super(
          "fleet-campaign",
          "T1570",
          true,
          "the same rare unsigned DLL loaded through rundll32 on many hosts within minutes");
      this.images = images;
      this.files = files;
    }

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      HostWorkload w = host.workload();
      long[] created = new long[1];
      long before = host.lastSequence();
      ImageFile dll = files.campaignDll(scenarioId);
      EProcess rundll32 =
          startFrom(
              host,
              w.taskScheduler(),
              null,
              images.lolbins.get(0),
              "rundll32.exe \"" + dll.path() + "\",Start",
              List.of(images.core, images.network),
              created);
      if (rundll32 == null) {
        return;
      }
      load(host, rundll32, dll);
      record(host, scenarioId, List.of(rundll32), since(host, before));
      endLater(w, rundll32, 30);
    }
  }
}
