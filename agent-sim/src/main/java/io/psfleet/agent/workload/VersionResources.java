package io.psfleet.agent.workload;

import io.psfleet.agent.kernel.VersionResource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The version resources of the files {@link WindowsImages} knows, as the files of Windows 10 22H2
 * (build 19045, whose binaries still say 10.0.19041) and of the applications carry them. The case
 * of {@code OriginalFileName} is the file's own ({@code Cmd.Exe}, {@code PowerShell.EXE}, {@code
 * RUNDLL32.EXE}); Sigma rules compare it exactly.
 *
 * <p>A Windows component whose strings are not listed gets the name it is registered under as
 * {@code OriginalFileName}, a description made from it, and Windows' product, company and version,
 * which is how its real resource is laid out; an unsigned file from a user-writable folder has no
 * resource unless it is given one.
 */
final class VersionResources {
  static final String WINDOWS_PRODUCT = "Microsoft\u00ae Windows\u00ae Operating System";
  static final String MICROSOFT = "Microsoft Corporation";
  private static final String WINBUILD = " (WinBuild.160101.0800)";

  private static final Map<String, VersionResource> BY_NAME = new HashMap<>();

  static {
    // Windows executables: original name, description, build revision.
    windows("ntoskrnl.exe", "ntkrnlmp.exe", "NT Kernel & System", 4894);
    windows("smss.exe", "smss.exe", "Windows Session Manager", 4842);
    windows("csrss.exe", "CSRSS.Exe", "Client Server Runtime Process", 4522);
    windows("wininit.exe", "WinInit.exe", "Windows Start-Up Application", 4522);
    windows("winlogon.exe", "WINLOGON.EXE", "Windows Logon Application", 4842);
    windows("services.exe", "services.exe", "Services and Controller app", 4842);
    windows("lsass.exe", "lsass.exe", "Local Security Authority Process", 4842);
    windows("svchost.exe", "svchost.exe", "Host Process for Windows Services", 4355);
    windows("userinit.exe", "USERINIT.EXE", "Userinit Logon Application", 3636);
    windows("explorer.exe", "EXPLORER.EXE", "Windows Explorer", 4894);
    windows("cmd.exe", "Cmd.Exe", "Windows Command Processor", 4355);
    windows("conhost.exe", "CONHOST.EXE", "Console Window Host", 4355);
    windows("powershell.exe", "PowerShell.EXE", "Windows PowerShell", 3996);
    windows("notepad.exe", "NOTEPAD.EXE", "Notepad", 4355);
    windows("taskhostw.exe", "taskhostw.exe", "Host Process for Windows Tasks", 4522);
    windows("wmiprvse.exe", "Wmiprvse.exe", "WMI Provider Host", 3636);
    windows("runtimebroker.exe", "RuntimeBroker.exe", "Runtime Broker", 4355);
    windows("dllhost.exe", "dllhost.exe", "COM Surrogate", 1);
    windows("searchindexer.exe", "SearchIndexer.exe", "Microsoft Windows Search Indexer", 4355);
    windows(
        "searchprotocolhost.exe",
        "SearchProtocolHost.exe",
        "Microsoft Windows Search Protocol Host",
        4355);
    windows("consent.exe", "consent.exe", "Consent UI for administrative applications", 4522);
    windows("werfault.exe", "WerFault.exe", "Windows Problem Reporting", 4780);
    windows("splwow64.exe", "splwow64.exe", "Print driver host for applications", 4780);
    windows("spoolsv.exe", "spoolsv.exe", "Spooler SubSystem App", 4780);
    windows("rundll32.exe", "RUNDLL32.EXE", "Windows host process (Rundll32)", 3636);
    windows("regsvr32.exe", "REGSVR32.EXE", "Microsoft(C) Register Server", 1);
    windows("certutil.exe", "CertUtil.exe", "CertUtil.exe", 4355);
    windows("bitsadmin.exe", "bitsadmin.exe", "BITS administration utility", 1);
    windows("whoami.exe", "whoami.exe", "whoami - displays logged on user information", 1);
    windows("ipconfig.exe", "ipconfig.exe", "IP Configuration Utility", 1);
    windows("net.exe", "net.exe", "Net Command", 1);
    windows("net1.exe", "net1.exe", "Net Command", 3636);
    windows("tasklist.exe", "tasklist.exe", "Lists the current running tasks", 1);
    windows("findstr.exe", "FINDSTR.EXE", "Find String (QGREP) Utility", 1);
    windows("ping.exe", "ping.exe", "TCP/IP Ping Command", 1);
    windows("hostname.exe", "hostname.exe", "Hostname APP", 1);
    windows("systeminfo.exe", "sysinfo.exe", "Displays system information", 1);
    windows("gpupdate.exe", "GPUpdate.exe", "Microsoft\u00ae Group Policy Update Utility", 1);
    windows("reg.exe", "reg.exe", "Registry Console Tool", 1);
    windows("sc.exe", "sc.exe", "Service Control Manager Configuration Tool", 1);
    windows("robocopy.exe", "robocopy.exe", "Microsoft\u00ae Robocopy", 4355);
    windows("schtasks.exe", "schtasks.exe", "Task Scheduler Configuration Tool", 1);
    windows(
        "vssadmin.exe",
        "VSSADMIN.EXE",
        "Command Line Interface for Microsoft\u00ae Volume Shadow Copy Service ",
        1);
    windows("wmic.exe", "wmic.exe", "WMI Commandline Utility", 3636);
    windows("fodhelper.exe", "FodHelper.EXE", "Features On Demand Helper", 1);
    windows("dns.exe", "dns.exe", "Domain Name System (DNS) Server", 4522);
    windows("dfsrs.exe", "dfsrs.exe", "Distributed File System Replication", 4522);
    windows("inetsrv\\w3wp.exe", "w3wp.exe", "IIS Worker Process", 1);
    put(
        "mshta.exe",
        "MSHTA.EXE",
        "Microsoft (R) HTML Application host",
        "Internet Explorer",
        MICROSOFT,
        "11.00.19041.1" + WINBUILD);
    put(
        "wscript.exe",
        "wscript.exe",
        "Microsoft \u00ae Windows Based Script Host",
        "Microsoft \u00ae Windows Script Host",
        MICROSOFT,
        "5.812.10240.16384");
    put(
        "cscript.exe",
        "cscript.exe",
        "Microsoft \u00ae Console Based Script Host",
        "Microsoft \u00ae Windows Script Host",
        MICROSOFT,
        "5.812.10240.16384");
    put(
        "vsjitdebugger.exe",
        "vsjitdebugger.exe",
        "Visual Studio Just-In-Time Debugger",
        "Microsoft\u00ae Visual Studio\u00ae",
        MICROSOFT,
        "17.0.34511.75");

    // Windows DLLs whose strings differ from the pattern.
    windows("ntdll.dll", "ntdll.dll", "NT Layer DLL", 4894);
    windows("kernel32.dll", "kernel32", "Windows NT BASE API Client DLL", 4894);
    windows("kernelbase.dll", "Kernelbase.dll", "Windows NT BASE API Client DLL", 4894);
    windows("user32.dll", "user32", "Multi-User Windows USER API Client DLL", 4842);
    windows("advapi32.dll", "advapi32.dll", "Advanced Windows 32 Base API", 4842);
    windows("gdi32.dll", "gdi32", "GDI Client DLL", 4842);
    windows("shell32.dll", "SHELL32.dll", "Windows Shell Common Dll", 4894);
    windows("ole32.dll", "OLE32.DLL", "Microsoft OLE for Windows", 4522);
    windows("combase.dll", "COMBASE.DLL", "Microsoft COM for Windows", 4842);
    windows("rpcrt4.dll", "rpcrt4.dll", "Remote Procedure Call Runtime", 4894);
    windows("msvcrt.dll", "msvcrt.dll", "Windows NT CRT DLL", 1);
    windows("ucrtbase.dll", "ucrtbase.dll", "Microsoft\u00ae C Runtime Library", 3636);
    windows("ws2_32.dll", "ws2_32.dll", "Windows Socket 2.0 32-Bit DLL", 1);
    windows("crypt32.dll", "CRYPT32.DLL", "Crypto API32", 4842);
    windows("version.dll", "VERSION.DLL", "Version Checking and File Installation Libraries", 546);
    windows("dbghelp.dll", "DBGHELP.DLL", "Windows Image Helper", 4842);
    windows("amsi.dll", "amsi.dll", "Anti-Malware Scan Interface", 3636);
    windows("comsvcs.dll", "comsvcs.dll", "COM+ Services", 4355);
    windows("scrobj.dll", "scrobj.dll", "Windows \u00ae Script Component Runtime", 1);
    windows("lsasrv.dll", "LsaSrv.dll", "LSA Server DLL", 4842);
    windows("msv1_0.dll", "msv1_0.DLL", "Microsoft Authentication Package v1.0", 4842);
    windows("kerberos.dll", "Kerberos.dll", "Kerberos Security Package", 4842);
    windows("wdigest.dll", "wdigest.dll", "Microsoft Digest Access", 4355);
    windows("tspkg.dll", "TSPKG.DLL", "Web Service Security Package", 4355);
    windows("samsrv.dll", "samsrv.dll", "SAM Server DLL", 4842);
    put(
        "mshtml.dll",
        "MSHTML.DLL",
        "MSHTML",
        "Internet Explorer",
        MICROSOFT,
        "11.00.19041.4355 (WinBuild.160101.0800)");
    put(
        "jscript9.dll",
        "JSCRIPT9.DLL",
        "JScript",
        "Internet Explorer",
        MICROSOFT,
        "11.00.19041.4355 (WinBuild.160101.0800)");
    put(
        "vbscript.dll",
        "vbscript.dll",
        "Microsoft \u00ae VBScript",
        "Microsoft \u00ae VBScript",
        MICROSOFT,
        "5.812.10240.16384");
    put(
        "msiexec.exe",
        "msiexec.exe",
        "Windows\u00ae installer",
        WINDOWS_PRODUCT,
        MICROSOFT,
        "5.0.19041.4355 (WinBuild.160101.0800)");
    String sysinternals = "Sysinternals - www.sysinternals.com";
    put(
        "psexesvc.exe",
        "psexesvc.exe",
        "PsExec Service",
        "Sysinternals PsExec",
        sysinternals,
        "2.43");
    put(
        "psexec64.exe",
        "psexec.c",
        "Execute processes remotely",
        "Sysinternals PsExec",
        sysinternals,
        "2.43");
    put(
        "chromesetup.exe",
        "GoogleUpdateSetup.exe",
        "Google Update Setup",
        "Google Update",
        "Google LLC",
        "1.3.36.372");
    put(
        "contosobackup.exe",
        "ContosoBackup.exe",
        "Contoso Backup Agent",
        "Contoso Backup",
        "Contoso Software Ltd",
        "11.2.0.417");
    put("psfsensor.sys", "psfsensor.sys", "psfleet sensor driver", "psfleet", "psfleet", "0.2.0.0");
    windows("disk.sys", "disk.sys", "PnP Disk Driver", 4522);
    windows("ntfs.sys", "ntfs.sys", "NT File System Driver", 4842);
    windows("tcpip.sys", "tcpip.sys", "TCP/IP Driver", 4842);
    windows("afd.sys", "afd.sys", "Ancillary Function Driver for WinSock", 4842);
    windows("ndis.sys", "ndis.sys", "Network Driver Interface Specification (NDIS)", 4522);
    windows("fltmgr.sys", "fltMgr.sys", "Microsoft Filesystem Filter Manager", 4522);
    windows("volmgr.sys", "volmgr.sys", "Volume Manager Driver", 1);
    windows("partmgr.sys", "partmgr.sys", "Partition driver", 4355);
    windows("storport.sys", "storport.sys", "Microsoft Storage Port Driver", 4522);
    windows("stornvme.sys", "stornvme.sys", "Microsoft NVM Express Storage Miniport Driver", 4355);
    windows("netio.sys", "netio.sys", "Network I/O Subsystem", 4842);
    windows("http.sys", "http.sys", "HTTP Protocol Stack", 4842);
    windows("mrxsmb.sys", "mrxsmb.sys", "Windows NT SMB Minirdr", 4842);
    windows("srv2.sys", "srv2.sys", "Smb 2.0 Server driver", 4842);
    windows("usbstor.sys", "USBSTOR.SYS", "USB Mass Storage Class Driver", 1);
    windows("dxgkrnl.sys", "dxgkrnl.sys", "DirectX Graphics Kernel", 4842);
    windows("kbdclass.sys", "kbdclass.sys", "Keyboard Class Driver", 1);
    windows("mouclass.sys", "mouclass.sys", "Mouse Class Driver", 1);
    windows("cdrom.sys", "cdrom.sys", "SCSI CD-ROM Driver", 3636);
    windows("mpsdrv.sys", "mpsdrv.sys", "Microsoft Protection Service Driver", 4355);
    put(
        "wdfilter.sys",
        "WdFilter.sys",
        "Microsoft antimalware file system filter driver",
        WINDOWS_PRODUCT,
        MICROSOFT,
        "4.18.25070.5 (WinBuild.160101.0800)");
    put(
        "iastorvd.sys",
        "iaStorVD.sys",
        "Intel(R) Rapid Storage Technology driver",
        "Intel(R) Rapid Storage Technology",
        "Intel Corporation",
        "19.5.2.1049");
    put(
        "nvlddmkm.sys",
        "nvlddmkm.sys",
        "NVIDIA Windows Kernel Mode Driver, Version 566.36",
        "NVIDIA Windows Kernel Mode Driver, Version 566.36",
        "NVIDIA Corporation",
        "32.0.15.6636");

    String dotnet = "Microsoft\u00ae .NET Framework";
    String net48 = "4.8.4645.0 built by: NET48REL1LAST_B";
    // Native images carry the version resource of the assembly they were compiled from.
    put(
        "mscorlib.ni.dll",
        "mscorlib.dll",
        "Microsoft Common Language Runtime Class Library",
        dotnet,
        MICROSOFT,
        net48);
    put("system.ni.dll", "System.dll", ".NET Framework", dotnet, MICROSOFT, net48);
    put("system.core.ni.dll", "System.Core.dll", ".NET Framework", dotnet, MICROSOFT, net48);
    put(
        "system.management.automation.ni.dll",
        "System.Management.Automation.dll",
        "System.Management.Automation",
        "Microsoft (R) Windows (R) Operating System",
        MICROSOFT,
        "10.0.19041.1");
    put(
        "mscoree.dll",
        "mscoree.dll",
        "Microsoft .NET Runtime Execution Engine",
        WINDOWS_PRODUCT,
        MICROSOFT,
        "10.0.19041.1" + WINBUILD);
    put(
        "mscoreei.dll",
        "mscoreei.dll",
        "Microsoft .NET Runtime Execution Engine",
        dotnet,
        MICROSOFT,
        net48);
    put(
        "clr.dll",
        "clr.dll",
        "Microsoft .NET Runtime Common Language Runtime - WorkStation",
        dotnet,
        MICROSOFT,
        net48);
    put(
        "clrjit.dll",
        "clrjit.dll",
        "Microsoft .NET Runtime Just-In-Time Compiler",
        dotnet,
        MICROSOFT,
        net48);

    // Applications.
    String defender = "4.18.25070.5";
    put(
        "msmpeng.exe",
        "MsMpEng.exe",
        "Antimalware Service Executable",
        WINDOWS_PRODUCT,
        MICROSOFT,
        defender + WINBUILD);
    put(
        "mpcmdrun.exe",
        "MpCmdRun.exe",
        "Microsoft Malware Protection Command Line Utility",
        WINDOWS_PRODUCT,
        MICROSOFT,
        defender + WINBUILD);
    put(
        "mpsvc.dll",
        "mpsvc.dll",
        "Antimalware Service",
        WINDOWS_PRODUCT,
        MICROSOFT,
        defender + WINBUILD);
    put(
        "mpclient.dll",
        "mpclient.dll",
        "Windows Defender",
        WINDOWS_PRODUCT,
        MICROSOFT,
        defender + WINBUILD);
    put(
        "mpengine.dll",
        "mpengine.dll",
        "Microsoft Malware Protection Engine",
        "Microsoft Malware Protection",
        MICROSOFT,
        "1.1.25010.7");
    String chrome = "131.0.6778.86";
    put("chrome.exe", "chrome.exe", "Google Chrome", "Google Chrome", "Google LLC", chrome);
    put("chrome.dll", "chrome.dll", "Google Chrome", "Google Chrome", "Google LLC", chrome);
    put("chrome_elf.dll", "chrome_elf.dll", "Google Chrome", "Google Chrome", "Google LLC", chrome);
    put(
        "libegl.dll",
        "libEGL.dll",
        "ANGLE libEGL Dynamic Link Library",
        "ANGLE",
        "Google LLC",
        "2.1.0.0");
    put(
        "libglesv2.dll",
        "libGLESv2.dll",
        "ANGLE libGLESv2 Dynamic Link Library",
        "ANGLE",
        "Google LLC",
        "2.1.0.0");
    String edge = "131.0.2903.70";
    put("msedge.exe", "msedge.exe", "Microsoft Edge", "Microsoft Edge", MICROSOFT, edge);
    put("msedge.dll", "msedge.dll", "Microsoft Edge", "Microsoft Edge", MICROSOFT, edge);
    put("msedge_elf.dll", "msedge_elf.dll", "Microsoft Edge", "Microsoft Edge", MICROSOFT, edge);
    String office = "16.0.18129.20158";
    put("winword.exe", "WinWord.exe", "Microsoft Word", "Microsoft Office", MICROSOFT, office);
    put("excel.exe", "Excel.exe", "Microsoft Excel", "Microsoft Office", MICROSOFT, office);
    put("outlook.exe", "Outlook.exe", "Microsoft Outlook", "Microsoft Office", MICROSOFT, office);
    put("wwlib.dll", "WWLIB.DLL", "Microsoft Word", "Microsoft Office", MICROSOFT, office);
    put("mso.dll", "MSO.DLL", "Microsoft Office component", "Microsoft Office", MICROSOFT, office);
    put(
        "mso20win32client.dll",
        "mso20win32client.dll",
        "Microsoft Office component",
        "Microsoft Office",
        MICROSOFT,
        office);
    put(
        "vbe7.dll",
        "VBE7.DLL",
        "Visual Basic for Applications Runtime",
        "Visual Basic for Applications",
        MICROSOFT,
        "7.01.1054");
    put(
        "appvisvsubsystems64.dll",
        "AppvIsvSubsystems64.dll",
        "Client Virtualization Subsystems",
        "Microsoft Office",
        MICROSOFT,
        "16.0.18129.20100");
    String teams = "25060.205.3499.6849";
    put("ms-teams.exe", "ms-teams.exe", "Microsoft Teams", "Microsoft Teams", MICROSOFT, teams);
    put(
        "msedgewebview2.dll",
        "msedgewebview2.dll",
        "Microsoft Edge WebView2",
        "Microsoft Edge WebView2",
        MICROSOFT,
        edge);
    put(
        "webview2loader.dll",
        "WebView2Loader.dll",
        "",
        "Microsoft Edge WebView2",
        MICROSOFT,
        "1.0.2849.39");
    put(
        "googleupdate.exe",
        "GoogleUpdate.exe",
        "Google Installer",
        "Google Update",
        "Google LLC",
        "1.3.36.372");
    put(
        "microsoftedgeupdate.exe",
        "msedgeupdate.exe",
        "Microsoft Edge Update",
        "Microsoft Edge Update",
        MICROSOFT,
        "1.3.195.35");
    String sql = "2022.0160.1000.06 ((SQL22_RTM).221024-1755)";
    put(
        "sqlservr.exe",
        "SQLSERVR.EXE",
        "SQL Server Windows NT - 64 Bit",
        "Microsoft SQL Server",
        MICROSOFT,
        sql);
    for (String dll : new String[] {"sqlmin.dll", "sqllang.dll", "sqldk.dll", "sqlos.dll"}) {
      put(
          dll,
          dll.toUpperCase(Locale.ROOT),
          "SQL Server Windows NT - 64 Bit",
          "Microsoft SQL Server",
          MICROSOFT,
          sql);
    }
    String contoso = "7.4.1203.0";
    put(
        "contosoagent.exe",
        "ContosoAgent.exe",
        "Contoso Endpoint Agent",
        "Contoso Endpoint Security",
        "Contoso Security Ltd",
        contoso);
    put(
        "contosocore.dll",
        "ContosoCore.dll",
        "Contoso Endpoint Agent Core",
        "Contoso Endpoint Security",
        "Contoso Security Ltd",
        contoso);
    put(
        "contosohook64.dll",
        "ContosoHook64.dll",
        "Contoso Endpoint Monitor (x64)",
        "Contoso Endpoint Security",
        "Contoso Security Ltd",
        contoso);
    put(
        "duocredprov.dll",
        "DuoCredProv.dll",
        "Duo Credential Provider",
        "Duo Authentication for Windows Logon",
        "Duo Security LLC",
        "4.3.1.0");
    put("timesheet.exe", "Timesheet.exe", "Acme Timesheet", "Timesheet", "Acme Corp", "3.2.0.114");
    put("acmecore.dll", "AcmeCore.dll", "", "Timesheet", "Acme Corp", "3.2.0.114");
    put("acmereports.dll", "acmereports.dll", "Acme Reports", "Timesheet", "Acme Corp", "3.2.0.0");
    put(
        "notepad++.exe",
        "notepad++.exe",
        "Notepad++",
        "Notepad++",
        "Don HO don.h@free.fr",
        "8.6.9");
    put(
        "onedrivestandaloneupdater.exe",
        "OneDriveStandaloneUpdater.exe",
        "Standalone Updater",
        "Microsoft OneDrive",
        MICROSOFT,
        "24.201.1006.0005");
  }

