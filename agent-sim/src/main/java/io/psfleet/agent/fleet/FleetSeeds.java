package io.psfleet.agent.fleet;

/**
 * Per-host seeds derived from the run's seed: a host's life depends on its index, not on shards.
 */
final class FleetSeeds {
  private FleetSeeds() {}

  static long host(long seed, int hostIndex) {
    long z = seed + 0x9E3779B97F4A7C15L * (hostIndex + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
