package io.psfleet.sigma.correlation;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A correlation that matched: its group, the time of the sighting that completed it, and the
 * sightings that made it (oldest first).
 *
 * @param alert whether the match is an alert of its own ({@link CorrelationSet#alertsAlone}); a
 *     correlation another one builds on matches silently unless that one says {@code generate}
 */
public record CorrelationMatch(
    CorrelationRule rule,
    String[] groupValues,
    long timeNanos,
    Sighting[] sightings,
    boolean alert) {

  /** Ids of the events behind the match, each once, oldest first. */
  public String[] evidence() {
    Set<String> ids = new LinkedHashSet<>();
    for (Sighting s : sightings) {
      for (String id : s.evidence()) {
        ids.add(id);
      }
    }
    return ids.toArray(new String[0]);
  }

  /** The hosts of those events, each once, in order of first appearance. */
  public String[] hosts() {
    Set<String> hosts = new LinkedHashSet<>();
    for (Sighting s : sightings) {
      for (String h : s.hosts()) {
        hosts.add(h);
      }
    }
    return hosts.toArray(new String[0]);
  }

  /** The sighting that completed the match. */
  public Sighting last() {
    return sightings[sightings.length - 1];
  }
}
