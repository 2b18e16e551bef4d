package io.psfleet.agent.workload;

import io.psfleet.agent.kernel.ImageCatalog;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.ImageFileSpec;
import io.psfleet.agent.kernel.SeImageSignatureType;
import io.psfleet.agent.kernel.SeSigningLevel;
import io.psfleet.agent.kernel.VersionResource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The files of a Windows 10/11 installation, and of the applications a fleet runs, that every
 * simulated host shares. They are registered in a fixed order so that image bases, and therefore
 * events, are the same on every run.
 *
 * <p>Paths, signers and signature levels follow ../shared/WINDOWS.md: Windows components in
 * System32 signed "Microsoft Windows" at level WINDOWS (12) through the catalog; Microsoft
 * applications signed "Microsoft Corporation" at MICROSOFT (8); other vendors' files AUTHENTICODE
 * (4); drivers embedded-signed.
 */
public final class WindowsImages {
  public static final String SYSTEM32 = "C:\\Windows\\System32\\";
  public static final String MICROSOFT_WINDOWS = "Microsoft Windows";
  public static final String MICROSOFT_CORPORATION = "Microsoft Corporation";

  /** Who signs third-party drivers that passed WHQL: every kernel driver must be signed. */
  public static final String WHQL_PUBLISHER = "Microsoft Windows Hardware Compatibility Publisher";

  private final ImageCatalog catalog;

  // kernel and boot
  public final ImageFile ntoskrnl;
  public final ImageFile ntdll;
  public final ImageFile kernel32;
  public final ImageFile kernelbase;
  public final ImageFile user32;
  public final ImageFile advapi32;
  public final ImageFile smss;
  public final ImageFile csrss;
  public final ImageFile wininit;
  public final ImageFile winlogon;
  public final ImageFile services;
  public final ImageFile lsass;
  public final ImageFile svchost;
  public final ImageFile userinit;
  public final ImageFile explorer;
  public final ImageFile sensorDriver;

  /** Drivers that {@code --drivers} may load beside the sensor: an antivirus, a faulty one. */
  public final ImageFile antivirusDriver;

  public final ImageFile faultyDriver;

  /** Drivers the I/O manager loads at boot (system-start), in load order. */
  public final List<ImageFile> bootDrivers;

  /** Drivers that load later: device arrival, security product and driver updates. */
  public final List<ImageFile> laterDrivers;

  // programs
  public final ImageFile cmd;
  public final ImageFile conhost;
  public final ImageFile powershell;
  public final ImageFile notepad;
  public final ImageFile taskhostw;
  public final ImageFile wmiPrvSe;
  public final ImageFile runtimeBroker;
  public final ImageFile dllhost;
  public final ImageFile searchIndexer;
  public final ImageFile searchProtocolHost;
  public final ImageFile consent;
  public final ImageFile werFault;
  public final ImageFile splwow64;
  public final ImageFile spoolsv;
  public final ImageFile msMpEng;
  public final ImageFile mpCmdRun;
  public final ImageFile chrome;
  public final ImageFile msedge;
  public final ImageFile winword;
  public final ImageFile excel;
  public final ImageFile outlook;
  public final ImageFile teams;
  public final ImageFile googleUpdate;
  public final ImageFile edgeUpdate;
  public final ImageFile vsDebugger;
  public final ImageFile edrAgent;
  public final ImageFile w3wp;
  public final ImageFile sqlservr;
  public final ImageFile dnsServer;
  public final ImageFile dfsrs;
  public final List<ImageFile> consoleTools;
  public final List<ImageFile> lolbins;

  // module sets
  public final ModuleSet core;
  public final ModuleSet gui;
  public final ModuleSet network;
  public final ModuleSet dotnet;
  public final ModuleSet lsassPackages;
  public final ModuleSet domainController;
  public final ModuleSet chromeModules;
  public final ModuleSet edgeModules;
  public final ModuleSet officeModules;
  public final ModuleSet teamsModules;
  public final ModuleSet defenderModules;
  public final ModuleSet edrModules;
  public final ModuleSet iisModules;
  public final ModuleSet sqlModules;

