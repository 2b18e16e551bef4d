package io.psfleet.agent.scenario;

import io.psfleet.agent.workload.HostProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * When and where each scenario is injected, decided for the whole fleet before the run from the
 * seed alone, so every shard of a sharded run agrees on it and executes its own hosts' part.
 */
public final class ScenarioPlan {
  /** One scenario instance on one host. */
  public record Injection(String scenarioId, Scenario scenario, int hostIndex, long atNanos) {}

  /** How a fleet campaign spreads: over {@code hosts} hosts within {@code window}. */
  public record CampaignShape(int hosts, Duration window) {}

  private final List<Injection> injections;

  private ScenarioPlan(List<Injection> injections) {
    this.injections = List.copyOf(injections);
  }

  /**
   * Plans {@code counts} (scenario name to instances) over hosts {@code 0..fleetHosts-1}, at times
   * within {@code [fromNanos, toNanos)}.
   *
   * @param eligible which hosts may receive scenarios
   * @param kindOf the profile of each host, since some scenarios need a workstation
   * @throws IllegalArgumentException when a scenario has no eligible host to run on
   */
  public static ScenarioPlan plan(
      Scenarios scenarios,
      Map<String, Integer> counts,
      int fleetHosts,
      IntPredicate eligible,
      IntFunction<HostProfile.Kind> kindOf,
      long fromNanos,
      long toNanos,
      CampaignShape campaign,
      long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5CE7A1105L);
    for (String name : counts.keySet()) {
      if (scenarios.find(name) == null) {
        throw new IllegalArgumentException("unknown scenario '" + name + "'");
      }
    }
    List<Injection> planned = new ArrayList<>();
    // Catalog order, not the map's: the plan must not depend on a map's iteration order.
    for (Scenario scenario : scenarios.everyScenario()) {
      int count = counts.getOrDefault(scenario.name(), 0);
      List<Integer> hosts = new ArrayList<>();
      for (int h = 0; h < fleetHosts; h++) {
        if (eligible.test(h) && scenario.runsOn(kindOf.apply(h))) {
          hosts.add(h);
        }
      }
      if (hosts.isEmpty() && count > 0) {
        throw new IllegalArgumentException(
            "no eligible host can run scenario '"
                + scenario.name()
                + "' (it needs a workstation?)");
      }
      for (int n = 1; n <= count; n++) {
        String id = String.format("%s-%04d", scenario.name(), n);
        if (scenario.name().equals("fleet-campaign")) {
          // Its own DLL, registered now: planning is single-threaded and in a fixed order.
          scenarios.files().campaignDll(id);
          long window = Math.min(campaign.window().toNanos(), Math.max(1, toNanos - fromNanos));
          long begin =
              fromNanos + (long) (random.nextDouble() * Math.max(1, toNanos - fromNanos - window));
          List<Integer> pool = new ArrayList<>(hosts);
          int spread = Math.min(campaign.hosts(), pool.size());
          for (int i = 0; i < spread; i++) {
            int host = pool.remove(random.nextInt(pool.size()));
            planned.add(
                new Injection(id, scenario, host, begin + (long) (random.nextDouble() * window)));
          }
        } else {
          int host = hosts.get(random.nextInt(hosts.size()));
          long at = fromNanos + (long) (random.nextDouble() * (toNanos - fromNanos));
          planned.add(new Injection(id, scenario, host, at));
        }
      }
    }
    planned.sort(Comparator.comparingLong(Injection::atNanos).thenComparing(Injection::scenarioId));
    return new ScenarioPlan(planned);
  }

  /** This plan and {@code more} (recordings transplanted onto hosts), in time order. */
  public ScenarioPlan with(List<Injection> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<Injection> all = new ArrayList<>(injections);
    all.addAll(more);
    all.sort(Comparator.comparingLong(Injection::atNanos).thenComparing(Injection::scenarioId));
    return new ScenarioPlan(all);
  }

  public List<Injection> injections() {
    return injections;
  }

  public List<Injection> forHost(int hostIndex) {
    return injections.stream().filter(i -> i.hostIndex() == hostIndex).toList();
  }

  /** Distinct scenario instances (a campaign counts once). */
  public long instances() {
    return injections.stream().map(Injection::scenarioId).distinct().count();
  }
}
