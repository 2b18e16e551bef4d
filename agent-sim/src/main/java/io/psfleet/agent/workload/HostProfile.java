package io.psfleet.agent.workload;

import java.util.List;
import java.util.Locale;

/**
 * What kind of host this is and how busy: the programs launched on their own, with weights, and the
 * rate of process creation they add up to.
 *
 * @param processCreatesPerHour all process creations per simulated hour, children included; the
 *     workstation default (23) is the measured figure of ../shared/WINDOWS.md
 * @param launches programs started on their own, each with its launcher and a relative weight
 * @param bootServices long-running programs that services.exe starts at boot on this kind of host
 */
public record HostProfile(
    Kind kind, double processCreatesPerHour, List<Launch> launches, List<Program> bootServices) {

  public HostProfile {
    launches = List.copyOf(launches);
    bootServices = List.copyOf(bootServices);
  }

  /** The kinds of host a fleet mixes. */
  public enum Kind {
    WORKSTATION,
    SERVER,
    DOMAIN_CONTROLLER;

    public String optionName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** A program launched on its own by {@code launcher}, picked with relative {@code weight}. */
  public record Launch(Program program, Launcher launcher, double weight) {}

  /** Launches per hour that make {@link #processCreatesPerHour} once children are counted. */
  public double launchesPerHour() {
    double totalWeight = 0;
    double weightedTree = 0;
    for (Launch launch : launches) {
      totalWeight += launch.weight();
      weightedTree += launch.weight() * launch.program().expectedTreeSize();
    }
    return processCreatesPerHour / (weightedTree / totalWeight);
  }

  /** The same profile at another rate (load runs turn this up). */
  public HostProfile withProcessCreatesPerHour(double rate) {
    return new HostProfile(kind, rate, launches, bootServices);
  }
}