  /** The EDR's monitoring DLL that it maps into processes: signed, third party. */
  public final ImageFile edrHookDll;

  /**
   * A signed credential provider that winlogon loads: a signed third-party module in a system
   * process.
   */
  public final ImageFile credentialProvider;

  /** dbghelp.dll that an application ships in its own Program Files folder, signed by Microsoft. */
  public final ImageFile appLocalDbghelp;

  /** An old line-of-business application from Program Files whose files nobody signed. */
  public final ImageFile legacyApp;

  public final ModuleSet legacyModules;

  /** svchost service DLLs, index-aligned with {@link WindowsBoot}'s service groups. */
  public final List<ImageFile> serviceDlls;

  public WindowsImages(ImageCatalog catalog) {
    this.catalog = catalog;
    ntoskrnl = driver("ntoskrnl.exe", 11_000_000, MICROSOFT_WINDOWS);
    ntdll =
        system(
            "ntdll.dll",
            2_100_000,
            new ImageFile.Export("RtlUserThreadStart", 0x2c0a0),
            new ImageFile.Export("DbgUiRemoteBreakin", 0x1030f0));
    kernel32 =
        system(
            "kernel32.dll",
            780_000,
            new ImageFile.Export("BaseThreadInitThunk", 0x17020),
            new ImageFile.Export("LoadLibraryA", 0x20390),
            new ImageFile.Export("LoadLibraryW", 0x203b0));
    kernelbase =
        system(
            "KernelBase.dll",
            3_900_000,
            new ImageFile.Export("CtrlRoutine", 0x1197e0),
            new ImageFile.Export("LoadLibraryExW", 0x4e6c0));
    user32 = system("user32.dll", 1_800_000);
    advapi32 = system("advapi32.dll", 700_000);
    smss = system("smss.exe", 160_000);
    csrss = system("csrss.exe", 40_000);
    wininit = system("wininit.exe", 460_000);
    winlogon = system("winlogon.exe", 900_000);
    services = system("services.exe", 720_000);
    lsass = system("lsass.exe", 60_000);
    svchost = system("svchost.exe", 60_000);
    userinit = system("userinit.exe", 30_000);
    explorer = file("C:\\Windows\\explorer.exe", 5_000_000, MICROSOFT_WINDOWS);
    sensorDriver = driver("drivers\\psfsensor.sys", 90_000, "psfleet");
    List<ImageFile> boot = new ArrayList<>();
    for (String name :
        new String[] {
          "fltMgr.sys", "volmgr.sys", "partmgr.sys", "storport.sys", "stornvme.sys", "disk.sys",
          "Ntfs.sys", "ndis.sys", "netio.sys", "tcpip.sys", "WdFilter.sys", "afd.sys",
          "kbdclass.sys", "mouclass.sys", "dxgkrnl.sys", "mpsdrv.sys", "mrxsmb.sys", "http.sys"
        }) {
      boot.add(
          driver(
              "drivers\\" + name,
              40_000 + Math.floorMod(name.hashCode(), 3_000_000),
              MICROSOFT_WINDOWS));
    }
    boot.add(driver("drivers\\iaStorVD.sys", 1_900_000, WHQL_PUBLISHER));
    boot.add(
        driver(
            "DriverStore\\FileRepository\\nv_dispi.inf_amd64_5b6c0f3b8a2e1d4c\\nvlddmkm.sys",
            9_000_000,
            WHQL_PUBLISHER));
    bootDrivers = List.copyOf(boot);
    laterDrivers =
        List.of(
            driver("drivers\\USBSTOR.SYS", 120_000, MICROSOFT_WINDOWS),
            driver("drivers\\cdrom.sys", 180_000, MICROSOFT_WINDOWS),
            driver("drivers\\srv2.sys", 900_000, MICROSOFT_WINDOWS));

    core =
        new ModuleSet(
            "core",
            concat(
                List.of(kernel32, kernelbase),
                systemFiles(
                    "ucrtbase.dll",
                    "msvcrt.dll",
                    "sechost.dll",
                    "rpcrt4.dll",
                    "bcryptprimitives.dll",
                    "combase.dll",
                    "kernel.appcore.dll",
                    "apphelp.dll",
                    "cfgmgr32.dll",
                    "vcruntime140.dll",
                    "msvcp140.dll"),
                List.of(advapi32)));
    gui =
        new ModuleSet(
            "gui",
            concat(
                List.of(user32),
                systemFiles(
                    "win32u.dll",
                    "gdi32.dll",
                    "gdi32full.dll",
                    "msvcp_win.dll",
                    "imm32.dll",
                    "uxtheme.dll",
                    "dwmapi.dll",
                    "shcore.dll",
                    "shell32.dll",
                    "shlwapi.dll",
                    "ole32.dll",
                    "oleaut32.dll",
                    "msctf.dll",
                    "windows.storage.dll",
                    "wldp.dll",
                    "profapi.dll",
                    "TextInputFramework.dll",
                    "CoreMessaging.dll",
                    "CoreUIComponents.dll",
                    "WinTypes.dll",
                    "ntmarta.dll",
                    "propsys.dll",
                    "clbcatq.dll",
                    "cryptbase.dll",
                    "version.dll",
                    "powrprof.dll",
                    "umpdc.dll")));
    network =
        new ModuleSet(
            "network",
            systemFiles(
                "ws2_32.dll",
                "mswsock.dll",
                "dnsapi.dll",
                "IPHLPAPI.DLL",
                "nsi.dll",
                "winhttp.dll",
                "winnsi.dll",
                "dhcpcsvc.dll",
                "dhcpcsvc6.dll",
                "netapi32.dll",
                "sspicli.dll",
                "crypt32.dll",
                "msasn1.dll",
                "wintrust.dll",
                "cryptsp.dll",
                "rsaenh.dll",
                "bcrypt.dll",
                "ncrypt.dll",
                "ntasn1.dll",
                "userenv.dll",
                "wtsapi32.dll",
                "secur32.dll",
                "schannel.dll",
                "mskeyprotect.dll"));
    dotnet =
        new ModuleSet(
            "dotnet",
            List.of(
                system("mscoree.dll", 400_000),
                file(
                    "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\mscoreei.dll",
                    600_000,
                    MICROSOFT_CORPORATION),
                file(
                    "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\clr.dll",
                    10_000_000,
                    MICROSOFT_CORPORATION),
                file(
                    "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\clrjit.dll",
                    1_900_000,
                    MICROSOFT_CORPORATION),
                file(
                    "C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\mscorlib\\mscorlib.ni.dll",
                    16_000_000,
                    MICROSOFT_CORPORATION),
                file(
                    "C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\System\\System.ni.dll",
                    11_000_000,
                    MICROSOFT_CORPORATION),
                file(
                    "C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\System.Manaa57fc8cc#\\System.Management.Automation.ni.dll",
                    16_000_000,
                    MICROSOFT_CORPORATION),
                file(
                    "C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\System.Core\\System.Core.ni.dll",
                    9_000_000,
                    MICROSOFT_CORPORATION),
                system("amsi.dll", 100_000)));
    lsassPackages =
        new ModuleSet(
            "lsass",
            systemFiles(
                "lsasrv.dll",
                "msv1_0.dll",
                "kerberos.dll",
                "wdigest.dll",
                "tspkg.dll",
                "pku2u.dll",
                "cloudAP.dll",
                "negoexts.dll",
                "samsrv.dll",
                "efslsaext.dll",
                "dpapisrv.dll",
                "cryptdll.dll",
                "wevtapi.dll",
                "samlib.dll",
                "msprivs.dll"));
    domainController =
        new ModuleSet(
            "domain-controller",
            systemFiles(
                "ntdsa.dll",
                "ntdsai.dll",
                "kdcsvc.dll",
                "ntdsatq.dll",
                "esent.dll",
                "dsrolesrv.dll"));

    cmd = system("cmd.exe", 330_000);
    conhost = system("conhost.exe", 860_000);
    powershell =
        file(SYSTEM32 + "WindowsPowerShell\\v1.0\\powershell.exe", 450_000, MICROSOFT_WINDOWS);
    notepad = system("notepad.exe", 200_000);
    taskhostw = system("taskhostw.exe", 100_000);
    wmiPrvSe = system("wbem\\WmiPrvSE.exe", 500_000);
    runtimeBroker = system("RuntimeBroker.exe", 130_000);
    dllhost = system("dllhost.exe", 20_000);
    searchIndexer = system("SearchIndexer.exe", 900_000);
    searchProtocolHost = system("SearchProtocolHost.exe", 400_000);
    consent = system("consent.exe", 160_000);
    werFault = system("WerFault.exe", 550_000);
    splwow64 = file("C:\\Windows\\splwow64.exe", 160_000, MICROSOFT_WINDOWS);
    spoolsv = system("spoolsv.exe", 1_000_000);
    msMpEng =
        file(
            "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25070.5-0\\MsMpEng.exe",
            130_000,
            MICROSOFT_CORPORATION);
    mpCmdRun =
        file(
            "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25070.5-0\\MpCmdRun.exe",
            1_500_000,
            MICROSOFT_CORPORATION);
    defenderModules =
        new ModuleSet(
            "defender",
            List.of(
                file(
                    "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25070.5-0\\mpsvc.dll",
                    3_000_000,
                    MICROSOFT_CORPORATION),
                file(
                    "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25070.5-0\\mpclient.dll",
                    1_600_000,
                    MICROSOFT_CORPORATION),
                file(
                    "C:\\ProgramData\\Microsoft\\Windows Defender\\Definition Updates\\{6A9A1B7E}\\mpengine.dll",
                    15_000_000,
                    MICROSOFT_CORPORATION)));

    String chromeDir = "C:\\Program Files\\Google\\Chrome\\Application\\";
    chrome = file(chromeDir + "chrome.exe", 2_900_000, "Google LLC");
    chromeModules =
        new ModuleSet(
            "chrome",
            List.of(
                file(chromeDir + "131.0.6778.86\\chrome_elf.dll", 1_500_000, "Google LLC"),
                file(chromeDir + "131.0.6778.86\\chrome.dll", 15_000_000, "Google LLC"),
                file(chromeDir + "131.0.6778.86\\libegl.dll", 500_000, "Google LLC"),
                file(chromeDir + "131.0.6778.86\\libglesv2.dll", 8_000_000, "Google LLC")));
    String edgeDir = "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\";
    msedge = file(edgeDir + "msedge.exe", 4_000_000, MICROSOFT_CORPORATION);
    edgeModules =
        new ModuleSet(
            "edge",
            List.of(
                file(edgeDir + "131.0.2903.70\\msedge_elf.dll", 2_000_000, MICROSOFT_CORPORATION),
                file(edgeDir + "131.0.2903.70\\msedge.dll", 15_500_000, MICROSOFT_CORPORATION)));
    String officeDir = "C:\\Program Files\\Microsoft Office\\root\\Office16\\";
    winword = file(officeDir + "WINWORD.EXE", 1_700_000, MICROSOFT_CORPORATION);
    excel = file(officeDir + "EXCEL.EXE", 3_000_000, MICROSOFT_CORPORATION);
    outlook = file(officeDir + "OUTLOOK.EXE", 3_500_000, MICROSOFT_CORPORATION);
    officeModules =
        new ModuleSet(
            "office",
            List.of(
                file(officeDir + "wwlib.dll", 15_000_000, MICROSOFT_CORPORATION),
                file(
                    "C:\\Program Files\\Common Files\\Microsoft Shared\\Office16\\mso20win32client.dll",
                    5_000_000,
                    MICROSOFT_CORPORATION),
                file(
                    "C:\\Program Files\\Common Files\\Microsoft Shared\\Office16\\mso.dll",
                    15_000_000,
                    MICROSOFT_CORPORATION),
                file(officeDir + "VBE7.DLL", 3_000_000, MICROSOFT_CORPORATION),
                file(
                    "C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\AppvIsvSubsystems64.dll",
                    800_000,
                    MICROSOFT_CORPORATION)));
    String teamsDir =
        "C:\\Program Files\\WindowsApps\\MSTeams_25060.205.3499.6849_x64__8wekyb3d8bbwe\\";
    teams = file(teamsDir + "ms-teams.exe", 1_000_000, MICROSOFT_CORPORATION);
    teamsModules =
        new ModuleSet(
            "teams",
            List.of(
                file(teamsDir + "msedgewebview2.dll", 2_000_000, MICROSOFT_CORPORATION),
                file(teamsDir + "WebView2Loader.dll", 160_000, MICROSOFT_CORPORATION)));
    googleUpdate =
        file("C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe", 160_000, "Google LLC");
    edgeUpdate =
        file(
            "C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe",
            250_000,
            MICROSOFT_CORPORATION);
    vsDebugger = system("vsjitdebugger.exe", 350_000);
    String edrDir = "C:\\Program Files\\Contoso Security\\Endpoint Agent\\";
    edrAgent = file(edrDir + "ContosoAgent.exe", 9_000_000, "Contoso Security Ltd");
    edrHookDll = file(edrDir + "ContosoHook64.dll", 800_000, "Contoso Security Ltd");
    edrModules =
        new ModuleSet(
            "edr",
            List.of(
                file(edrDir + "ContosoCore.dll", 6_000_000, "Contoso Security Ltd"), edrHookDll));
    credentialProvider =
        file(
            "C:\\Program Files\\Duo Security\\WindowsLogon\\DuoCredProv.dll",
            1_000_000,
            "Duo Security LLC");
    appLocalDbghelp =
        file("C:\\Program Files\\Notepad++\\dbghelp.dll", 1_800_000, MICROSOFT_CORPORATION);
    String legacyDir = "C:\\Program Files (x86)\\Acme\\Timesheet\\";
    legacyApp = file(legacyDir + "timesheet.exe", 2_400_000, null);
    legacyModules =
        new ModuleSet(
            "legacy",
            List.of(
                file(legacyDir + "acmecore.dll", 900_000, null),
                file(legacyDir + "acmereports.dll", 1_300_000, null)));

    w3wp = system("inetsrv\\w3wp.exe", 30_000);
    iisModules =
        new ModuleSet(
            "iis",
            systemFiles(
                "inetsrv\\iiscore.dll",
                "inetsrv\\w3isapi.dll",
                "inetsrv\\iisutil.dll",
                "inetsrv\\w3tp.dll",
                "webengine4.dll"));
    String sqlDir = "C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\";
    sqlservr = file(sqlDir + "sqlservr.exe", 600_000, MICROSOFT_CORPORATION);
    sqlModules =
        new ModuleSet(
            "sql",
            List.of(
                file(sqlDir + "sqlmin.dll", 13_000_000, MICROSOFT_CORPORATION),
                file(sqlDir + "sqllang.dll", 14_000_000, MICROSOFT_CORPORATION),
                file(sqlDir + "sqldk.dll", 3_000_000, MICROSOFT_CORPORATION),
                file(sqlDir + "sqlos.dll", 40_000, MICROSOFT_CORPORATION)));
    dnsServer = system("dns.exe", 2_000_000);
    dfsrs = system("dfsrs.exe", 4_500_000);

    consoleTools =
        systemFiles(
            "whoami.exe",
            "ipconfig.exe",
            "net.exe",
            "tasklist.exe",
            "findstr.exe",
            "ping.exe",
            "hostname.exe",
            "systeminfo.exe",
            "gpupdate.exe",
            "reg.exe",
            "sc.exe",
            "robocopy.exe");
    lolbins =
        systemFiles(
            "rundll32.exe",
            "regsvr32.exe",
            "mshta.exe",
            "certutil.exe",
            "wscript.exe",
            "cscript.exe",
            "bitsadmin.exe");
    serviceDlls =
        systemFiles(
            "rpcss.dll",
            "rpcss.dll",
            "dhcpcore.dll",
            "schedsvc.dll",
            "appinfo.dll",
            "dnsrslvr.dll",
            "sysmain.dll");
    // Last, so that the catalog's earlier files keep what they had.
    antivirusDriver = driver("drivers\\psfav.sys", 140_000, "psfleet antivirus");
    faultyDriver = driver("drivers\\flakyfltr.sys", 40_000, WHQL_PUBLISHER);
  }

