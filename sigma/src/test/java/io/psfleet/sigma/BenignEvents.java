package io.psfleet.sigma;

import io.psfleet.winevent.WinEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A deterministic mix of ordinary Windows process creations and DLL loads (Sysmon 1 and 7). */
final class BenignEvents {
  private static final String[][] PROCESSES = {
    {
      "C:\\Windows\\System32\\svchost.exe",
      "svchost.exe",
      "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
      "C:\\Windows\\System32\\services.exe"
    },
    {
      "C:\\Windows\\System32\\svchost.exe",
      "svchost.exe",
      "C:\\Windows\\system32\\svchost.exe -k LocalServiceNetworkRestricted -p",
      "C:\\Windows\\System32\\services.exe"
    },
    {
      "C:\\Windows\\System32\\conhost.exe",
      "CONHOST.EXE",
      "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1",
      "C:\\Windows\\System32\\cmd.exe"
    },
    {
      "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
      "chrome.exe",
      "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer --display-capture-permissions-policy-allowed --lang=en-US --device-scale-factor=1 --num-raster-threads=4 --enable-main-frame-before-activation --renderer-client-id=12 --mojo-platform-channel-handle=4120 /prefetch:1",
      "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"
    },
    {
      "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
      "WinWord.exe",
      "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n \"C:\\Users\\alice\\Documents\\Quarterly report.docx\" /o \"\"",
      "C:\\Windows\\explorer.exe"
    },
    {
      "C:\\Windows\\System32\\cmd.exe",
      "Cmd.Exe",
      "C:\\Windows\\system32\\cmd.exe /c \"C:\\Program Files\\Backup\\nightly.bat\"",
      "C:\\Windows\\System32\\svchost.exe"
    },
    {
      "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
      "PowerShell.EXE",
      "powershell.exe -NoProfile -File C:\\ProgramData\\Scripts\\inventory.ps1",
      "C:\\Windows\\System32\\svchost.exe"
    },
    {
      "C:\\Windows\\System32\\taskhostw.exe",
      "taskhostw.exe",
      "taskhostw.exe Install $(Arg0)",
      "C:\\Windows\\System32\\svchost.exe"
    },
    {
      "C:\\Windows\\System32\\RuntimeBroker.exe",
      "RuntimeBroker.exe",
      "C:\\Windows\\System32\\RuntimeBroker.exe -Embedding",
      "C:\\Windows\\System32\\svchost.exe"
    },
    {
      "C:\\Program Files\\Git\\cmd\\git.exe",
      "git.exe",
      "git fetch --prune origin",
      "C:\\Program Files\\Microsoft VS Code\\Code.exe"
    },
    {
      "C:\\Program Files\\Microsoft VS Code\\Code.exe",
      "electron.exe",
      "\"C:\\Program Files\\Microsoft VS Code\\Code.exe\" --type=utility --utility-sub-type=node.mojom.NodeService --lang=en-US --service-sandbox-type=none",
      "C:\\Program Files\\Microsoft VS Code\\Code.exe"
    },
    {
      "C:\\Windows\\System32\\SearchProtocolHost.exe",
      "SearchProtocolHost.exe",
      "\"C:\\Windows\\system32\\SearchProtocolHost.exe\" Global\\UsGthrFltPipeMssGthrPipe12_ Global\\UsGthrCtrlFltPipeMssGthrPipe12 1 -2147483646 \"Software\\Microsoft\\Windows Search\" \"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)\"",
      "C:\\Windows\\System32\\SearchIndexer.exe"
    },
    {
      "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
      "Wmiprvse.exe",
      "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
      "C:\\Windows\\System32\\svchost.exe"
    },
    {
      "C:\\Windows\\System32\\msiexec.exe",
      "msiexec.exe",
      "C:\\Windows\\system32\\msiexec.exe /V",
      "C:\\Windows\\System32\\services.exe"
    },
    {
      "C:\\Windows\\System32\\notepad.exe",
      "NOTEPAD.EXE",
      "\"C:\\Windows\\system32\\notepad.exe\" C:\\Users\\bob\\Desktop\\todo.txt",
      "C:\\Windows\\explorer.exe"
    },
    {
      "C:\\Program Files\\Mozilla Firefox\\firefox.exe",
      "firefox.exe",
      "\"C:\\Program Files\\Mozilla Firefox\\firefox.exe\" -contentproc --channel=1744 -childID 7 -isForBrowser -prefsLen 31000 -prefMapSize 244000 -jsInitLen 240000 -parentBuildID 20240101000000 -appDir \"C:\\Program Files\\Mozilla Firefox\\browser\" - 5212 true tab",
      "C:\\Program Files\\Mozilla Firefox\\firefox.exe"
    },
    {
      "C:\\Windows\\System32\\dllhost.exe",
      "dllhost.exe",
      "C:\\Windows\\system32\\DllHost.exe /Processid:{3EB3C877-1F16-487C-9050-104DBCD66683}",
      "C:\\Windows\\System32\\svchost.exe"
    },
    {
      "C:\\Windows\\System32\\backgroundTaskHost.exe",
      "backgroundTaskHost.exe",
      "\"C:\\Windows\\system32\\backgroundTaskHost.exe\" -ServerName:BackgroundTaskHost.WebAccountProvider",
      "C:\\Windows\\System32\\svchost.exe"
    },
    {
      "C:\\Program Files\\Java\\jdk-17\\bin\\java.exe",
      "java.exe",
      "\"C:\\Program Files\\Java\\jdk-17\\bin\\java.exe\" -Xmx2g -jar C:\\apps\\service\\service.jar --spring.profiles.active=prod",
      "C:\\Windows\\System32\\services.exe"
    },
    {
      "C:\\Windows\\System32\\ipconfig.exe",
      "ipconfig.exe",
      "ipconfig /renew",
      "C:\\Windows\\System32\\cmd.exe"
    },
    {
      "C:\\Windows\\System32\\reg.exe",
      "reg.exe",
      "reg query HKCU\\Software\\Contoso\\Settings /v Theme",
      "C:\\Windows\\System32\\cmd.exe"
    },
    {
      "C:\\Windows\\System32\\robocopy.exe",
      "robocopy.exe",
      "robocopy C:\\Data \\\\fileserver\\backup\\Data /MIR /R:2 /W:5 /LOG:C:\\Logs\\robocopy.log",
      "C:\\Windows\\System32\\cmd.exe"
    },
    {
      "C:\\Program Files\\7-Zip\\7z.exe",
      "7z.exe",
      "\"C:\\Program Files\\7-Zip\\7z.exe\" x C:\\Users\\alice\\Downloads\\photos.zip -oC:\\Users\\alice\\Pictures\\Holiday",
      "C:\\Windows\\explorer.exe"
    },
    {
      "C:\\Windows\\System32\\MpCmdRun.exe",
      "MpCmdRun.exe",
      "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2311.5-0\\MpCmdRun.exe\" -wdenable",
      "C:\\Windows\\System32\\svchost.exe"
    },
  };
  private static final String[][] LOADS = {
    {"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\ntdll.dll", "ntdll.dll"},
    {"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\kernel32.dll", "kernel32"},
    {
      "C:\\Windows\\System32\\svchost.exe",
      "C:\\Windows\\System32\\KernelBase.dll",
      "kernelbase.dll"
    },
    {
      "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
      "C:\\Windows\\System32\\user32.dll",
      "user32"
    },
    {
      "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
      "C:\\Program Files\\Google\\Chrome\\Application\\120.0.6099.130\\chrome.dll",
      "chrome.dll"
    },
    {
      "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
      "C:\\Program Files\\Microsoft Office\\root\\Office16\\wwlib.dll",
      "wwlib.dll"
    },
    {
      "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
      "C:\\Windows\\System32\\combase.dll",
      "COMBASE.DLL"
    },
    {"C:\\Windows\\explorer.exe", "C:\\Windows\\System32\\shell32.dll", "SHELL32.DLL"},
    {
      "C:\\Windows\\explorer.exe",
      "C:\\Windows\\System32\\windows.storage.dll",
      "Windows.Storage.dll"
    },
    {
      "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
      "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\clr.dll",
      "clr.dll"
    },
    {
      "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
      "C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\System.Management.Automation\\System.Management.Automation.ni.dll",
      "System.Management.Automation.dll"
    },
    {
      "C:\\Program Files\\Mozilla Firefox\\firefox.exe",
      "C:\\Program Files\\Mozilla Firefox\\xul.dll",
      "xul.dll"
    },
    {"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\rpcrt4.dll", "rpcrt4.dll"},
    {"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\sechost.dll", "sechost.dll"},
    {
      "C:\\Program Files\\Microsoft VS Code\\Code.exe",
      "C:\\Windows\\System32\\d3d11.dll",
      "d3d11.dll"
    },
    {
      "C:\\Program Files\\Microsoft VS Code\\Code.exe",
      "C:\\Program Files\\Microsoft VS Code\\ffmpeg.dll",
      "ffmpeg.dll"
    },
  };
  private static final String[] USERS = {
    "CONTOSO\\alice", "CONTOSO\\bob", "NT AUTHORITY\\SYSTEM", "NT AUTHORITY\\LOCAL SERVICE"
  };

