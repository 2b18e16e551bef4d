package io.psfleet.agent.scenario;

import io.psfleet.agent.kernel.EProcess;
import io.psfleet.agent.kernel.ImageFile;
import io.psfleet.agent.workload.HostWorkload;
import io.psfleet.agent.workload.ModuleSet;
import java.util.ArrayList;
import java.util.List;

/** Name, technique and label of a scenario, and the steps scenarios share. */
abstract class BaseScenario implements Scenario {
  private final String name;
  private final String technique;
  private final boolean attack;
  private final String description;

  BaseScenario(String name, String technique, boolean attack, String description) {
    this.name = name;
    this.technique = technique;
    this.attack = attack;
    this.description = description;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String technique() {
    return technique;
  }

  @Override
  public boolean attack() {
    return attack;
  }

  @Override
  public String description() {
    return description;
  }

  /**
   * The sequence numbers of every event the host emitted after {@code before} (its {@link
   * ScenarioHost#lastSequence()} when the step began): what one step of a scenario caused, as a
   * host runs one step at a time.
   */
  static List<Long> since(ScenarioHost host, long before) {
    long after = host.lastSequence();
    List<Long> sequences = new ArrayList<>((int) Math.max(0, after - before));
    for (long s = before + 1; s <= after; s++) {
      sequences.add(s);
    }
    return sequences;
  }

  /**
   * Records the ground truth now, with the keys of {@code processes}. Call it right after the
   * scenario's last step, so that its time is that of the last event it lists.
   */
  void record(
      ScenarioHost host, String scenarioId, List<EProcess> processes, List<Long> sequences) {
    List<Long> keys = new ArrayList<>(processes.size());
    for (EProcess process : processes) {
      keys.add(host.processKey(process));
    }
    host.recordGroundTruth(
        new GroundTruthRecord(
            scenarioId,
            name,
            technique,
            attack,
            host.hostId(),
            host.bootId(),
            keys,
            sequences,
            host.workload().kernel().now(),
            description));
  }

  /**
   * Starts an image from {@code parent}; returns the process and, through {@code createSequence},
   * the sequence number of its ProcessCreate event (the first event creation emits).
   */
  static EProcess startFrom(
      ScenarioHost host,
      EProcess parent,
      EProcess reportedParent,
      ImageFile image,
      String commandLine,
      List<ModuleSet> modules,
      long[] createSequence) {
    HostWorkload w = host.workload();
    long before = host.lastSequence();
    EProcess process =
        w.start(
            w.mainThread(parent),
            image,
            commandLine,
            w.token(io.psfleet.agent.workload.Account.USER),
            reportedParent,
            modules);
    if (createSequence != null) {
      createSequence[0] = before + 1;
    }
    return process;
  }

  /** Maps {@code dll} from the process's main thread; returns the ImageLoad's sequence number. */
  static long load(ScenarioHost host, EProcess process, ImageFile dll) {
    HostWorkload w = host.workload();
    w.kernel().mapImage(w.mainThread(process), dll);
    return host.lastSequence();
  }

  /** Ends {@code process} after {@code seconds}, if it still runs then. */
  static void endLater(HostWorkload w, EProcess process, double seconds) {
    w.scheduleIn(
        seconds,
        () -> {
          if (w.kernel().isRunning(process)) {
            w.kernel().terminateProcess(process, 0);
          }
        });
  }

  static String quoted(ImageFile file) {
    return "\"" + file.path() + "\"";
  }
}
