package io.psfleet.agent.workload;

import io.psfleet.agent.kernel.Created;
import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.EThread;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.NtStatus;
import io.psfleet.agent.kernel.ProcessParameters;
import io.psfleet.agent.kernel.ProcessToken;
import java.util.ArrayList;
import java.util.List;

/**
 * Boots Windows 10/11 user mode the way ../shared/WINDOWS.md describes it: System starts smss,
 * whose per-session copies start csrss with wininit (session 0) or winlogon (session 1) and exit,
 * so those processes' parents are gone; wininit starts services and lsass; services starts the
 * svchost groups; winlogon starts userinit, which starts explorer and exits.
 */
public final class WindowsBoot {
  /** The processes later activity needs, once the host is up. */
  public record BootedHost(
      EProcess services,
      EProcess lsass,
      EProcess winlogon,
      EProcess explorer,
      List<EProcess> csrss,
      List<EProcess> svchosts) {}

  private static final long STEP_NANOS = 40_000_000L;
  private static final String[][] SVCHOST_GROUPS = {
    {"DcomLaunch", "DcomLaunch"},
    {"RPCSS", "RpcSs"},
    {"LocalServiceNetworkRestricted", "Dhcp"},
    {"netsvcs", "Schedule"},
    {"netsvcs", "Appinfo"},
    {"NetworkService", "Dnscache"},
    {"LocalSystemNetworkRestricted", "SysMain"}
  };

  private final Kernel kernel;
  private final WindowsImages images;

  public WindowsBoot(Kernel kernel, WindowsImages images) {
    this.kernel = kernel;
    this.images = images;
  }

  /** Runs the boot, advancing the host clock a few tens of milliseconds per process. */
  public BootedHost boot(ProcessToken interactiveUser) {
    ProcessToken system = ProcessToken.SYSTEM;
    EProcess smss =
        start(kernel.systemThread(), images.smss, "\\SystemRoot\\System32\\smss.exe", system);

    EProcess smss0 =
        start(smss, images.smss, "\\SystemRoot\\System32\\smss.exe 000000b0 00000084", system);
    List<EProcess> csrss = new ArrayList<>();
    csrss.add(start(smss0, images.csrss, csrssCommandLine(), system));
    EProcess wininit = start(smss0, images.wininit, "wininit.exe", system);
    exit(smss0);

    ProcessToken session1System = new ProcessToken(system.user(), system.integrityLevel(), 1);
    EProcess smss1 =
        start(smss, images.smss, "\\SystemRoot\\System32\\smss.exe 000000c4 00000084", system);
    csrss.add(start(smss1, images.csrss, csrssCommandLine(), session1System));
    EProcess winlogon = start(smss1, images.winlogon, "winlogon.exe", session1System);
    exit(smss1);

    EProcess services =
        start(wininit, images.services, "C:\\Windows\\system32\\services.exe", system);
    EProcess lsass = start(wininit, images.lsass, "C:\\Windows\\system32\\lsass.exe", system);
    List<EProcess> svchosts = new ArrayList<>();
    for (String[] group : SVCHOST_GROUPS) {
      svchosts.add(
          start(
              services,
              images.svchost,
              "C:\\Windows\\system32\\svchost.exe -k " + group[0] + " -p -s " + group[1],
              system));
    }

    EProcess userinit =
        start(winlogon, images.userinit, "C:\\Windows\\system32\\userinit.exe", interactiveUser);
    EProcess explorer =
        start(userinit, images.explorer, "C:\\Windows\\Explorer.EXE", interactiveUser);
    exit(userinit);
    return new BootedHost(services, lsass, winlogon, explorer, csrss, svchosts);
  }

  /** Starts {@code image} from the first thread of {@code parent} and maps its usual modules. */
  public EProcess start(EProcess parent, ImageFile image, String commandLine, ProcessToken token) {
    return start(kernel.threadsOf(parent).get(0), image, commandLine, token);
  }

  private EProcess start(EThread creator, ImageFile image, String commandLine, ProcessToken token) {
    kernel.advanceClockTo(kernel.now() + STEP_NANOS);
    Created<EProcess> created =
        kernel.createProcess(creator, ProcessParameters.of(image, commandLine, token));
    if (!created.succeeded()) {
      throw new IllegalStateException(
          "boot could not start " + image + ": " + NtStatus.describe(created.status()));
    }
    EProcess process = created.object();
    EThread main = kernel.threadsOf(process).get(0);
    kernel.mapImage(main, images.kernel32);
    kernel.mapImage(main, images.kernelbase);
    return process;
  }

  private void exit(EProcess process) {
    kernel.advanceClockTo(kernel.now() + STEP_NANOS);
    kernel.terminateProcess(process, 0);
  }

  private static String csrssCommandLine() {
    return "%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768"
        + " Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3"
        + " ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16";
  }
}
