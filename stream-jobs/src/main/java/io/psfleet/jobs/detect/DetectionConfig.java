package io.psfleet.jobs.detect;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every threshold, window and name list of the detections, checked once here. Names are compared
 * without regard to case: file names and paths are stored lowercase, export names too.
 *
 * @param injectionWindow how long after a remote thread a module load in its target still counts as
 *     the thread's doing (event time)
 * @param injectionMaxPendingThreads remote threads remembered per target process; older ones are
 *     dropped first, so a thread storm cannot grow state without bound
 * @param loadLibraryFunctions start functions of a LoadLibrary thread: a module such a thread loads
 *     alerts unless it is signed and lies in Program Files or a system directory
 * @param sensitiveProcesses file names of the processes whose modules rule 2 watches
 * @param parentSpoofBrokers full paths of executables that legitimately create processes on behalf
 *     of another (they name the requester as the parent): UAC's Appinfo, Secondary Logon (runas)
 *     and Windows Error Reporting all run inside System32's svchost.exe
 * @param scriptHosts file names of script hosts and LOLBins that rule 4 watches being started
 * @param lureApplications file names of Office applications and browsers: a script host below one
 *     of them, at any depth, alerts
 * @param hijackableDlls file names of system DLLs commonly planted next to a program (search-order
 *     hijack); KnownDLLs cannot be hijacked this way and do not belong here
 * @param fleetHosts distinct hosts that must load one candidate module (by hash) within {@code
 *     fleetWindow} to raise the fleet alert
 * @param fleetWindow the span of event time in which {@code fleetHosts} hosts must load the module
 * @param fleetCommonHosts a hash seen on this many hosts is common: host counting stops (state
 *     stays small) and it no longer raises fleet alerts
 * @param fleetRetention a hash not seen for this long is forgotten (prevalence and alert memory)
 */
