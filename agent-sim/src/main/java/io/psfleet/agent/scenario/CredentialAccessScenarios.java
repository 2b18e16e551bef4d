package io.psfleet.agent.scenario;

import static io.psfleet.agent.kernel.ProcessAccessRights.PROCESS_ALL_ACCESS;
import static io.psfleet.agent.kernel.ProcessAccessRights.PROCESS_QUERY_INFORMATION;
import static io.psfleet.agent.kernel.ProcessAccessRights.PROCESS_QUERY_LIMITED_INFORMATION;
import static io.psfleet.agent.kernel.ProcessAccessRights.PROCESS_VM_READ;
import static io.psfleet.agent.scenario.TechniqueScenarios.after;
import static io.psfleet.agent.scenario.TechniqueScenarios.elevated;
import static io.psfleet.agent.scenario.TechniqueScenarios.now;

import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.ProcessToken;
import io.psfleet.agent.scenario.TechniqueScenarios.Chain;
import io.psfleet.agent.scenario.TechniqueScenarios.Step;
import io.psfleet.agent.workload.Account;
import io.psfleet.agent.workload.HostWorkload;
import io.psfleet.agent.workload.ModuleSet;
import io.psfleet.agent.workload.WindowsImages;
import java.util.List;

/**
 * LSASS memory access for credential dumping (T1003.001), as Sysmon's ProcessAccess shows it, with
 * the access masks the real tools request, and the benign programs that open lsass or dump a
 * process too. What tells them apart is the mask (PROCESS_VM_READ, 0x10, is what reading
 * credentials out of lsass needs), the target, and the call trace.
 */
final class CredentialAccessScenarios {
  /** Mimikatz's sekurlsa: PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ. */
  static final int SEKURLSA_ACCESS = PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ;

  /**
   * What MiniDumpWriteDump needs, PROCESS_QUERY_INFORMATION | PROCESS_VM_READ, which Windows grants
   * with the limited query right implied: 0x1410.
   */
  static final int MINIDUMP_ACCESS =
      PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_QUERY_INFORMATION | PROCESS_VM_READ;

  /** What an antivirus asks of lsass to scan it: its identity and basic information, no memory. */
  static final int SCAN_ACCESS = PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_QUERY_INFORMATION;

  private CredentialAccessScenarios() {}

  static List<Scenario> attacks(WindowsImages i, ScenarioFiles f) {
    List<ModuleSet> console = List.of(i.core);
    return List.of(
        new Chain(
            "lsass-mimikatz",
            "T1003.001",
            true,
            "elevated mimikatz sekurlsa::logonpasswords opens lsass for 0x1010") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(
                    () ->
                        (p[0] =
                                elevated(
                                    w,
                                    t,
                                    f.mimikatz,
                                    "mimikatz.exe \"privilege::debug\" \"sekurlsa::logonpasswords\""
                                        + " exit",
                                    console))
                            != null),
                after(2, () -> t.involve(w.lsass()).open(p[0], w.lsass(), SEKURLSA_ACCESS)));
          }
        },
        new Chain(
            "lsass-procdump",
            "T1003.001",
            true,
            "elevated ProcDump writes a full dump of lsass (0x1fffff, dbghelp on the stack)") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(
                    () ->
                        (p[0] =
                                elevated(
                                    w,
                                    t,
                                    f.procdump,
                                    "procdump64.exe -accepteula -ma lsass.exe"
                                        + " C:\\Windows\\Temp\\lsass.dmp",
                                    console))
                            != null),
                after(
                    1,
                    () -> {
                      t.load(p[0], f.dbghelp);
                      t.load(p[0], f.dbgcore);
                      return t.involve(w.lsass()).open(p[0], w.lsass(), PROCESS_ALL_ACCESS);
                    }));
          }
        });
  }

  static List<Scenario> lookalikes(WindowsImages i, ScenarioFiles f) {
    return List.of(
        new Chain(
            "av-scans-lsass",
            "T1003.001",
            false,
            "Defender's MsMpEng queries lsass (0x1000, then 0x1400) while it scans, no memory read") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(
                    () -> {
                      p[0] = w.bootService(w.programs().msMpEng);
                      if (p[0] == null) {
                        // A host whose profile runs no Defender: its service starts now.
                        p[0] =
                            t.involve(w.services())
                                .start(
                                    w.services(),
                                    null,
                                    i.msMpEng,
                                    "\"" + i.msMpEng.path() + "\"",
                                    ProcessToken.SYSTEM,
                                    List.of(i.core, i.defenderModules));
                      }
                      t.involve(p[0]).involve(w.lsass());
                      return t.open(p[0], w.lsass(), PROCESS_QUERY_LIMITED_INFORMATION);
                    }),
                after(1, () -> t.open(p[0], w.lsass(), SCAN_ACCESS)));
          }
        },
        new Chain(
            "taskmgr-lists-lsass",
            "T1003.001",
            false,
            "the user opens Task Manager, which queries every process, lsass too (0x1000)") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(
                    () ->
                        (p[0] =
                                t.involve(w.explorer())
                                    .start(
                                        w.explorer(),
                                        null,
                                        f.taskmgr,
                                        "\"C:\\Windows\\System32\\Taskmgr.exe\" /7",
                                        w.token(Account.USER),
                                        List.of(i.core, i.gui)))
                            != null),
                after(
                    1,
                    () ->
                        t.involve(w.lsass())
                            .open(p[0], w.lsass(), PROCESS_QUERY_LIMITED_INFORMATION)));
          }
        },
        new Chain(
            "werfault-dumps-crash",
            "T1003.001",
            false,
            "an application crashes and WerFault writes its dump (0x1fffff, dbghelp on the stack)") {
          @Override
          List<Step> steps(HostWorkload w, Trail t, EProcess[] p) {
            return List.of(
                now(
                    () ->
                        (p[0] =
                                t.involve(w.explorer())
                                    .start(
                                        w.explorer(),
                                        null,
                                        i.notepad,
                                        "\"C:\\Windows\\System32\\notepad.exe\"",
                                        w.token(Account.USER),
                                        List.of(i.core, i.gui)))
                            != null),
                after(
                    2,
                    () -> {
                      int pid = w.kernel().psGetProcessId(p[0]);
                      // WerFault starts in the crashing process's own context, as its child.
                      p[1] =
                          t.child(
                              p[0],
                              i.werFault,
                              "C:\\Windows\\system32\\WerFault.exe -u -p " + pid + " -s 412",
                              List.of(i.core));
                      t.load(p[1], f.dbghelp);
                      t.load(p[1], f.dbgcore);
                      return t.open(p[1], p[0], PROCESS_ALL_ACCESS);
                    }));
          }
        });
  }
}