  public ImageCatalog catalog() {
    return catalog;
  }

  /** A Windows component in System32 (a relative path may name a subfolder). */
  public ImageFile system(String name, long size, ImageFile.Export... exports) {
    return file(SYSTEM32 + name, size, MICROSOFT_WINDOWS, false, List.of(exports));
  }

  /** A user-mode file signed by {@code signer}, or unsigned when it is null. */
  public ImageFile file(String path, long size, String signer) {
    return file(path, size, signer, false, List.of());
  }

  /**
   * Registers a file with a content hash derived from its path, signed by {@code signer} or
   * unsigned when it is null.
   */
  public ImageFile file(
      String path, long size, String signer, boolean driver, List<ImageFile.Export> exports) {
    return catalog.register(
        new ImageFileSpec(
            path,
            size,
            signingLevel(signer),
            signatureType(signer, driver),
            signer,
            contentHash(path),
            driver,
            exports,
            VersionResources.of(path, signer)));
  }

  /**
   * A user-mode file with the version resource {@code version} (null: none), whatever the catalog
   * of known resources says: an attacker's file claiming to be something it is not.
   */
  public ImageFile file(String path, long size, String signer, VersionResource version) {
    return catalog.register(
        new ImageFileSpec(
            path,
            size,
            signingLevel(signer),
            signatureType(signer, false),
            signer,
            contentHash(path),
            false,
            List.of(),
            version));
  }