  private BenignEvents() {}

  /** Every process creation and image load of the mix once each, process creations first. */
  static List<WinEvent> sample() {
    List<WinEvent> out = new ArrayList<>();
    for (int i = 0; i < PROCESSES.length; i++) {
      out.add(processCreation(i, out.size()));
    }
    for (int i = 0; i < LOADS.length; i++) {
      out.add(imageLoad(i, out.size()));
    }
    return out;
  }

  private static WinEvent processCreation(int i, int index) {
    String[] p = PROCESSES[i];
    Map<String, String> d = new LinkedHashMap<>();
    d.put("RuleName", "-");
    d.put("UtcTime", "2024-01-15 10:00:00.000");
    d.put("ProcessGuid", "{8a8a8a8a-0000-0000-0000-0000000000" + String.format("%02d", i) + "}");
    d.put("ProcessId", Integer.toString(4000 + i));
    d.put("Image", p[0]);
    d.put("FileVersion", "10.0.19041.1");
    d.put("Description", p[1]);
    d.put("Product", "Microsoft® Windows® Operating System");
    d.put("Company", "Microsoft Corporation");
    d.put("OriginalFileName", p[1]);
    d.put("CommandLine", p[2]);
    d.put("CurrentDirectory", "C:\\Windows\\system32\\");
    d.put("User", USERS[i % USERS.length]);
    d.put("LogonGuid", "{8a8a8a8a-1111-0000-0000-000000000000}");
    d.put("LogonId", "0x3e7");
    d.put("TerminalSessionId", "0");
    d.put("IntegrityLevel", i % 3 == 0 ? "System" : "Medium");
    d.put(
        "Hashes",
        "SHA1=0123456789ABCDEF0123456789ABCDEF01234567,MD5=0123456789ABCDEF0123456789ABCDEF,SHA256=0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF,IMPHASH=0123456789ABCDEF0123456789ABCDEF");
    d.put("ParentProcessGuid", "{8a8a8a8a-2222-0000-0000-000000000000}");
    d.put("ParentProcessId", "700");
    d.put("ParentImage", p[3]);
    d.put("ParentCommandLine", p[3]);
    d.put("ParentUser", "NT AUTHORITY\\SYSTEM");
    return event(1, index, d);
  }

