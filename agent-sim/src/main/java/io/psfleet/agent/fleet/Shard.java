package io.psfleet.agent.fleet;

/**
 * Which part of the fleet this process simulates: shard {@code index} of {@code count} (1-based)
 * owns the hosts whose 0-based fleet index is {@code index - 1} modulo {@code count}, so shards are
 * disjoint and together make the whole fleet.
 */
public record Shard(int index, int count) {
  public static final Shard WHOLE = new Shard(1, 1);

  public Shard {
    if (count < 1 || index < 1 || index > count) {
      throw new IllegalArgumentException(
          "shard must be i/n with 1 <= i <= n, got " + index + "/" + count);
    }
  }

  /** Parses {@code i/n}. */
  public static Shard parse(String text) {
    String[] parts = text.split("/");
    try {
      if (parts.length == 2) {
        return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "shard must look like 2/4 (this is shard 2 of 4), got '" + text + "'");
  }

  /** How many hosts of a fleet of {@code fleetHosts} this shard owns. */
  public int hostsOf(int fleetHosts) {
    return Math.max(0, (fleetHosts - index + count) / count);
  }

  /**
   * This shard's part of a fleet-wide {@code total} (a rate), in proportion to the hosts it owns,
   * rounded so that the parts of all shards add up to {@code total} exactly.
   */
  public long share(long total, int fleetHosts) {
    long before = 0;
    for (int i = 1; i < index; i++) {
      before += new Shard(i, count).hostsOf(fleetHosts);
    }
    long through = before + hostsOf(fleetHosts);
    return Math.floorDiv(total * through, fleetHosts) - Math.floorDiv(total * before, fleetHosts);
  }

  public boolean owns(int hostIndex) {
    return hostIndex % count == index - 1;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