public record DetectionConfig(
    Duration injectionWindow,
    int injectionMaxPendingThreads,
    Set<String> loadLibraryFunctions,
    Set<String> sensitiveProcesses,
    Set<String> parentSpoofBrokers,
    Set<String> scriptHosts,
    Set<String> lureApplications,
    Set<String> hijackableDlls,
    int fleetHosts,
    Duration fleetWindow,
    int fleetCommonHosts,
    Duration fleetRetention)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  public DetectionConfig {
    requirePositive(injectionWindow, "injectionWindow");
    require(injectionMaxPendingThreads >= 1, "injectionMaxPendingThreads must be at least 1");
    loadLibraryFunctions = names(loadLibraryFunctions, "loadLibraryFunctions");
    sensitiveProcesses = names(sensitiveProcesses, "sensitiveProcesses");
    parentSpoofBrokers = names(parentSpoofBrokers, "parentSpoofBrokers");
    for (String broker : parentSpoofBrokers) {
      require(
          broker.matches("[a-z]:\\\\.+"),
          "parentSpoofBrokers must be full paths such as C:\\Windows\\System32\\svchost.exe, got '"
              + broker
              + "'");
    }
    scriptHosts = names(scriptHosts, "scriptHosts");
    lureApplications = names(lureApplications, "lureApplications");
    hijackableDlls = names(hijackableDlls, "hijackableDlls");
    for (Set<String> fileNames : java.util.List.of(scriptHosts, lureApplications, hijackableDlls)) {
      for (String name : fileNames) {
        require(
            !name.contains("\\"),
            "script hosts, lure applications and DLLs are file names: " + name);
      }
    }
    require(fleetHosts >= 2, "fleetHosts must be at least 2, got " + fleetHosts);
    requirePositive(fleetWindow, "fleetWindow");
    require(
        fleetCommonHosts > fleetHosts,
        "fleetCommonHosts (" + fleetCommonHosts + ") must exceed fleetHosts (" + fleetHosts + ")");
    requirePositive(fleetRetention, "fleetRetention");
    require(
        fleetRetention.compareTo(fleetWindow) >= 0,
        "fleetRetention (" + fleetRetention + ") must not be shorter than fleetWindow");
  }

  /** The settings the simulator's attacks and look-alikes were checked against. */
  public static DetectionConfig defaults() {
    return new DetectionConfig(
        Duration.ofSeconds(30),
        16,
        Set.of("LoadLibraryA", "LoadLibraryW", "LoadLibraryExA", "LoadLibraryExW"),
        Set.of("lsass.exe", "winlogon.exe", "services.exe", "csrss.exe", "wininit.exe", "smss.exe"),
        Set.of("C:\\Windows\\System32\\svchost.exe"),
        Set.of(
            "cmd.exe",
            "powershell.exe",
            "pwsh.exe",
            "wscript.exe",
            "cscript.exe",
            "mshta.exe",
            "rundll32.exe",
            "regsvr32.exe",
            "certutil.exe",
            "bitsadmin.exe"),
        Set.of(
            "winword.exe",
            "excel.exe",
            "powerpnt.exe",
            "outlook.exe",
            "onenote.exe",
            "msaccess.exe",
            "chrome.exe",
            "msedge.exe",
            "firefox.exe",
            "iexplore.exe"),
        Set.of(
            "version.dll",
            "dbghelp.dll",
            "userenv.dll",
            "wtsapi32.dll",
            "cryptbase.dll",
            "dwmapi.dll",
            "uxtheme.dll",
            "winhttp.dll",
            "wininet.dll",
            "dbgcore.dll",
            "winmm.dll",
            "dxgi.dll",
            "cryptsp.dll",
            "profapi.dll",
            "secur32.dll",
            "sspicli.dll",
            "msimg32.dll"),
        5,
        Duration.ofMinutes(15),
        1_000,
        Duration.ofDays(7));
  }

  public DetectionConfig withInjectionWindow(Duration window) {
    return new DetectionConfig(
        window,
        injectionMaxPendingThreads,
        loadLibraryFunctions,
        sensitiveProcesses,
        parentSpoofBrokers,
        scriptHosts,
        lureApplications,
        hijackableDlls,
        fleetHosts,
        fleetWindow,
        fleetCommonHosts,
        fleetRetention);
  }

  public DetectionConfig withInjectionMaxPendingThreads(int max) {
    return new DetectionConfig(
        injectionWindow,
        max,
        loadLibraryFunctions,
        sensitiveProcesses,
        parentSpoofBrokers,
        scriptHosts,
        lureApplications,
        hijackableDlls,
        fleetHosts,
        fleetWindow,
        fleetCommonHosts,
        fleetRetention);
  }

  public DetectionConfig withParentSpoofBrokers(Set<String> brokers) {
    return new DetectionConfig(
        injectionWindow,
        injectionMaxPendingThreads,
        loadLibraryFunctions,
        sensitiveProcesses,
        brokers,
        scriptHosts,
        lureApplications,
        hijackableDlls,
        fleetHosts,
        fleetWindow,
        fleetCommonHosts,
        fleetRetention);
  }

  /** The fleet rule's thresholds: {@code hosts} hosts within {@code window}. */
  public DetectionConfig withFleet(int hosts, Duration window) {
    return new DetectionConfig(
        injectionWindow,
        injectionMaxPendingThreads,
        loadLibraryFunctions,
        sensitiveProcesses,
        parentSpoofBrokers,
        scriptHosts,
        lureApplications,
        hijackableDlls,
        hosts,
        window,
        fleetCommonHosts,
        fleetRetention);
  }

  /** Prevalence bookkeeping: the common-hash cap and how long an unseen hash is remembered. */
  public DetectionConfig withFleetPrevalence(int commonHosts, Duration retention) {
    return new DetectionConfig(
        injectionWindow,
        injectionMaxPendingThreads,
        loadLibraryFunctions,
        sensitiveProcesses,
        parentSpoofBrokers,
        scriptHosts,
        lureApplications,
        hijackableDlls,
        fleetHosts,
        fleetWindow,
        commonHosts,
        retention);
  }

  /** True when {@code function} (an export name) starts a LoadLibrary thread. */
  public boolean isLoadLibrary(String function) {
    return function != null && loadLibraryFunctions.contains(function.toLowerCase(Locale.ROOT));
  }

  private static Set<String> names(Set<String> names, String what) {
    require(names != null, what + " must not be null");
    Set<String> lower = new TreeSet<>();
    for (String name : names) {
      require(name != null && !name.isBlank(), what + " must not contain blank names");
      lower.add(name.trim().toLowerCase(Locale.ROOT));
    }
    return Set.copyOf(lower);
  }

  private static void requirePositive(Duration d, String what) {
    require(
        d != null && !d.isNegative() && !d.isZero(), what + " must be a positive duration: " + d);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
