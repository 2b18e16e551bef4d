package io.psfleet.cli;

import io.psfleet.agent.cli.Options;
import io.psfleet.agent.fleet.ProfileMix;
import java.util.List;

/**
 * The fleet a pipeline run simulates, as options: the same names and meanings as {@code ./psfleet
 * simulate}'s, so the demo, detect-test and the cluster's shards describe a fleet alike.
 */
public final class FleetOptions {
  /** The option names, each also a {@code simulate} option taking the same value. */
  public static final List<String> NAMES =
      List.of(
          "hosts",
          "profiles",
          "scenario-hosts",
          "duration",
          "speedup",
          "seed",
          "scenarios",
          "campaign-hosts");

  private FleetOptions() {}

  /** Adds the fleet options to {@code options}; {@code scenarios} is the default attack mix. */
  public static Options addTo(Options options, String scenarios) {
    return options
        .option("hosts", "N", "40", "simulated hosts")
        .option("profiles", "MIX", ProfileMix.DEFAULT.toString(), "host kinds in percent")
        .option(
            "scenario-hosts", "HOSTS", "all", "hosts that may receive scenarios: all or 1-50,77")
        .option("duration", "D", "20m", "simulated time")
        .option("speedup", "X", "40", "simulated seconds per wall-clock second (0: flat out)")
        .option("seed", "N", "1", "seed of the simulation")
        .option("scenarios", "LIST", scenarios, "scenarios to inject, as for ./psfleet simulate")
        .option(
            "campaign-hosts",
            "N",
            "6",
            "hosts the fleet campaign spreads over (the rule fires at 5)");
  }
}
