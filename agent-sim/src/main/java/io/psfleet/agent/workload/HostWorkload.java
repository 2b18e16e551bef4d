package io.psfleet.agent.workload;

import io.psfleet.agent.kernel.Created;
import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.EThread;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.ProcessParameters;
import io.psfleet.agent.kernel.ProcessToken;
import io.psfleet.agent.kernel.ProcessToken.IntegrityLevel;
import io.psfleet.agent.kernel.PsProtection;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * One host's benign life on its kernel: it boots Windows as ../shared/WINDOWS.md describes, then
 * launches programs at the profile's rate (a Poisson process), and each program maps its modules,
 * starts its threads and children and exits after a log-normal lifetime. Everything runs from an
 * agenda in simulated time, driven by {@link #advanceTo}, so a host costs nothing between its
 * events and the same seed gives the same life.
 *
 * <p>The boot tree: System starts smss, whose per-session copies start csrss with wininit (session
 * 0) or winlogon (session 1) and exit, so those processes' parents are gone; wininit starts
 * services and lsass; services starts the svchost groups and the profile's services; winlogon
 * starts userinit, which starts explorer and exits.
 */
public final class HostWorkload {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final String[][] SVCHOST_GROUPS = {
    {"DcomLaunch", "DcomLaunch"},
    {"RPCSS", "RpcSs"},
    {"LocalServiceNetworkRestricted", "Dhcp"},
    {"netsvcs", "Schedule"},
    {"netsvcs", "Appinfo"},
    {"NetworkService", "Dnscache"},
    {"LocalSystemNetworkRestricted", "SysMain"}
  };
  private static final int DCOM_LAUNCH = 0;
  private static final int SCHEDULE = 3;
  private static final int APPINFO = 4;
  private static final ProcessToken LOCAL_SERVICE_TOKEN =
      new ProcessToken("NT AUTHORITY\\LOCAL SERVICE", IntegrityLevel.SYSTEM, 0);
  private static final ProcessToken NETWORK_SERVICE_TOKEN =
      new ProcessToken("NT AUTHORITY\\NETWORK SERVICE", IntegrityLevel.SYSTEM, 0);
  private static final ProcessToken SESSION1_SYSTEM =
      new ProcessToken(ProcessToken.SYSTEM.user(), IntegrityLevel.SYSTEM, 1);

  private final Kernel kernel;
  private final WindowsImages images;
  private final Programs programs;
  private final HostProfile profile;
  private final SplittableRandom random;
  private final Agenda agenda = new Agenda();
  private final String userName;
  private final ProcessToken user;
  private final ProcessToken admin;
  private final double meanSecondsBetweenLaunches;
  private final double totalLaunchWeight;
  private final List<RunningProcess> apps = new ArrayList<>();
  private EProcess explorer;
  private EProcess services;
  private EProcess lsass;
  private PsProtection lsassProtection = PsProtection.NONE;
  private EProcess winlogon;
  private EProcess csrssSession1;
  private final List<EProcess> svchosts = new ArrayList<>();
  private final List<RunningProcess> bootServices = new ArrayList<>();
  private final java.util.Set<ImageFile> loadedDrivers = new java.util.HashSet<>();

  /**
   * @param userName the interactive user's account name (the domain is CORP)
   * @param seed this host's own seed: one host's life does not depend on any other's
   */
  public HostWorkload(
      Kernel kernel,
      WindowsImages images,
      Programs programs,
      HostProfile profile,
      String userName,
      long seed) {
    this.kernel = kernel;
    this.images = images;
    this.programs = programs;
    this.profile = profile;
    this.random = new SplittableRandom(seed);
    this.userName = userName;
    // LSA hands out a logon id per interactive logon, a few hundred thousand up on a running
    // host; UAC's filtered (medium) and elevated (high) tokens are two linked logon sessions.
    long logonId = 0x20000 + random.nextInt(0x7E0000);
    long logonTime = kernel.now() + (20 + random.nextInt(40)) * SECOND;
    this.admin = new ProcessToken("CORP\\" + userName, IntegrityLevel.HIGH, 1, logonId, logonTime);
    this.user =
        new ProcessToken(
            "CORP\\" + userName,
            IntegrityLevel.MEDIUM,
            1,
            logonId + 0x43 + random.nextInt(64),
            logonTime);
    this.meanSecondsBetweenLaunches = 3600.0 / profile.launchesPerHour();
    double weights = 0;
    for (HostProfile.Launch launch : profile.launches()) {
      weights += launch.weight();
    }
    this.totalLaunchWeight = weights;
  }

  // ---------------------------------------------------------------- driving

  /**
   * Runs lsass as a protected process light (LSA protection, RunAsPPL) from the next boot on:
   * unprotected processes then get only limited access to it, so credential dumpers are refused.
   */
  public void runLsassAsPpl() {
    lsassProtection = PsProtection.LSA_LIGHT;
  }

  /** Boots the host now (its kernel's clock) and schedules its first launch. */
  public void boot() {
    // System-start drivers load before the Session Manager starts (IoInitSystem).
    for (ImageFile driver : images.bootDrivers) {
      kernel.advanceClockTo(kernel.now() + 2 * MS + random.nextInt(8) * MS);
      loadDriver(driver);
    }
    EProcess smss =
        start(
            kernel.systemThread(),
            images.smss,
            "\\SystemRoot\\System32\\smss.exe",
            ProcessToken.SYSTEM,
            null,
            List.of());
    EProcess smss0 =
        start(
            smss,
            images.smss,
            "\\SystemRoot\\System32\\smss.exe 000000b0 00000084",
            ProcessToken.SYSTEM,
            List.of());
    start(smss0, images.csrss, csrssCommandLine(), ProcessToken.SYSTEM, List.of(images.core));
    EProcess wininit =
        start(
            smss0,
            images.wininit,
            "wininit.exe",
            ProcessToken.SYSTEM,
            List.of(images.core, images.gui));
    end(smss0);
    EProcess smss1 =
        start(
            smss,
            images.smss,
            "\\SystemRoot\\System32\\smss.exe 000000c4 00000084",
            ProcessToken.SYSTEM,
            List.of());
    csrssSession1 =
        start(smss1, images.csrss, csrssCommandLine(), SESSION1_SYSTEM, List.of(images.core));
    winlogon =
        start(
            smss1,
            images.winlogon,
            "winlogon.exe",
            SESSION1_SYSTEM,
            List.of(images.core, images.gui));
    end(smss1);

    services =
        start(
            wininit,
            images.services,
            "C:\\Windows\\system32\\services.exe",
            ProcessToken.SYSTEM,
            List.of(images.core, images.network));
    List<ModuleSet> lsassModules =
        profile.kind() == HostProfile.Kind.DOMAIN_CONTROLLER
            ? List.of(images.core, images.network, images.lsassPackages, images.domainController)
            : List.of(images.core, images.network, images.lsassPackages);
    lsass =
        start(
            mainThread(wininit),
            images.lsass,
            "C:\\Windows\\system32\\lsass.exe",
            ProcessToken.SYSTEM,
            null,
            lsassModules,
            null,
            lsassProtection);
    for (int i = 0; i < SVCHOST_GROUPS.length; i++) {
      String[] group = SVCHOST_GROUPS[i];
      ProcessToken token =
          group[0].startsWith("LocalService")
              ? LOCAL_SERVICE_TOKEN
              : group[0].startsWith("NetworkService") ? NETWORK_SERVICE_TOKEN : ProcessToken.SYSTEM;
      EProcess svchost =
          start(
              services,
              images.svchost,
              "C:\\Windows\\system32\\svchost.exe -k " + group[0] + " -p -s " + group[1],
              token,
              List.of(images.core, images.network));
      kernel.mapImage(mainThread(svchost), images.serviceDlls.get(i));
      // A service host runs dozens of threads: RPC, thread pool, its services' workers.
      startThreads(svchost, images.svchost, 8 + random.nextInt(30));
      svchosts.add(svchost);
    }
    startThreads(services, images.services, 6 + random.nextInt(4));
    startThreads(lsass, images.lsass, 8 + random.nextInt(4));
    startThreads(wininit, images.wininit, 1 + random.nextInt(2));
    startThreads(winlogon, images.winlogon, 3 + random.nextInt(3));
    startThreads(csrssSession1, images.csrss, 9 + random.nextInt(4));
    for (Program service : profile.bootServices()) {
      bootServices.add(launch(service, services));
    }
    EProcess userinit =
        start(
            winlogon,
            images.userinit,
            "C:\\Windows\\system32\\userinit.exe",
            user,
            List.of(images.core, images.gui));
    explorer =
        start(
            userinit,
            images.explorer,
            "C:\\Windows\\Explorer.EXE",
            user,
            List.of(images.core, images.gui, images.network));
    end(userinit);
    startThreads(explorer, images.explorer, 50 + random.nextInt(30));
    scheduleNextLaunch();
    scheduleNextDriverLoad();
  }

  /** DriverEntry of a driver the model does not run: it loads and stays. */
  private void loadDriver(ImageFile driver) {
    if (loadedDrivers.add(driver)) {
      kernel.ioLoadDriver(driver, true, (k, d) -> io.psfleet.agent.kernel.NtStatus.STATUS_SUCCESS);
    }
  }

  /** Now and then a driver loads after boot: a USB stick, a CD drive, the SMB server on demand. */
  private void scheduleNextDriverLoad() {
    double hours = -Math.log(1 - random.nextDouble()) * 3;
    scheduleIn(
        hours * 3600,
        () -> {
          List<ImageFile> later = images.laterDrivers;
          loadDriver(later.get(random.nextInt(later.size())));
          scheduleNextDriverLoad();
        });
  }

  /** Threads a long-running process starts in itself during its first seconds. */
  private void startThreads(EProcess process, ImageFile image, int count) {
    EThread main = mainThread(process);
    for (int i = 0; i < count; i++) {
      kernel.advanceClockTo(kernel.now() + 100_000 + random.nextInt(900_000));
      kernel.createThread(main, process, threadStart(image));
    }
  }

  private long threadStart(ImageFile image) {
    return kernel.imageBase(image)
        + 0x1000
        + (random.nextInt((int) Math.min(image.size() - 0x1000, 1 << 20)) & ~0xF);
  }

  /** Runs every task due up to {@code nanos}, then sets the host clock there. */
  public void advanceTo(long nanos) {
    while (agenda.hasTaskAtOrBefore(nanos)) {
      long at = agenda.nextTime();
      Runnable task = agenda.pollFirst();
      kernel.advanceClockTo(at);
      task.run();
    }
    kernel.advanceClockTo(nanos);
  }

  /** Runs {@code task} at simulated time {@code at} (now, if that has passed). */
  public void schedule(long at, Runnable task) {
    agenda.schedule(at, task);
  }

  public void scheduleIn(double seconds, Runnable task) {
    agenda.schedule(kernel.now() + (long) (seconds * SECOND), task);
  }

  // ---------------------------------------------------------------- launching

  /**
   * Starts {@code program} as a child of {@code parent}: its modules, threads, children and exit
   * follow. Returns null when the process could not be created (blocked, or the parent is gone).
   */
  public RunningProcess launch(Program program, EProcess parent) {
    if (!kernel.isRunning(parent)) {
      return null;
    }
    return launch(program, mainThread(parent), null, tokenFor(program, parent));
  }

  /**
   * The token a program started by {@code creator} runs with: a child inherits its creator's token,
   * and only a SYSTEM process (services, a service's svchost, the task scheduler) starts programs
   * under another account. Elevation is never a direct child: it goes through {@link #elevate}.
   */
  public ProcessToken tokenFor(Program program, EProcess creator) {
    ProcessToken creatorToken = kernel.processToken(creator);
    if (creatorToken.integrityLevel().compareTo(IntegrityLevel.SYSTEM) >= 0
        && creatorToken.user().equals(ProcessToken.SYSTEM.user())) {
      return token(program.account());
    }
    return creatorToken;
  }

  /**
   * Where explorer starts a program: a Windows program in the user's profile folder (the Run box
   * and Start menu entries without a start folder), an application in its own folder (its
   * shortcut's "Start in").
   */
  public String explorerStartDirectory(ImageFile image) {
    String path = image.path();
    if (path.regionMatches(true, 0, "C:\\Windows\\", 0, 11)) {
      return userProfile();
    }
    return path.substring(0, path.lastIndexOf('\\') + 1);
  }

  /** {@code C:\Users\<name>\}. */
  public String userProfile() {
    return "C:\\Users\\" + userName + "\\";
  }

  /**
   * Starts {@code program} from {@code creator}, reporting {@code reportedParent} as its parent
   * when not null (a broker such as Appinfo, or a spoofing attacker).
   */
  public RunningProcess launch(
      Program program, EThread creator, EProcess reportedParent, ProcessToken token) {
    String commandLine = program.commandLines().get(random.nextInt(program.commandLines().size()));
    EProcess process =
        start(creator, program.image(), commandLine, token, reportedParent, program.modules());
    if (process == null) {
      return null;
    }
    RunningProcess running = new RunningProcess(process, program);
    apps.add(running);
    for (int i = 0; i < program.workerThreads(); i++) {
      scheduleIn(0.05 + random.nextDouble() * 5, () -> workerThread(running));
    }
    for (Program.Child child : program.children()) {
      if (random.nextDouble() < child.probability()) {
        int count = child.min() + random.nextInt(child.max() - child.min() + 1);
        for (int i = 0; i < count; i++) {
          double delay = child.delaySeconds() * (0.5 + random.nextDouble()) + i * 0.2;
          scheduleIn(delay, () -> startChild(running, child.program()));
        }
      }
    }
    if (!program.livesWithParent() && program.medianLifetimeSeconds() < Double.MAX_VALUE) {
      double lifetime = program.medianLifetimeSeconds() * Math.exp(0.8 * random.nextGaussian());
      scheduleIn(lifetime, () -> terminate(running, exitCode(program)));
    }
    if (isConsole(program) && random.nextDouble() < 0.08) {
      scheduleIn(1 + random.nextDouble() * 20, () -> consoleControl(running));
    }
    if (token == user && random.nextDouble() < 0.02) {
      scheduleIn(0.5 + random.nextDouble(), () -> edrInjection(running));
    }
    return running;
  }

  /**
   * Creates a process and maps its module sets from its initial thread, a millisecond or two apart.
   * Returns null when the kernel refused it.
   */
  public EProcess start(
      EThread creator,
      ImageFile image,
      String commandLine,
      ProcessToken token,
      EProcess reportedParent,
      List<ModuleSet> modules) {
    return start(creator, image, commandLine, token, reportedParent, modules, null);
  }

  /**
   * As above, in {@code currentDirectory}; null means where Windows would start it: explorer's
   * {@link #explorerStartDirectory} for what explorer starts, else the creator's directory, as
   * CreateProcess does.
   */
  public EProcess start(
      EThread creator,
      ImageFile image,
      String commandLine,
      ProcessToken token,
      EProcess reportedParent,
      List<ModuleSet> modules,
      String currentDirectory) {
    return start(
        creator,
        image,
        commandLine,
        token,
        reportedParent,
        modules,
        currentDirectory,
        PsProtection.NONE);
  }

  /** As above, for a process that runs with {@code protection} (lsass as PPL). */
  private EProcess start(
      EThread creator,
      ImageFile image,
      String commandLine,
      ProcessToken token,
      EProcess reportedParent,
      List<ModuleSet> modules,
      String currentDirectory,
      PsProtection protection) {
    if (currentDirectory == null
        && explorer != null
        && reportedParent == null
        && kernel.psGetThreadProcess(creator) == explorer) {
      currentDirectory = explorerStartDirectory(image);
    }
    ProcessParameters parameters =
        ProcessParameters.of(image, commandLine, token)
            .withCurrentDirectory(currentDirectory)
            .withProtection(protection);
    if (reportedParent != null) {
      parameters = parameters.withParent(reportedParent);
    }
    Created<EProcess> created = kernel.createProcess(creator, parameters);
    if (!created.succeeded()) {
      return null;
    }
    EProcess process = created.object();
    EThread main = mainThread(process);
    for (ModuleSet set : modules) {
      for (ImageFile file : set.files()) {
        kernel.advanceClockTo(kernel.now() + 200_000 + random.nextInt(2_000_000));
        kernel.mapImage(main, file);
      }
    }
    return process;
  }

  /** Ends a program with exit code 0, and the children that live only as long as it does. */
  public void terminate(RunningProcess running) {
    terminate(running, 0);
  }

  /** Ends a program with {@code exitCode}, and the children that live only as long as it does. */
  public void terminate(RunningProcess running, int exitCode) {
    for (RunningProcess child : running.children()) {
      if (child.program().livesWithParent()) {
        terminate(child, 0);
      }
    }
    apps.remove(running);
    if (kernel.isRunning(running.process())) {
      kernel.terminateProcess(running.process(), exitCode);
    }
  }

  /** STATUS_CONTROL_C_EXIT: how a console program ends after Ctrl+C. */
  public static final int STATUS_CONTROL_C_EXIT = 0xC000013A;

  /**
   * How a program ends by itself: 0 mostly; console tools fail with 1 (or 2, 5) now and then; a
   * rare crash ends a GUI program with an access violation or a fail-fast.
   */
  int exitCode(Program program) {
    double r = random.nextDouble();
    if (isConsoleTool(program)) {
      return r < 0.85 ? 0 : r < 0.97 ? 1 : r < 0.99 ? 2 : 5;
    }
    if (r < 0.97) {
      return 0;
    }
    if (r < 0.993) {
      return 1;
    }
    return r < 0.997 ? 0xC0000005 : 0xC0000409;
  }

  private static boolean isConsoleTool(Program program) {
    String name = program.image().fileName();
    return name.endsWith(".exe")
        && program.modules().size() <= 2
        && program.image().path().regionMatches(true, 0, WindowsImages.SYSTEM32, 0, 20)
        && program.medianLifetimeSeconds() < 60;
  }

  // ---------------------------------------------------------------- what scenarios need

  public Kernel kernel() {
    return kernel;
  }

  public WindowsImages images() {
    return images;
  }

  public Programs programs() {
    return programs;
  }

  public HostProfile profile() {
    return profile;
  }

  public SplittableRandom random() {
    return random;
  }

  public String userName() {
    return userName;
  }

  public EProcess explorer() {
    return explorer;
  }

  public EProcess lsass() {
    return lsass;
  }

  public EProcess winlogon() {
    return winlogon;
  }

  public EProcess services() {
    return services;
  }

  /** The svchost that hosts the Task Scheduler. */
  public EProcess taskScheduler() {
    return svchosts.get(SCHEDULE);
  }

  /** The svchost of the DcomLaunch group, which starts WMI provider hosts and COM servers. */
  public EProcess dcomLaunch() {
    return svchosts.get(DCOM_LAUNCH);
  }

  /** The svchost that hosts Appinfo, the UAC broker. */
  public EProcess appinfoService() {
    return svchosts.get(APPINFO);
  }

  public EProcess csrssSession1() {
    return csrssSession1;
  }

  /** A long-running service of this profile by program, or null when the host has none. */
  public EProcess bootService(Program program) {
    for (RunningProcess running : bootServices) {
      if (running.program() == program && kernel.isRunning(running.process())) {
        return running.process();
      }
    }
    return null;
  }

  /** A running program that {@code filter} accepts, picked at random, or null. */
  public RunningProcess randomApp(Predicate<RunningProcess> filter) {
    List<RunningProcess> matching = new ArrayList<>();
    for (RunningProcess app : apps) {
      if (filter.test(app) && kernel.isRunning(app.process())) {
        matching.add(app);
      }
    }
    return matching.isEmpty() ? null : matching.get(random.nextInt(matching.size()));
  }

  public ProcessToken token(Account account) {
    return switch (account) {
      case USER -> user;
      case ADMIN -> admin;
      case SYSTEM -> ProcessToken.SYSTEM;
      case LOCAL_SERVICE -> LOCAL_SERVICE_TOKEN;
      case NETWORK_SERVICE -> NETWORK_SERVICE_TOKEN;
    };
  }

  public EThread mainThread(EProcess process) {
    return kernel.threadsOf(process).get(0);
  }

  /** Tasks still pending; a measure of the host's footprint. */
  public int pendingTasks() {
    return agenda.size();
  }

  // ---------------------------------------------------------------- internals

  private EProcess start(
      EProcess parent,
      ImageFile image,
      String commandLine,
      ProcessToken token,
      List<ModuleSet> modules) {
    return start(mainThread(parent), image, commandLine, token, null, modules);
  }

  private void end(EProcess process) {
    kernel.advanceClockTo(kernel.now() + 20 * MS);
    kernel.terminateProcess(process, 0);
  }

  private void scheduleNextLaunch() {
    double wait = -Math.log(1 - random.nextDouble()) * meanSecondsBetweenLaunches;
    scheduleIn(wait, this::launchSomething);
  }

  private void launchSomething() {
    double pick = random.nextDouble() * totalLaunchWeight;
    for (HostProfile.Launch launch : profile.launches()) {
      pick -= launch.weight();
      if (pick <= 0) {
        launchBy(launch.launcher(), launch.program());
        break;
      }
    }
    scheduleNextLaunch();
  }

  private void launchBy(Launcher launcher, Program program) {
    if (launcher == Launcher.UAC_ELEVATION) {
      elevate(program);
      return;
    }
    EProcess parent =
        switch (launcher) {
          case EXPLORER -> explorer;
          case SERVICES -> services;
          case DCOM_LAUNCH -> svchosts.get(DCOM_LAUNCH);
          case TASK_SCHEDULER -> svchosts.get(SCHEDULE);
          case SEARCH_INDEXER -> orServices(bootService(programs.searchIndexer));
          case DEFENDER -> orServices(bootService(programs.msMpEng));
          case UAC_ELEVATION -> throw new IllegalStateException("handled above");
        };
    launch(program, parent);
  }

  /** consent.exe asks the user; on yes, Appinfo starts the program elevated under explorer. */
  public void elevate(Program program) {
    EProcess appinfo = appinfoService();
    launch(programs.consent, appinfo);
    scheduleIn(
        2 + random.nextDouble() * 3,
        () -> {
          if (kernel.isRunning(explorer)) {
            launch(program, mainThread(appinfo), explorer, admin);
          }
        });
  }

  private EProcess orServices(EProcess process) {
    return process != null ? process : services;
  }

  private void startChild(RunningProcess parent, Program program) {
    RunningProcess child = launch(program, parent.process());
    if (child != null) {
      parent.addChild(child);
    }
  }

  private void workerThread(RunningProcess running) {
    EProcess process = running.process();
    if (!kernel.isRunning(process)) {
      return;
    }
    ImageFile image = running.program().image();
    long start =
        kernel.imageBase(image)
            + 0x1000
            + (random.nextInt((int) Math.min(image.size() - 0x1000, 1 << 20)) & ~0xF);
    EThread thread = kernel.createThread(mainThread(process), process, start).object();
    if (thread != null && random.nextDouble() < 0.3) {
      scheduleIn(random.nextDouble() * 120, () -> exitThread(thread));
    }
  }

  private void exitThread(EThread thread) {
    if (!kernel.psIsThreadTerminating(thread)
        && kernel.threadsOf(kernel.psGetThreadProcess(thread)).size() > 1) {
      kernel.exitThread(thread, 0);
    }
  }

  /** Ctrl+C in a console: csrss starts kernelbase!CtrlRoutine in the console process. */
  private void consoleControl(RunningProcess console) {
    if (!kernel.isRunning(console.process()) || !kernel.isRunning(csrssSession1)) {
      return;
    }
    remoteThreadThenExit(
        mainThread(csrssSession1),
        console.process(),
        kernel.exportAddress(images.kernelbase, "CtrlRoutine"),
        null);
    // The default handler ends the console program: exit code STATUS_CONTROL_C_EXIT.
    scheduleIn(0.05 + random.nextDouble() * 0.2, () -> terminate(console, STATUS_CONTROL_C_EXIT));
  }

  /** The EDR agent maps its signed hook DLL into a new program through a LoadLibraryW thread. */
  private void edrInjection(RunningProcess target) {
    EProcess agent = bootService(programs.edrAgent);
    if (agent == null || !kernel.isRunning(target.process())) {
      return;
    }
    remoteThreadThenExit(
        mainThread(agent),
        target.process(),
        kernel.exportAddress(images.kernel32, "LoadLibraryW"),
        images.edrHookDll);
  }

  /**
   * A thread created by {@code creator} in {@code target} at {@code start}; when {@code dll} is
   * given the thread maps it, as a LoadLibrary thread does. The thread exits right after.
   */
  public EThread remoteThreadThenExit(EThread creator, EProcess target, long start, ImageFile dll) {
    EThread thread = kernel.createThread(creator, target, start).object();
    if (thread == null) {
      return null;
    }
    kernel.advanceClockTo(kernel.now() + 3 * MS);
    if (dll != null) {
      kernel.mapImage(thread, dll);
    }
    kernel.advanceClockTo(kernel.now() + 2 * MS);
    kernel.exitThread(thread, 0);
    return thread;
  }

  private static boolean isConsole(Program program) {
    for (Program.Child child : program.children()) {
      if (child.program().name().equals("conhost")) {
        return true;
      }
    }
    return false;
  }

  private static String csrssCommandLine() {
    return "%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768"
        + " Windows=On SubSystemType=Windows ServerDll=basesrv,1"
        + " ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off"
        + " MaxRequestThreads=16";
  }
}