  /** A file whose content is the same wherever it lies: one hash under many paths (campaigns). */
  public ImageFile copyOf(String path, ImageFile original) {
    return catalog.register(
        new ImageFileSpec(
            path,
            original.size(),
            original.signingLevel(),
            original.signatureType(),
            original.signer(),
            original.sha256(),
            original.systemModeImage(),
            List.of(),
            original.versionResource()));
  }

  private ImageFile driver(String name, long size, String signer) {
    return file(SYSTEM32 + name, size, signer, true, List.of());
  }

  private List<ImageFile> systemFiles(String... names) {
    List<ImageFile> files = new ArrayList<>(names.length);
    for (String name : names) {
      // Sizes vary by file; derive a stable plausible one from the name.
      files.add(system(name, 60_000 + Math.floorMod(name.hashCode(), 1_900_000)));
    }
    return List.copyOf(files);
  }

  @SafeVarargs
  private static List<ImageFile> concat(List<ImageFile>... parts) {
    List<ImageFile> all = new ArrayList<>();
    for (List<ImageFile> part : parts) {
      all.addAll(part);
    }
    return List.copyOf(all);
  }

  private static SeSigningLevel signingLevel(String signer) {
    if (signer == null) {
      return SeSigningLevel.UNSIGNED;
    }
    return switch (signer) {
      case MICROSOFT_WINDOWS -> SeSigningLevel.WINDOWS;
      case MICROSOFT_CORPORATION -> SeSigningLevel.MICROSOFT;
      default -> SeSigningLevel.AUTHENTICODE;
    };
  }

  private static SeImageSignatureType signatureType(String signer, boolean driver) {
    if (signer == null) {
      return SeImageSignatureType.NONE;
    }
    return signer.equals(MICROSOFT_WINDOWS) && !driver
        ? SeImageSignatureType.CATALOG_CACHED
        : SeImageSignatureType.EMBEDDED;
  }

  /** Stand-in for the file's content hash: the same path always has the same bytes. */
  static byte[] contentHash(String path) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(path.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
