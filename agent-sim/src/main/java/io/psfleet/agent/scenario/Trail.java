package io.psfleet.agent.scenario;

import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.kernel.ProcessToken;
import io.psfleet.agent.workload.HostWorkload;
import io.psfleet.agent.workload.ModuleSet;
import java.util.ArrayList;
import java.util.List;

/**
 * One scenario instance's ground truth in the making: the processes it involves and every event
 * each of its steps caused. A step runs synchronously on its host, so the events between its start
 * and its end are its own.
 */
final class Trail {
  private final ScenarioHost host;
  final List<EProcess> processes = new ArrayList<>();
  final List<Long> sequences = new ArrayList<>();
  final List<EProcess> started = new ArrayList<>();

  Trail(ScenarioHost host) {
    this.host = host;
  }

  HostWorkload w() {
    return host.workload();
  }

  /** Also names {@code process} in the record (a target or parent the scenario did not start). */
  Trail involve(EProcess process) {
    if (process != null && !processes.contains(process)) {
      processes.add(process);
    }
    return this;
  }

  /**
   * Starts {@code image} from {@code creator}'s main thread with {@code token}, reporting {@code
   * reportedParent} (null: the creator) as parent; null when it could not be created.
   */
  EProcess start(
      EProcess creator,
      EProcess reportedParent,
      ImageFile image,
      String commandLine,
      ProcessToken token,
      List<ModuleSet> modules) {
    return start(creator, reportedParent, image, commandLine, token, modules, null);
  }

  /** As above, in {@code directory} (null: the creator's). */
  EProcess start(
      EProcess creator,
      EProcess reportedParent,
      ImageFile image,
      String commandLine,
      ProcessToken token,
      List<ModuleSet> modules,
      String directory) {
    if (creator == null || !w().kernel().isRunning(creator)) {
      return null;
    }
    long before = host.lastSequence();
    EProcess process =
        w().start(
                w().mainThread(creator),
                image,
                commandLine,
                token,
                reportedParent,
                modules,
                directory);
    sequences.addAll(BaseScenario.since(host, before));
    involve(process);
    if (process != null) {
      started.add(process);
    }
    return process;
  }

  /** Starts {@code image} as a child of {@code parent} with the parent's own token. */
  EProcess child(EProcess parent, ImageFile image, String commandLine, List<ModuleSet> modules) {
    if (parent == null || !w().kernel().isRunning(parent)) {
      return null;
    }
    return start(parent, null, image, commandLine, w().kernel().processToken(parent), modules);
  }

  /** Maps {@code dll} in {@code process}, as its LoadLibrary would. */
  void load(EProcess process, ImageFile dll) {
    if (process == null || !w().kernel().isRunning(process)) {
      return;
    }
    long before = host.lastSequence();
    w().kernel().mapImage(w().mainThread(process), dll);
    sequences.addAll(BaseScenario.since(host, before));
  }

  /**
   * Opens a handle to {@code target} from {@code source}'s main thread for {@code access}, as
   * OpenProcess would; false when either is gone or the open failed.
   */
  boolean open(EProcess source, EProcess target, int access) {
    if (source == null
        || target == null
        || !w().kernel().isRunning(source)
        || !w().kernel().isRunning(target)) {
      return false;
    }
    long before = host.lastSequence();
    boolean opened = w().kernel().openProcess(w().mainThread(source), target, access).succeeded();
    sequences.addAll(BaseScenario.since(host, before));
    return opened;
  }

  /** Ends {@code process} now with {@code exitCode}. */
  void end(EProcess process, int exitCode) {
    if (process == null || !w().kernel().isRunning(process)) {
      return;
    }
    long before = host.lastSequence();
    w().kernel().terminateProcess(process, exitCode);
    sequences.addAll(BaseScenario.since(host, before));
  }
}