  private VersionResources() {}

  /**
   * The resource of the file at {@code path} signed by {@code signer} (null: unsigned), or null
   * when the file carries none.
   */
  static VersionResource of(String path, String signer) {
    String lower = path.toLowerCase(Locale.ROOT);
    String name = lower.substring(lower.lastIndexOf('\\') + 1);
    VersionResource known = BY_NAME.get(name);
    if (known == null) {
      int system32 = lower.indexOf("\\system32\\");
      if (system32 >= 0) {
        known = BY_NAME.get(lower.substring(system32 + "\\system32\\".length()));
      }
    }
    if (known != null) {
      return known;
    }
    if (WindowsImages.MICROSOFT_WINDOWS.equals(signer)) {
      String original = path.substring(path.lastIndexOf('\\') + 1);
      String base =
          original.substring(
              0, original.lastIndexOf('.') < 0 ? original.length() : original.lastIndexOf('.'));
      return new VersionResource(
          original,
          base + kindOf(original.toLowerCase(Locale.ROOT)),
          WINDOWS_PRODUCT,
          MICROSOFT,
          "10.0.19041." + (1 + Math.floorMod(name.hashCode(), 5000)) + WINBUILD);
    }
    return null;
  }

  private static String kindOf(String lowerName) {
    if (lowerName.endsWith(".exe")) {
      return " application";
    }
    return lowerName.endsWith(".sys") ? " driver" : " library";
  }

  private static void windows(String name, String original, String description, int revision) {
    put(
        name,
        original,
        description,
        WINDOWS_PRODUCT,
        MICROSOFT,
        "10.0.19041." + revision + WINBUILD);
  }

  private static void put(
      String name,
      String original,
      String description,
      String product,
      String company,
      String fileVersion) {
    BY_NAME.put(
        name.toLowerCase(Locale.ROOT),
        new VersionResource(original, description, product, company, fileVersion));
  }
}
