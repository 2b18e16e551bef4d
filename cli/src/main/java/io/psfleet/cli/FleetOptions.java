package io.psfleet.cli;

import io.psfleet.agent.cli.Options;
import io.psfleet.agent.fleet.ProfileMix;
import java.util.List;

/**
 * The fleet a pipeline run simulates, as options: the same names and meanings as {@code ./psfleet
 * simulate}'s, so the demo, detect-test and the cluster's shards describe a fleet alike.
 */
public final class FleetOptions {
  /** One option; a {@code null} default stands for the caller's default attack mix. */
  private record Option(String name, String valueName, String defaultValue, String help) {}

  private static final List<Option> OPTIONS =
      List.of(
          new Option("hosts", "N", "40", "simulated hosts"),
          new Option("profiles", "MIX", ProfileMix.DEFAULT.toString(), "host kinds in percent"),
          new Option(
              "scenario-hosts", "HOSTS", "all", "hosts that may receive scenarios: all or 1-50,77"),
          new Option("duration", "D", "20m", "simulated time"),
          new Option("speedup", "X", "40", "simulated seconds per wall-clock second (0: flat out)"),
          new Option("seed", "N", "1", "seed of the simulation"),
          new Option("scenarios", "LIST", null, "scenarios to inject, as for ./psfleet simulate"),
          new Option(
              "campaign-hosts",
              "N",
              "6",
              "hosts the fleet campaign spreads over (the rule fires at 5)"));

  /** The option names, each also a {@code simulate} option taking the same value. */
  public static final List<String> NAMES = OPTIONS.stream().map(Option::name).toList();

  private FleetOptions() {}

  /** Adds the fleet options to {@code options}; {@code scenarios} is the default attack mix. */
  public static Options addTo(Options options, String scenarios) {
    for (Option o : OPTIONS) {
      options.option(
          o.name(),
          o.valueName(),
          o.defaultValue() == null ? scenarios : o.defaultValue(),
          o.help());
    }
    return options;
  }
}
