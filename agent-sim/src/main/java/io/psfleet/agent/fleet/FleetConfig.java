package io.psfleet.agent.fleet;

import io.psfleet.agent.replay.Transplant;
import io.psfleet.agent.scenario.ScenarioPlan.CampaignShape;
import io.psfleet.agent.sensor.HashAlgorithm;
import io.psfleet.agent.workload.HostProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * @param shape how that cap changes over the wall clock (constant, stepped, ramp, bursts, diurnal)
 * @param threads worker threads that advance hosts
 * @param tick how far hosts advance between hand-overs to the publisher (bounds event-time disorder
 *     across hosts)
 * @param bootTelemetry the sensor loads at boot (false: after boot, as an EDR rolled out to running
 *     machines)
 * @param hashAlgorithms the hashes the sensor computes, as Sysmon's {@code HashAlgorithms}
 * @param transplants recordings woven into hosts' streams, each with its hosts and times
 * @param drivers the drivers every host loads, in load order (the sensor among them), where the
 *     sensor alone would load: at boot, or after it without boot telemetry
 * @param lsassRunAsPpl every host runs lsass as a protected process light (LSA protection,
 *     RunAsPPL): unprotected processes then get only limited access to it
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
    LoadShape shape,
    int threads,
    Duration tick,
    boolean bootTelemetry,
    Set<HashAlgorithm> hashAlgorithms,
    List<Transplant> transplants,
    List<HostDriver> drivers,
    boolean lsassRunAsPpl) {

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
    if (hashAlgorithms.isEmpty()) {
      throw new IllegalArgumentException("the sensor needs at least one hash algorithm");
    }
    hashAlgorithms = Set.copyOf(hashAlgorithms);
    transplants = List.copyOf(transplants);
    drivers = List.copyOf(drivers);
    if (!drivers.contains(HostDriver.SENSOR)
        || drivers.stream().distinct().count() < drivers.size()) {
      throw new IllegalArgumentException(
          "drivers " + drivers + ": the sensor once, every other driver at most once");
    }
    for (Transplant t : transplants) {
      if (t.hosts() != null && java.util.stream.IntStream.range(0, hosts).noneMatch(t.hosts())) {
        throw new IllegalArgumentException(
            "--replay " + t.spec() + ": names no host of a fleet of " + hosts);
      }
      Duration at = t.schedule().at();
      if (at != null && at.compareTo(duration) >= 0) {
        throw new IllegalArgumentException(
            "--replay " + t.spec() + ": at=" + at + " is not within the run's " + duration);
      }
      java.time.Instant instant = t.schedule().atInstant();
      long instantNanos =
          instant == null ? 0 : instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
      if (instant != null
          && (instantNanos < startNanos || instantNanos >= startNanos + duration.toNanos())) {
        throw new IllegalArgumentException(
            "--replay " + t.spec() + ": at=" + instant + " is not within the run");
      }
    }
  }

  /** The simulator's defaults (those of {@code ./psfleet simulate}); see {@link Builder}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    return new Builder()
        .hosts(hosts)
        .shard(shard)
        .seed(seed)
        .startNanos(startNanos)
        .duration(duration)
        .bootWindow(bootWindow)
        .profiles(profiles)
        .processCreatesPerHour(processCreatesPerHour)
        .scenarios(scenarios)
        .scenarioHosts(scenarioHosts)
        .campaign(campaign)
        .speedup(speedup)
        .eventsPerSecond(eventsPerSecond)
        .shape(shape)
        .threads(threads)
        .tick(tick)
        .bootTelemetry(bootTelemetry)
        .hashAlgorithms(hashAlgorithms)
        .transplants(transplants)
        .drivers(drivers)
        .lsassRunAsPpl(lsassRunAsPpl);
  }

  public FleetConfig withShard(Shard newShard) {
    return toBuilder().shard(newShard).build();
  }

  public FleetConfig withSeed(long newSeed) {
    return toBuilder().seed(newSeed).build();
  }

  public FleetConfig withThreads(int newThreads) {
    return toBuilder().threads(newThreads).build();
  }

  public FleetConfig withProfiles(ProfileMix newProfiles) {
    return toBuilder().profiles(newProfiles).build();
  }

  public FleetConfig withBootTelemetry(boolean on) {
    return toBuilder().bootTelemetry(on).build();
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

  /**
   * The one home of the fleet's defaults. Each setter names a component; {@link #build} checks the
   * whole. Defaults: 100 hosts, the whole fleet, seed 1, start {@link #DEFAULT_START}, 10 minutes
   * with a 1-minute boot window, the default profile mix and rates, no scenarios, campaigns of 6
   * hosts over 10 minutes, flat out, one thread per processor, 1-second ticks, boot telemetry on,
   * no transplants, the sensor as the only driver, lsass unprotected.
   */
  public static final class Builder {
    /** The simulated start of a run that names none: fixed, so runs are reproducible. */
    public static final java.time.Instant DEFAULT_START =
        java.time.Instant.parse("2026-11-24T08:00:00Z");

    /** {@link #DEFAULT_START} in nanoseconds since the epoch, as events carry time. */
    public static final long DEFAULT_START_NANOS = DEFAULT_START.getEpochSecond() * 1_000_000_000L;

    private int hosts = 100;
    private Shard shard = Shard.WHOLE;
    private long seed = 1;
    private long startNanos = DEFAULT_START_NANOS;
    private Duration duration = Duration.ofMinutes(10);
    private Duration bootWindow = Duration.ofMinutes(1);
    private ProfileMix profiles = ProfileMix.DEFAULT;
    private Map<HostProfile.Kind, Double> processCreatesPerHour = Map.of();
    private Map<String, Integer> scenarios = Map.of();
    private HostSelection scenarioHosts = HostSelection.ALL;
    private CampaignShape campaign = new CampaignShape(6, Duration.ofMinutes(10));
    private double speedup = 0;
    private long eventsPerSecond = 0;
    private LoadShape shape = LoadShape.CONSTANT;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Duration tick = Duration.ofSeconds(1);
    private boolean bootTelemetry = true;
    private Set<HashAlgorithm> hashAlgorithms = HashAlgorithm.DEFAULT;
    private List<Transplant> transplants = List.of();
    private List<HostDriver> drivers = HostDriver.DEFAULT;
    private boolean lsassRunAsPpl = false;

    private Builder() {}

    public Builder hosts(int v) {
      hosts = v;
      return this;
    }

    public Builder shard(Shard v) {
      shard = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder startNanos(long v) {
      startNanos = v;
      return this;
    }

    public Builder start(java.time.Instant v) {
      return startNanos(v.getEpochSecond() * 1_000_000_000L + v.getNano());
    }

    public Builder duration(Duration v) {
      duration = v;
      return this;
    }

    public Builder bootWindow(Duration v) {
      bootWindow = v;
      return this;
    }

    public Builder profiles(ProfileMix v) {
      profiles = v;
      return this;
    }

    public Builder processCreatesPerHour(Map<HostProfile.Kind, Double> v) {
      processCreatesPerHour = v;
      return this;
    }

    public Builder scenarios(Map<String, Integer> v) {
      scenarios = v;
      return this;
    }

    public Builder scenarioHosts(HostSelection v) {
      scenarioHosts = v;
      return this;
    }

    public Builder campaign(CampaignShape v) {
      campaign = v;
      return this;
    }

    public Builder speedup(double v) {
      speedup = v;
      return this;
    }

    public Builder eventsPerSecond(long v) {
      eventsPerSecond = v;
      return this;
    }

    public Builder shape(LoadShape v) {
      shape = java.util.Objects.requireNonNull(v, "shape");
      return this;
    }

    public Builder threads(int v) {
      threads = v;
      return this;
    }

    public Builder tick(Duration v) {
      tick = v;
      return this;
    }

    public Builder bootTelemetry(boolean v) {
      bootTelemetry = v;
      return this;
    }

    public Builder hashAlgorithms(Set<HashAlgorithm> v) {
      hashAlgorithms = v;
      return this;
    }

    public Builder transplants(List<Transplant> v) {
      transplants = v;
      return this;
    }

    public Builder lsassRunAsPpl(boolean v) {
      lsassRunAsPpl = v;
      return this;
    }

    /** The drivers each host loads, in load order; the sensor must be among them. */
    public Builder drivers(List<HostDriver> v) {
      drivers = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming what is out of range
     */
    public FleetConfig build() {
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
          shape,
          threads,
          tick,
          bootTelemetry,
          hashAlgorithms,
          transplants,
          drivers,
          lsassRunAsPpl);
    }
  }
}