  private static WinEvent imageLoad(int i, int index) {
    String[] l = LOADS[i];
    Map<String, String> d = new LinkedHashMap<>();
    d.put("RuleName", "-");
    d.put("UtcTime", "2024-01-15 10:00:01.000");
    d.put("ProcessGuid", "{8a8a8a8a-3333-0000-0000-000000000000}");
    d.put("ProcessId", Integer.toString(5000 + i));
    d.put("Image", l[0]);
    d.put("ImageLoaded", l[1]);
    d.put("FileVersion", "10.0.19041.1");
    d.put("Description", l[2]);
    d.put("Product", "Microsoft® Windows® Operating System");
    d.put("Company", "Microsoft Corporation");
    d.put("OriginalFileName", l[2]);
    d.put(
        "Hashes",
        "SHA1=89ABCDEF0123456789ABCDEF0123456789ABCDEF,MD5=89ABCDEF0123456789ABCDEF01234567");
    d.put("Signed", "true");
    d.put("Signature", "Microsoft Windows");
    d.put("SignatureStatus", "Valid");
    d.put("User", USERS[i % USERS.length]);
    return event(7, index, d);
  }

  private static WinEvent event(int id, int index, Map<String, String> data) {
    return new WinEvent(
        "benign",
        index,
        "Microsoft-Windows-Sysmon",
        "Microsoft-Windows-Sysmon/Operational",
        id,
        Instant.parse("2024-01-15T10:00:00Z"),
        "ws01.contoso.local",
        index,
        data);
  }
}
