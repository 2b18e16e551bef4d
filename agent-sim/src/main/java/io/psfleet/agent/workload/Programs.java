package io.psfleet.agent.workload;

import static io.psfleet.agent.workload.Account.ADMIN;
import static io.psfleet.agent.workload.Account.NETWORK_SERVICE;
import static io.psfleet.agent.workload.Account.SYSTEM;
import static io.psfleet.agent.workload.Account.USER;

import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.workload.HostProfile.Kind;
import io.psfleet.agent.workload.HostProfile.Launch;
import io.psfleet.agent.workload.Program.Child;
import java.util.ArrayList;
import java.util.List;

/**
 * The programs a fleet runs and the three host profiles built from them. Trees and command lines
 * follow ../shared/WINDOWS.md: user applications under explorer, COM servers under the DcomLaunch
 * svchost, scheduled work under the Schedule svchost, a conhost for every console program.
 */
public final class Programs {
  public final Program conhost;
  public final Program cmdInteractive;
  public final Program powershellUser;
  public final Program powershellAdmin;
  public final Program cmdAdmin;
  public final Program consent;
  public final Program werFault;
  public final Program debugger;
  public final Program notepad;
  public final Program winword;
  public final Program excel;
  public final Program splwow64;
  public final Program rundll32;
  public final Program edrAgent;
  public final Program msMpEng;
  public final Program searchIndexer;
  public final Program spoolsv;

  private final HostProfile workstation;
  private final HostProfile server;
  private final HostProfile domainController;

