package io.psfleet.agent.fleet;

import io.psfleet.agent.scenario.ScenarioPlan.CampaignShape;
import io.psfleet.agent.workload.HostProfile;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a fleet run is made of. The same values, the same seed: the same events, byte for
 * byte.
 *
 * @param hosts fleet size (all shards together)
 * @param startNanos simulated wall-clock time of the run's start, nanoseconds since the epoch
 * @param duration simulated time to run
 * @param bootWindow hosts boot spread over this first part of the run
 * @param processCreatesPerHour per-kind rate overrides; kinds not named keep their profile's rate
 * @param scenarios scenario name to number of instances over the whole fleet
 * @param speedup simulated seconds per wall-clock second; 0 runs flat out
 * @param eventsPerSecond cap on published events per wall-clock second; 0 for no cap
 * @param threads worker threads that advance hosts
 * @param tick how far hosts advance between hand-overs to the publisher (bounds event-time disorder
 *     across hosts)
 */
public record FleetConfig(
    int hosts,
    Shard shard,
    long seed,
    long startNanos,
    Duration duration,
    Duration bootWindow,
    ProfileMix profiles,
    Map<HostProfile.Kind, Double> processCreatesPerHour,
    Map<String, Integer> scenarios,
    HostSelection scenarioHosts,
    CampaignShape campaign,
    double speedup,
    long eventsPerSecond,
    int threads,
    Duration tick,
    boolean bootTelemetry) {

  public FleetConfig {
    if (hosts < 1) {
      throw new IllegalArgumentException("a fleet needs at least one host, got " + hosts);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, got " + duration);
    }
    if (bootWindow.isNegative() || bootWindow.compareTo(duration) > 0) {
      throw new IllegalArgumentException("boot window must lie within the duration");
    }
    if (speedup < 0 || eventsPerSecond < 0 || threads < 1) {
      throw new IllegalArgumentException("speedup and rate must be >= 0 and threads >= 1");
    }
    processCreatesPerHour = Map.copyOf(processCreatesPerHour);
    scenarios = Map.copyOf(scenarios);
  }

  public FleetConfig withShard(Shard newShard) {
    return new FleetConfig(
        hosts,
        newShard,
        seed,
        startNanos,
        duration,
        bootWindow,
        profiles,
        processCreatesPerHour,
        scenarios,
        scenarioHosts,
        campaign,
        speedup,
        eventsPerSecond,
        threads,
        tick,
        bootTelemetry);
  }

  public FleetConfig withSeed(long newSeed) {
    return new FleetConfig(
        hosts,
        shard,
        newSeed,
        startNanos,
        duration,
        bootWindow,
        profiles,
        processCreatesPerHour,
        scenarios,
        scenarioHosts,
        campaign,
        speedup,
        eventsPerSecond,
        threads,
        tick,
        bootTelemetry);
  }

  public FleetConfig withThreads(int newThreads) {
    return new FleetConfig(
        hosts,
        shard,
        seed,
        startNanos,
        duration,
        bootWindow,
        profiles,
        processCreatesPerHour,
        scenarios,
        scenarioHosts,
        campaign,
        speedup,
        eventsPerSecond,
        newThreads,
        tick,
        bootTelemetry);
  }

  public FleetConfig withProfiles(ProfileMix newProfiles) {
    return new FleetConfig(
        hosts,
        shard,
        seed,
        startNanos,
        duration,
        bootWindow,
        newProfiles,
        processCreatesPerHour,
        scenarios,
        scenarioHosts,
        campaign,
        speedup,
        eventsPerSecond,
        threads,
        tick,
        bootTelemetry);
  }

  public FleetConfig withBootTelemetry(boolean on) {
    return new FleetConfig(
        hosts,
        shard,
        seed,
        startNanos,
        duration,
        bootWindow,
        profiles,
        processCreatesPerHour,
        scenarios,
        scenarioHosts,
        campaign,
        speedup,
        eventsPerSecond,
        threads,
        tick,
        on);
  }

  /** When scenarios may start: after every host has booted and settled, before the end. */
  long scenarioFromNanos() {
    return startNanos
        + bootWindow.toNanos()
        + Math.min(Duration.ofSeconds(30).toNanos(), duration.toNanos() / 10);
  }

  long scenarioToNanos() {
    long end = startNanos + duration.toNanos();
    return Math.max(
        scenarioFromNanos() + 1,
        end - Math.min(Duration.ofSeconds(30).toNanos(), duration.toNanos() / 10));
  }
}
