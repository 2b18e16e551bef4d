package io.psfleet.agent.workload;

import io.psfleet.agent.kernel.ImageFile;
import java.util.List;

/**
 * A program as the workload runs it: its image, how it is started, what it loads, how long it lives
 * and what it starts in turn. Shared by every host.
 *
 * @param commandLines one is picked at random per start
 * @param medianLifetimeSeconds median of a log-normal lifetime; 0 means it lives until its parent
 *     exits (renderers, conhost)
 * @param workerThreads threads the process creates in itself over its life
 * @param children programs it starts, each with a probability and a count range
 */
public record Program(
    String name,
    ImageFile image,
    List<String> commandLines,
    Account account,
    List<ModuleSet> modules,
    double medianLifetimeSeconds,
    int workerThreads,
    List<Child> children) {

  public Program {
    commandLines = List.copyOf(commandLines);
    modules = List.copyOf(modules);
    children = List.copyOf(children);
  }

  /** A child program: started with {@code probability}, {@code min..max} times, after a delay. */
  public record Child(Program program, double probability, int min, int max, double delaySeconds) {}

  public boolean livesWithParent() {
    return medianLifetimeSeconds == 0;
  }

  /** Expected number of processes one start of this program creates, itself included. */
  public double expectedTreeSize() {
    double size = 1;
    for (Child child : children) {
      size +=
          child.probability()
              * (child.min() + child.max())
              / 2.0
              * child.program().expectedTreeSize();
    }
    return size;
  }

  /** Expected image loads of one start, its children included (ntdll and the executable too). */
  public double expectedImageLoads() {
    double loads = 2;
    for (ModuleSet set : modules) {
      loads += set.files().size();
    }
    for (Child child : children) {
      loads +=
          child.probability()
              * (child.min() + child.max())
              / 2.0
              * child.program().expectedImageLoads();
    }
    return loads;
  }
}
