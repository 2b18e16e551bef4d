package io.psfleet.agent.fleet;

import io.psfleet.agent.workload.HostProfile.Kind;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** Shares of the fleet's host kinds, as percentages that add up to 100. */
public record ProfileMix(int workstation, int server, int domainController) {
  public static final ProfileMix DEFAULT = new ProfileMix(85, 13, 2);

  public ProfileMix {
    if (workstation < 0
        || server < 0
        || domainController < 0
        || workstation + server + domainController != 100) {
      throw new IllegalArgumentException(
          "profile shares must be non-negative and add up to 100, got workstation="
              + workstation
              + ",server="
              + server
              + ",domain-controller="
              + domainController);
    }
  }

  /** Parses {@code workstation=80,server=15,domain-controller=5} (missing kinds are 0). */
  public static ProfileMix parse(String text) {
    Map<Kind, Integer> shares = new EnumMap<>(Kind.class);
    for (String part : text.split(",")) {
      String[] kv = part.trim().split("=");
      Kind kind = null;
      for (Kind k : Kind.values()) {
        if (kv.length == 2 && k.optionName().equals(kv[0].trim().toLowerCase(Locale.ROOT))) {
          kind = k;
        }
      }
      if (kind == null) {
        throw new IllegalArgumentException(
            "profiles look like workstation=80,server=15,domain-controller=5; cannot read '"
                + part
                + "'");
      }
      try {
        shares.put(kind, Integer.parseInt(kv[1].trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "profile share must be a whole percentage, got '" + part + "'");
      }
    }
    return new ProfileMix(
        shares.getOrDefault(Kind.WORKSTATION, 0),
        shares.getOrDefault(Kind.SERVER, 0),
        shares.getOrDefault(Kind.DOMAIN_CONTROLLER, 0));
  }

  /** The kind of the host with this fleet index: a stable pick from the seed, not from position. */
  public Kind kindOf(int hostIndex, long seed) {
    long h = FleetSeeds.host(seed ^ 0x9E3779B97F4A7C15L, hostIndex);
    int bucket = (int) Math.floorMod(h, 100L);
    if (bucket < workstation) {
      return Kind.WORKSTATION;
    }
    return bucket < workstation + server ? Kind.SERVER : Kind.DOMAIN_CONTROLLER;
  }

  @Override
  public String toString() {
    return "workstation="
        + workstation
        + ",server="
        + server
        + ",domain-controller="
        + domainController;
  }
}
