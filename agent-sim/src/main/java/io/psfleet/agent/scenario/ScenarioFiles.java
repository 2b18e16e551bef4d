package io.psfleet.agent.scenario;

import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.VersionResource;
import io.psfleet.agent.workload.UserNames;
import io.psfleet.agent.workload.WindowsImages;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attackers' and look-alikes' files, registered once per fleet in a fixed order (so image bases
 * stay reproducible). Files in user profiles exist for every name of {@link UserNames#POOL}.
 */
public final class ScenarioFiles {
  private final Map<String, ImageFile[]> perUser = new HashMap<>();
  private final WindowsImages images;
  private final Map<String, ImageFile> campaignDlls = new HashMap<>();
  public final ImageFile sspDll;
  public final ImageFile tempSspDll;
  public final ImageFile macroPayloadDll;
  public final ImageFile sideloadHost;
  public final ImageFile sideloadDll;
  public final ImageFile campaignDll;
  public final ImageFile notepadPlusPlus;

  // Windows binaries and DLLs the technique scenarios use (System32 unless said otherwise).
  public final ImageFile comsvcs;
  public final ImageFile scrobj;
  public final ImageFile mshtml;
  public final ImageFile jscript9;
  public final ImageFile vbscript;
  public final ImageFile wmic;
  public final ImageFile schtasks;
  public final ImageFile vssadmin;
  public final ImageFile net1;
  public final ImageFile fodhelper;
  public final ImageFile msiexec;

  /** C:\Windows\PSEXESVC.exe: the service PsExec installs on its target, signed by Microsoft. */
  public final ImageFile psexesvc;

  /** An administrator's PsExec in a local tools folder. */
  public final ImageFile psexec;

  /** certutil.exe copied to C:\Users\Public\Libraries\winupdate.exe: a renamed LOLBin. */
  public final ImageFile renamedCertutil;

  /** The tool certutil downloads: unsigned, with a resource that claims to be Microsoft's. */
  public final ImageFile downloadedTool;

  /** Chrome's signed online installer in the public Downloads folder. */
  public final ImageFile chromeSetup;

  /** A backup product's signed agent in Program Files. */
  public final ImageFile backupAgent;

  // Credential access (T1003.001) and its look-alikes.
  /** Mimikatz dropped in the public profile: unsigned. */
  public final ImageFile mimikatz;

  /** Sysinternals ProcDump in a local tools folder, signed by Microsoft. */
  public final ImageFile procdump;

  /** The system's debug helpers: MiniDumpWriteDump lives in dbghelp and dbgcore. */
  public final ImageFile dbghelp;

  public final ImageFile dbgcore;
  public final ImageFile taskmgr;

  public ScenarioFiles(WindowsImages w) {
    this.images = w;
    for (String user : UserNames.POOL) {
      String home = "C:\\Users\\" + user + "\\";
      perUser.put(
          user,
          new ImageFile[] {
            w.file(home + "Downloads\\Invoice_2026-11.exe", 410_000, null),
            w.file(home + "AppData\\Local\\Temp\\msvcupd64.dll", 96_000, null),
            w.file(home + "Downloads\\setup_patch.exe", 820_000, null)
          });
    }
    sspDll = w.file("C:\\ProgramData\\Microsoft\\Crypto\\mscryptssp.dll", 120_000, null);
    tempSspDll = w.file("C:\\Windows\\Temp\\kerbhelper.dll", 88_000, null);
    macroPayloadDll = w.file("C:\\Users\\Public\\Libraries\\update.dll", 150_000, null);
    sideloadHost =
        w.file(
            "C:\\Users\\Public\\Documents\\OneDrive\\OneDriveStandaloneUpdater.exe",
            3_800_000,
            WindowsImages.MICROSOFT_CORPORATION);
    sideloadDll = w.file("C:\\Users\\Public\\Documents\\OneDrive\\version.dll", 64_000, null);
    campaignDll = w.file("C:\\ProgramData\\Microsoft\\DeviceSync\\dsync64.dll", 212_000, null);
    notepadPlusPlus = w.file("C:\\Program Files\\Notepad++\\notepad++.exe", 6_000_000, "Notepad++");
    comsvcs = w.system("comsvcs.dll", 2_100_000);
    scrobj = w.system("scrobj.dll", 290_000);
    mshtml = w.system("mshtml.dll", 12_000_000);
    jscript9 = w.system("jscript9.dll", 4_300_000);
    vbscript = w.system("vbscript.dll", 580_000);
    wmic = w.system("wbem\\WMIC.exe", 520_000);
    schtasks = w.system("schtasks.exe", 230_000);
    vssadmin = w.system("vssadmin.exe", 140_000);
    net1 = w.system("net1.exe", 180_000);
    fodhelper = w.system("fodhelper.exe", 50_000);
    msiexec = w.system("msiexec.exe", 68_000);
    psexesvc = w.file("C:\\Windows\\PSEXESVC.exe", 390_000, WindowsImages.MICROSOFT_CORPORATION);
    psexec =
        w.file(
            "C:\\Tools\\Sysinternals\\PsExec64.exe", 830_000, WindowsImages.MICROSOFT_CORPORATION);
    ImageFile certutil = w.catalog().find(WindowsImages.SYSTEM32 + "certutil.exe");
    renamedCertutil = w.copyOf("C:\\Users\\Public\\Libraries\\winupdate.exe", certutil);
    downloadedTool =
        w.file(
            "C:\\Users\\Public\\Libraries\\wuauhelper.exe",
            260_000,
            null,
            new VersionResource(
                "wuauhelper.exe", "Windows Update Helper", "", "Microsoft Corporation", "1.0.0.1"));
    chromeSetup = w.file("C:\\Users\\Public\\Downloads\\ChromeSetup.exe", 1_400_000, "Google LLC");
    backupAgent =
        w.file(
            "C:\\Program Files\\Contoso Backup\\ContosoBackup.exe",
            5_200_000,
            "Contoso Software Ltd");
    // Registered last, so that every earlier file keeps its place in the catalog.
    mimikatz = w.file("C:\\Users\\Public\\mimikatz.exe", 1_300_000, null);
    procdump =
        w.file(
            "C:\\Tools\\Sysinternals\\procdump64.exe",
            740_000,
            WindowsImages.MICROSOFT_CORPORATION);
    dbghelp = w.system("dbghelp.dll", 1_900_000);
    dbgcore = w.system("dbgcore.dll", 160_000);
    taskmgr = w.system("Taskmgr.exe", 1_100_000);
  }

  /**
   * The DLL fleet campaign {@code scenarioId} ({@code fleet-campaign-0002}) drops on its hosts:
   * every campaign its own file, as separate real campaigns have, so that each spreads its own
   * hash. The first keeps {@link #campaignDll}. Registered on first use: {@link ScenarioPlan} asks
   * for every planned campaign's file while it plans, in plan order, so the catalog (and the image
   * bases it decides) stays the same run after run.
   */
  public synchronized ImageFile campaignDll(String scenarioId) {
    int n = campaignNumber(scenarioId);
    if (n <= 1) {
      return campaignDll;
    }
    return campaignDlls.computeIfAbsent(
        scenarioId,
        id ->
            images.file(
                String.format("C:\\ProgramData\\Microsoft\\DeviceSync\\dsync64_%d.dll", n),
                212_000,
                null));
  }

  /** The instance number a scenario id ends with ({@code -0002}: 2), or 1. */
  private static int campaignNumber(String scenarioId) {
    int dash = scenarioId.lastIndexOf('-');
    try {
      return dash < 0 ? 1 : Integer.parseInt(scenarioId.substring(dash + 1));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** The dropper a user downloaded (unsigned). */
  public ImageFile injector(String user) {
    return files(user)[0];
  }

  /** The DLL the dropper writes to the user's %TEMP% (unsigned). */
  public ImageFile injectedDll(String user) {
    return files(user)[1];
  }

  /** Malware that spoofs its children's parent (unsigned). */
  public ImageFile spoofer(String user) {
    return files(user)[2];
  }

  private ImageFile[] files(String user) {
    ImageFile[] files = perUser.get(user);
    if (files == null) {
      throw new IllegalArgumentException(user + " is not in UserNames.POOL");
    }
    return files;
  }

  /** Every file, for tests that check the catalog. */
  public List<ImageFile> shared() {
    return List.of(
        sspDll,
        tempSspDll,
        macroPayloadDll,
        sideloadHost,
        sideloadDll,
        campaignDll,
        notepadPlusPlus);
  }
}
