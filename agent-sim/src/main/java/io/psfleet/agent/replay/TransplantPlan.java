package io.psfleet.agent.replay;

import io.psfleet.agent.kernel.ImageCatalog;
import io.psfleet.agent.scenario.ScenarioPlan.Injection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Where and when each transplant plays, decided for the whole fleet from the seed, as the scenario
 * plan is, so shards agree on it.
 */
public final class TransplantPlan {
  private TransplantPlan() {}

  /**
   * The injections of {@code transplants} over hosts {@code 0..fleetHosts-1}.
   *
   * @param eligible hosts that may receive a transplant that names only how many hosts
   * @param runStartNanos the run's start, which {@code at=} durations count from
   * @param fromNanos start of the scenario window (after boot), where random and repeated times
   *     fall
   * @param toNanos end of the scenario window
   */
  public static List<Injection> injections(
      List<Transplant> transplants,
      ImageCatalog catalog,
      int fleetHosts,
      IntPredicate eligible,
      long runStartNanos,
      long fromNanos,
      long toNanos,
      long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x7EA115A1L);
    RecordedImages images = new RecordedImages(catalog);
    Map<String, Integer> instances = new HashMap<>();
    List<Injection> planned = new ArrayList<>();
    for (Transplant transplant : transplants) {
      images.registerAll(transplant.recording());
      TransplantScenario scenario = new TransplantScenario(transplant, images);
      for (int host : hosts(transplant, fleetHosts, eligible, random)) {
        for (long at : times(transplant.schedule(), runStartNanos, fromNanos, toNanos, random)) {
          int n = instances.merge(scenario.name(), 1, Integer::sum);
          planned.add(
              new Injection(String.format("%s-%04d", scenario.name(), n), scenario, host, at));
        }
      }
    }
    return planned;
  }

  private static int[] hosts(
      Transplant transplant, int fleetHosts, IntPredicate eligible, SplittableRandom random) {
    IntPredicate pool = transplant.hosts() != null ? transplant.hosts() : eligible;
    int[] candidates = new int[fleetHosts];
    int n = 0;
    for (int h = 0; h < fleetHosts; h++) {
      if (pool.test(h)) {
        candidates[n++] = h;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException(
          "--replay " + transplant.spec() + ": no host of the fleet is eligible");
    }
    if (transplant.hosts() != null) {
      return Arrays.copyOf(candidates, n);
    }
    // A partial Fisher-Yates shuffle: the first `count` of a random order, sorted back.
    int count = Math.min(transplant.hostCount(), n);
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(n - i);
      int t = candidates[i];
      candidates[i] = candidates[j];
      candidates[j] = t;
    }
    int[] chosen = Arrays.copyOf(candidates, count);
    Arrays.sort(chosen);
    return chosen;
  }

  private static long[] times(
      Transplant.Schedule schedule,
      long runStartNanos,
      long fromNanos,
      long toNanos,
      SplittableRandom random) {
    if (schedule.at() != null) {
      return new long[] {runStartNanos + schedule.at().toNanos()};
    }
    if (schedule.atInstant() != null) {
      return new long[] {
        schedule.atInstant().getEpochSecond() * 1_000_000_000L + schedule.atInstant().getNano()
      };
    }
    long span = Math.max(1, toNanos - fromNanos);
    if (schedule.every() == null) {
      return new long[] {fromNanos + (long) (random.nextDouble() * span)};
    }
    // Each host starts at its own phase within the first period, so a fleet does not replay in
    // one nanosecond.
    long every = schedule.every().toNanos();
    long first = fromNanos + (long) (random.nextDouble() * Math.min(every, span));
    int count = (int) Math.min(1_000_000, (toNanos - first + every - 1) / every);
    long[] times = new long[Math.max(1, count)];
    for (int i = 0; i < times.length; i++) {
      times[i] = first + i * every;
    }
    return times;
  }
}