  public Programs(WindowsImages w) {
    List<ModuleSet> console = List.of(w.core);
    List<ModuleSet> desktop = List.of(w.core, w.gui);
    List<ModuleSet> connected = List.of(w.core, w.gui, w.network);

    conhost =
        program(
            "conhost",
            w.conhost,
            List.of("\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"),
            USER,
            List.of(w.core, w.gui),
            0,
            3);
    List<Child> tools = new ArrayList<>();
    for (ImageFile tool : w.consoleTools) {
      tools.add(
          new Child(
              program(
                  tool.fileName(),
                  tool,
                  List.of(tool.fileName().replace(".exe", "")),
                  USER,
                  List.of(w.core, w.network),
                  1.5,
                  0),
              0.3,
              1,
              1,
              3));
    }
    List<Child> cmdChildren = new ArrayList<>(tools);
    cmdChildren.add(0, new Child(conhost, 1, 1, 1, 0.05));
    cmdInteractive =
        program(
            "cmd",
            w.cmd,
            List.of("\"C:\\Windows\\system32\\cmd.exe\" ", "cmd.exe /k cd %USERPROFILE%"),
            USER,
            console,
            120,
            1,
            cmdChildren);
    cmdAdmin =
        program(
            "cmd-admin",
            w.cmd,
            List.of("\"C:\\Windows\\system32\\cmd.exe\" "),
            ADMIN,
            console,
            300,
            1,
            cmdChildren);
    List<ModuleSet> psModules = List.of(w.core, w.gui, w.network, w.dotnet);
    List<String> psLines =
        List.of(
            "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" ",
            "powershell.exe -NoLogo",
            "powershell.exe Get-ChildItem -Recurse *.log");
    powershellUser =
        program(
            "powershell",
            w.powershell,
            psLines,
            USER,
            psModules,
            300,
            14,
            List.of(new Child(conhost, 1, 1, 1, 0.05)));
    powershellAdmin =
        program(
            "powershell-admin",
            w.powershell,
            psLines,
            ADMIN,
            psModules,
            600,
            14,
            List.of(new Child(conhost, 1, 1, 1, 0.05)));
    consent =
        program(
            "consent",
            w.consent,
            List.of("consent.exe 1060 372 000001D9F7A1C2B0"),
            SYSTEM,
            desktop,
            4,
            5);
    werFault =
        program(
            "werfault",
            w.werFault,
            List.of("C:\\Windows\\system32\\WerFault.exe -u -p 7316 -s 468"),
            USER,
            connected,
            8,
            4);
    debugger =
        program(
            "vsjitdebugger",
            w.vsDebugger,
            List.of("vsjitdebugger.exe -p 5512 -e 2024"),
            USER,
            connected,
            60,
            6);
    notepad =
        program(
            "notepad",
            w.notepad,
            List.of(
                "\"C:\\Windows\\system32\\notepad.exe\" ",
                "notepad.exe C:\\Users\\Public\\notes.txt"),
            USER,
            desktop,
            900,
            5);

    Program renderer =
        program(
            "chrome-renderer",
            w.chrome,
            List.of(
                "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer --lang=en-US --renderer-client-id=7"),
            USER,
            List.of(w.core, w.gui, w.chromeModules),
            0,
            14);
    Program gpu =
        program(
            "chrome-gpu",
            w.chrome,
            List.of(
                "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=gpu-process"),
            USER,
            List.of(w.core, w.gui, w.chromeModules),
            0,
            12);
    Program chrome =
        program(
            "chrome",
            w.chrome,
            List.of("\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" "),
            USER,
            List.of(w.core, w.gui, w.network, w.chromeModules),
            5400,
            32,
            List.of(new Child(gpu, 1, 1, 1, 0.3), new Child(renderer, 1, 2, 5, 0.5)));
    Program edgeRenderer =
        program(
            "msedge-renderer",
            w.msedge,
            List.of(
                "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --type=renderer"),
            USER,
            List.of(w.core, w.gui, w.edgeModules),
            0,
            14);
    Program edge =
        program(
            "msedge",
            w.msedge,
            List.of("\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" "),
            USER,
            List.of(w.core, w.gui, w.network, w.edgeModules),
            3600,
            32,
            List.of(new Child(edgeRenderer, 1, 1, 3, 0.5)));
    splwow64 =
        program(
            "splwow64",
            w.splwow64,
            List.of("C:\\Windows\\splwow64.exe 12288"),
            USER,
            desktop,
            0,
            5);
    winword =
        program(
            "winword",
            w.winword,
            List.of(
                "\"C:\\Program Files\\Microsoft Office\\Root\\Office16\\WINWORD.EXE\" /n \"C:\\Users\\Public\\Documents\\Quarterly report.docx\""),
            USER,
            List.of(w.core, w.gui, w.network, w.officeModules),
            2400,
            36,
            List.of(new Child(splwow64, 0.2, 1, 1, 30)));
    excel =
        program(
            "excel",
            w.excel,
            List.of("\"C:\\Program Files\\Microsoft Office\\Root\\Office16\\EXCEL.EXE\" "),
            USER,
            List.of(w.core, w.gui, w.network, w.officeModules),
            2400,
            36);
    Program outlook =
        program(
            "outlook",
            w.outlook,
            List.of("\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" "),
            USER,
            List.of(w.core, w.gui, w.network, w.officeModules),
            14400,
            48);
    Program teams =
        program(
            "teams",
            w.teams,
            List.of("\"ms-teams.exe\" --system-initiated"),
            USER,
            List.of(w.core, w.gui, w.network, w.teamsModules),
            14400,
            40);
    Program taskhostw =
        program(
            "taskhostw",
            w.taskhostw,
            List.of("taskhostw.exe", "taskhostw.exe Install $(Arg0)"),
            USER,
            desktop,
            120,
            8);
    Program wmi =
        program(
            "wmiprvse",
            w.wmiPrvSe,
            List.of(
                "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
                "C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding"),
            NETWORK_SERVICE,
            List.of(w.core, w.network),
            300,
            10);
    Program broker =
        program(
            "runtimebroker",
            w.runtimeBroker,
            List.of("C:\\Windows\\System32\\RuntimeBroker.exe -Embedding"),
            USER,
            desktop,
            600,
            6);
    Program dllhost =
        program(
            "dllhost",
            w.dllhost,
            List.of(
                "C:\\Windows\\system32\\DllHost.exe /Processid:{AB8902B4-09CA-4BB6-B78D-A8F59079A8D5}"),
            USER,
            desktop,
            30,
            5);
    Program searchProtocol =
        program(
            "searchprotocolhost",
            w.searchProtocolHost,
            List.of(
                "\"C:\\Windows\\system32\\SearchProtocolHost.exe\" Global\\UsGthrFltPipeMssGthrPipe1_ Global\\UsGthrCtrlFltPipeMssGthrPipe1 1 -2147483646 \"Software\\Microsoft\\Windows Search\" \"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)\" \"C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc\" \"DownLevelDaemon\""),
            SYSTEM,
            console,
            60,
            6);
    Program mpCmdRun =
        program(
            "mpcmdrun",
            w.mpCmdRun,
            List.of(
                "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.25070.5-0\\MpCmdRun.exe\" SignaturesUpdateService -ScheduleJob -UnmanagedUpdate"),
            SYSTEM,
            List.of(w.core, w.network),
            45,
            5);
    Program googleUpdate =
        program(
            "googleupdate",
            w.googleUpdate,
            List.of(
                "\"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe\" /ua /installsource scheduler"),
            SYSTEM,
            List.of(w.core, w.network),
            30,
            4);
    Program edgeUpdate =
        program(
            "edgeupdate",
            w.edgeUpdate,
            List.of(
                "\"C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe\" /ua /installsource scheduler"),
            SYSTEM,
            List.of(w.core, w.network),
            30,
            4);
    Program gpupdate =
        program(
            "gpupdate",
            w.consoleTools.get(8),
            List.of("gpupdate.exe /target:computer"),
            SYSTEM,
            List.of(w.core, w.network),
            10,
            2,
            List.of(new Child(conhost, 1, 1, 1, 0.05)));

    msMpEng =
        program(
            "msmpeng",
            w.msMpEng,
            List.of(
                "\"C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\4.18.25070.5-0\\MsMpEng.exe\""),
            SYSTEM,
            List.of(w.core, w.network, w.defenderModules),
            Double.MAX_VALUE,
            40);
    searchIndexer =
        program(
            "searchindexer",
            w.searchIndexer,
            List.of("C:\\Windows\\system32\\SearchIndexer.exe /Embedding"),
            SYSTEM,
            List.of(w.core, w.network),
            Double.MAX_VALUE,
            25);
    spoolsv =
        program(
            "spoolsv",
            w.spoolsv,
            List.of("C:\\Windows\\System32\\spoolsv.exe"),
            SYSTEM,
            List.of(w.core, w.network),
            Double.MAX_VALUE,
            12);
    edrAgent =
        program(
            "contoso-agent",
            w.edrAgent,
            List.of(
                "\"C:\\Program Files\\Contoso Security\\Endpoint Agent\\ContosoAgent.exe\" --service"),
            SYSTEM,
            List.of(w.core, w.network, w.edrModules),
            Double.MAX_VALUE,
            30);
    Program w3wp =
        program(
            "w3wp",
            w.w3wp,
            List.of(
                "c:\\windows\\system32\\inetsrv\\w3wp.exe -ap \"DefaultAppPool\" -v \"v4.0\" -l \"webengine4.dll\" -a \\\\.\\pipe\\iisipm2f4c -h \"C:\\inetpub\\temp\\apppools\\DefaultAppPool\\DefaultAppPool.config\""),
            NETWORK_SERVICE,
            List.of(w.core, w.network, w.dotnet, w.iisModules),
            1800,
            30);
    Program sqlservr =
        program(
            "sqlservr",
            w.sqlservr,
            List.of(
                "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe\" -sMSSQLSERVER"),
            NETWORK_SERVICE,
            List.of(w.core, w.network, w.sqlModules),
            Double.MAX_VALUE,
            60);
    Program dns =
        program(
            "dns",
            w.dnsServer,
            List.of("C:\\Windows\\system32\\dns.exe"),
            SYSTEM,
            List.of(w.core, w.network),
            Double.MAX_VALUE,
            20);
    Program dfsr =
        program(
            "dfsrs",
            w.dfsrs,
            List.of("C:\\Windows\\system32\\DFSRs.exe"),
            SYSTEM,
            List.of(w.core, w.network),
            Double.MAX_VALUE,
            15);
    Program timesheet =
        program(
            "timesheet",
            w.legacyApp,
            List.of("\"C:\\Program Files (x86)\\Acme\\Timesheet\\timesheet.exe\" "),
            USER,
            List.of(w.core, w.gui, w.network, w.legacyModules),
            1800,
            6);
    rundll32 =
        program(
            "rundll32",
            w.lolbins.get(0),
            List.of("rundll32.exe shell32.dll,Control_RunDLL desk.cpl"),
            USER,
            desktop,
            5,
            2);

    workstation =
        new HostProfile(
            Kind.WORKSTATION,
            23,
            List.of(
                new Launch(chrome, Launcher.EXPLORER, 2),
                new Launch(edge, Launcher.EXPLORER, 1),
                new Launch(winword, Launcher.EXPLORER, 2),
                new Launch(excel, Launcher.EXPLORER, 1.5),
                new Launch(outlook, Launcher.EXPLORER, 0.5),
                new Launch(teams, Launcher.EXPLORER, 0.5),
                new Launch(notepad, Launcher.EXPLORER, 2),
                new Launch(cmdInteractive, Launcher.EXPLORER, 1.5),
                new Launch(powershellUser, Launcher.EXPLORER, 0.5),
                new Launch(powershellAdmin, Launcher.UAC_ELEVATION, 0.3),
                new Launch(cmdAdmin, Launcher.UAC_ELEVATION, 0.2),
                new Launch(rundll32, Launcher.EXPLORER, 0.5),
                new Launch(timesheet, Launcher.EXPLORER, 0.3),
                new Launch(taskhostw, Launcher.TASK_SCHEDULER, 3),
                new Launch(googleUpdate, Launcher.TASK_SCHEDULER, 1),
                new Launch(edgeUpdate, Launcher.TASK_SCHEDULER, 1),
                new Launch(wmi, Launcher.DCOM_LAUNCH, 2),
                new Launch(broker, Launcher.DCOM_LAUNCH, 2),
                new Launch(dllhost, Launcher.DCOM_LAUNCH, 3),
                new Launch(searchProtocol, Launcher.SEARCH_INDEXER, 4),
                new Launch(mpCmdRun, Launcher.DEFENDER, 1)),
            List.of(spoolsv, msMpEng, searchIndexer, edrAgent));
    server =
        new HostProfile(
            Kind.SERVER,
            15,
            List.of(
                new Launch(w3wp, Launcher.SERVICES, 2),
                new Launch(taskhostw, Launcher.TASK_SCHEDULER, 3),
                new Launch(gpupdate, Launcher.TASK_SCHEDULER, 1),
                new Launch(wmi, Launcher.DCOM_LAUNCH, 4),
                new Launch(dllhost, Launcher.DCOM_LAUNCH, 2),
                new Launch(mpCmdRun, Launcher.DEFENDER, 1),
                new Launch(cmdAdmin, Launcher.EXPLORER, 0.5),
                new Launch(powershellAdmin, Launcher.EXPLORER, 1)),
            List.of(spoolsv, msMpEng, edrAgent, sqlservr));
    domainController =
        new HostProfile(
            Kind.DOMAIN_CONTROLLER,
            30,
            List.of(
                new Launch(taskhostw, Launcher.TASK_SCHEDULER, 3),
                new Launch(gpupdate, Launcher.TASK_SCHEDULER, 2),
                new Launch(wmi, Launcher.DCOM_LAUNCH, 5),
                new Launch(dllhost, Launcher.DCOM_LAUNCH, 2),
                new Launch(mpCmdRun, Launcher.DEFENDER, 1),
                new Launch(powershellAdmin, Launcher.EXPLORER, 1)),
            List.of(msMpEng, edrAgent, dns, dfsr));
  }

  public HostProfile profile(Kind kind) {
    return switch (kind) {
      case WORKSTATION -> workstation;
      case SERVER -> server;
      case DOMAIN_CONTROLLER -> domainController;
    };
  }

  private static Program program(
      String name,
      ImageFile image,
      List<String> commandLines,
      Account account,
      List<ModuleSet> modules,
      double medianLifetimeSeconds,
      int workerThreads) {
    return program(
        name,
        image,
        commandLines,
        account,
        modules,
        medianLifetimeSeconds,
        workerThreads,
        List.of());
  }

  private static Program program(
      String name,
      ImageFile image,
      List<String> commandLines,
      Account account,
      List<ModuleSet> modules,
      double medianLifetimeSeconds,
      int workerThreads,
      List<Child> children) {
    return new Program(
        name,
        image,
        commandLines,
        account,
        modules,
        medianLifetimeSeconds,
        workerThreads,
        children);
  }
}
