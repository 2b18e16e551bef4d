package io.psfleet.agent.replay;

import io.psfleet.agent.kernel.Created;
import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.EThread;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.Kernel;
import io.psfleet.agent.kernel.NtStatus;
import io.psfleet.agent.kernel.ProcessParameters;
import io.psfleet.agent.kernel.ProcessToken;
import io.psfleet.agent.replay.RecordedEvent.DriverLoad;
import io.psfleet.agent.replay.RecordedEvent.ModuleLoad;
import io.psfleet.agent.replay.RecordedEvent.ProcessEnd;
import io.psfleet.agent.replay.RecordedEvent.ProcessStart;
import io.psfleet.agent.replay.RecordedEvent.RecordedImage;
import io.psfleet.agent.replay.RecordedEvent.RemoteThread;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Re-enacts one recording on one host's kernel, event by event.
 *
 * <p>Why through the kernel and not by writing telemetry records beside the sensor: the recorded
 * processes then get pids from the host's own client-id table (free ids, reused as the host reuses
 * them), process keys from the host's sensor, sequence numbers that stay contiguous with the host's
 * other events, and parents that exist on the host, so lineage, the PPID rule and every consumer
 * see one consistent host. The kernel model allows all of what Sysmon events 1, 5, 6, 7, 8 and 10
 * describe: a process create with image, command line, token and working directory, its exit, a
 * driver load, a module mapped by a process's thread, a thread created in another process and a
 * handle opened to another process for the recorded access (the host's object callbacks and the
 * target's protection decide what it gets, as on the recorded machine). What it does not allow is a
 * process whose parent never existed: a create needs a running parent. So a recorded root either
 * adopts a process of the host ({@link Roots#ADOPT}), or its recorded parent is started first as a
 * stand-in ({@link Roots#RECORDED}), so that the root's ParentImage and ParentCommandLine are the
 * recorded ones, which many rules test.
 *
 * <p>The kernel raises by itself what Windows raises at a process start (its initial thread, the
 * executable's and ntdll's image loads), so recorded loads of those two are not mapped again.
 */
final class RecordingPlayer {
  private final Recording recording;
  private final ReplayTarget target;
  private final RecordedImages images;
  private final RootParent roots;
  private final Kernel kernel;
  private final Map<String, EProcess> byGuid = new HashMap<>();
  private final List<EProcess> processes = new ArrayList<>();
  private int refused;

  RecordingPlayer(
      Recording recording, ReplayTarget target, RecordedImages images, RootParent roots) {
    this.recording = recording;
    this.target = target;
    this.images = images;
    this.roots = roots;
    this.kernel = target.kernel();
  }

  /** Starts the stand-ins the recording needs; call once, before the first {@link #play}. */
  void prepare() {
    for (Recording.StandIn standIn : recording.standIns()) {
      if (standIn.parentOfRoot() && roots == RootParent.ADOPT) {
        continue;
      }
      EProcess process =
          start(
              target.adoptiveParent(),
              images.file(RecordedImage.pathOnly(standIn.image()), false),
              standIn.commandLine() != null ? standIn.commandLine() : quoted(standIn.image()),
              target.token(standIn.account()),
              null);
      remember(standIn.processGuid(), process);
    }
  }

  /** Plays one event at the host's current time. */
  void play(RecordedEvent event) {
    if (event instanceof ProcessStart start) {
      EProcess parent = running(start.parentGuid());
      EProcess process =
          start(
              parent != null ? parent : target.adoptiveParent(),
              images.file(start.image(), false),
              start.commandLine(),
              target.token(start.account()),
              start.currentDirectory());
      remember(start.processGuid(), process);
    } else if (event instanceof ProcessEnd end) {
      EProcess process = running(end.processGuid());
      if (process != null) {
        kernel.terminateProcess(process, 0);
      }
    } else if (event instanceof ModuleLoad load) {
      EProcess process = running(load.processGuid());
      if (process != null && !raisedAtStart(load)) {
        kernel.mapImage(mainThread(process), images.file(load.module(), false));
      }
    } else if (event instanceof DriverLoad driver) {
      kernel.ioLoadDriver(
          images.file(driver.driver(), true), true, (k, d) -> NtStatus.STATUS_SUCCESS);
    } else if (event instanceof RecordedEvent.ProcessAccess access) {
      EProcess source = running(access.processGuid());
      EProcess victim = running(access.targetGuid());
      if (source != null && victim != null) {
        mapCallTraceLibraries(source, access.callTrace());
        kernel.openProcess(mainThread(source), victim, access.grantedAccess());
      }
    } else if (event instanceof RemoteThread thread) {
      EProcess source = running(thread.processGuid());
      EProcess victim = running(thread.targetGuid());
      if (source != null && victim != null) {
        kernel.createThread(mainThread(source), victim, startAddress(thread, victim));
      }
    }
  }

  /** Every process the replay started on the host, stand-ins included, in start order. */
  List<EProcess> processes() {
    return List.copyOf(processes);
  }

  /** Process creations the kernel refused (a parent that had gone, the client-id table full). */
  int refused() {
    return refused;
  }

  private EProcess start(
      EProcess parent, ImageFile image, String commandLine, ProcessToken token, String directory) {
    if (parent == null || !kernel.isRunning(parent)) {
      refused++;
      return null;
    }
    // The kernel's rule: only a SYSTEM creator may hand a child a token above its own.
    ProcessToken parentToken = kernel.processToken(parent);
    boolean elevated =
        parentToken.integrityLevel().compareTo(ProcessToken.IntegrityLevel.SYSTEM) < 0
            && token.integrityLevel().compareTo(parentToken.integrityLevel()) > 0;
    ProcessParameters parameters =
        ProcessParameters.of(image, commandLine, token).withCurrentDirectory(directory(directory));
    EThread creator = mainThread(parent);
    if (elevated) {
      creator = target.broker();
      parameters = parameters.withParent(parent);
    }
    Created<EProcess> created = kernel.createProcess(creator, parameters);
    if (!created.succeeded()) {
      refused++;
      return null;
    }
    processes.add(created.object());
    return created.object();
  }

  private void remember(String guid, EProcess process) {
    if (process != null) {
      byGuid.put(guid, process);
    }
  }

  private EProcess running(String guid) {
    EProcess process = guid == null ? null : byGuid.get(guid);
    return process != null && kernel.isRunning(process) ? process : null;
  }

  private EThread mainThread(EProcess process) {
    return kernel.threadsOf(process).get(0);
  }

  private boolean raisedAtStart(ModuleLoad load) {
    String loaded = load.module().path();
    return loaded.equalsIgnoreCase(load.image())
        || loaded.toLowerCase(Locale.ROOT).endsWith("\\ntdll.dll");
  }

  /**
   * Where the remote thread starts in the victim: at the recorded export of the recorded module
   * when the fleet has that module (a LoadLibrary start stays a LoadLibrary start; the module is
   * mapped into the victim first if it was not), else at the recorded address, which then lies in
   * no module of the host, as shellcode does.
   */
  private long startAddress(RemoteThread thread, EProcess victim) {
    if (thread.startModule() != null) {
      ImageFile module = images.fleetFile(thread.startModule());
      if (module != null
          && thread.startFunction() != null
          && hasExport(module, thread.startFunction())) {
        long base = kernel.mapImage(mainThread(victim), module);
        return base + module.exportOffset(thread.startFunction());
      }
    }
    return thread.startAddress();
  }

  /**
   * The model keeps no user stacks: the sensor names in CallTrace the handle-opening libraries the
   * source has loaded. So the recorded trace's modules that the fleet knows (dbghelp, dbgcore,
   * comsvcs and the like) are mapped into the source first, and its replayed trace names them as
   * the recorded one did.
   */
  private void mapCallTraceLibraries(EProcess source, String callTrace) {
    if (callTrace == null) {
      return;
    }
    for (String frame : callTrace.split("\\|")) {
      int plus = frame.lastIndexOf('+');
      String path = (plus < 0 ? frame : frame.substring(0, plus)).trim();
      ImageFile module = path.isEmpty() ? null : images.fleetFile(path);
      if (module != null && !module.systemModeImage()) {
        kernel.mapImage(mainThread(source), module);
      }
    }
  }

  private static boolean hasExport(ImageFile module, String function) {
    try {
      module.exportOffset(function);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String directory(String recorded) {
    if (recorded == null) {
      return null;
    }
    return recorded.endsWith("\\") ? recorded : recorded + "\\";
  }

  private static String quoted(String path) {
    return "\"" + path + "\"";
  }
}
