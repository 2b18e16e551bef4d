package io.psfleet.jobs.fleet;

import io.psfleet.jobs.alert.Alert;
import io.psfleet.jobs.alert.ProcessRef;
import io.psfleet.jobs.alert.Rule;
import io.psfleet.jobs.detect.DetectionConfig;
import io.psfleet.jobs.detect.Findings;
import io.psfleet.jobs.event.EventKind;
import io.psfleet.jobs.event.Telemetry;
import io.psfleet.jobs.lineage.EnrichedEvent;
import io.psfleet.jobs.lineage.ImagePaths;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fleet prevalence of modules by hash, and rule 6 ({@link Rule#FLEET_RARE_MODULE}) on top of it.
 * Pure: each step takes the hash's current {@link FleetModule} and returns the next, with event
 * time as an argument.
 *
 * <p>Tracked: ImageLoads with a hash whose module is unsigned or lies in a user-writable folder
 * ({@link #isTracked}); signed modules from Program Files and system directories are everywhere and
 * not worth the state. Campaign candidates: unsigned <em>and</em> user-writable ({@link
 * #isCandidate}). So an unsigned line-of-business DLL in Program Files and Defender's signed
 * modules in ProgramData get a prevalence but never a fleet alert.
 *
 * <p>The rule: a candidate hash alerts once when {@link DetectionConfig#fleetHosts()} distinct
 * hosts loaded it within {@link DetectionConfig#fleetWindow()} of event time, unless it is common
 * ({@link DetectionConfig#fleetCommonHosts()} hosts). The window slides with the latest candidate
 * load: a hash first seen a day ago on one host still alerts when it then spreads fast. A load more
 * than a window older than the latest one is too late for the campaign (it still counts for
 * prevalence).
 */
public final class Prevalence implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final HostSighting[] NO_SIGHTINGS = new HostSighting[0];

  private final int campaignHosts;
  private final long windowNanos;
  private final int commonHosts;
  private final long retentionNanos;

  public Prevalence(DetectionConfig config) {
    this.campaignHosts = config.fleetHosts();
    this.windowNanos = config.fleetWindow().toNanos();
    this.commonHosts = config.fleetCommonHosts();
    this.retentionNanos = config.fleetRetention().toNanos();
  }

  /** The next state of a hash after one load, and the alert the load completed, or null. */
  public record Sighting(FleetModule module, Alert alert) {}

  /** Loads whose hash prevalence is kept: unsigned or from a user-writable folder. */
  public static boolean isTracked(Telemetry e) {
    return e.kind() == EventKind.IMAGE_LOAD
        && e.sha256() != null
        && !e.sha256().isEmpty()
        && (!e.signed() || ImagePaths.isUserWritable(e.imageLoaded()));
  }

  /** Loads that can make a campaign: unsigned and from a user-writable folder. */
  public static boolean isCandidate(Telemetry e) {
    return isTracked(e) && !e.signed() && ImagePaths.isUserWritable(e.imageLoaded());
  }

  /**
   * One load of the hash.
   *
   * @param current the hash's state, or null when the fleet has not seen it (or forgot it)
   * @param newHost true when the load's host is not yet counted for this hash; ignored once common
   */
  public Sighting observe(FleetModule current, boolean newHost, EnrichedEvent load) {
    Telemetry t = load.event();
    long at = t.timeNanos();
    FleetModule before =
        current != null ? current : new FleetModule(at, at, 0, false, false, NO_SIGHTINGS);
    int hosts = before.hosts();
    boolean common = before.common();
    if (!common && newHost) {
      hosts++;
      common = hosts >= commonHosts;
    }
    HostSighting[] campaign = before.campaign();
    boolean alerted = before.alerted();
    Alert alert = null;
    if (common || alerted) {
      campaign = NO_SIGHTINGS;
    } else if (isCandidate(t)) {
      campaign = join(campaign, new HostSighting(t.hostId(), t.eventId(), at));
      if (campaign.length >= campaignHosts) {
        alert = alert(campaign, load, hosts);
        alerted = true;
        campaign = NO_SIGHTINGS;
      }
    }
    return new Sighting(
        new FleetModule(
            Math.min(before.firstSeenNanos(), at),
            Math.max(before.lastSeenNanos(), at),
            hosts,
            common,
            alerted,
            campaign),
        alert);
  }

  /** Event time after which a hash not seen again is forgotten. */
  public long forgetAfterNanos(FleetModule module) {
    return module.lastSeenNanos() + retentionNanos;
  }

  /** True when nothing loaded the hash for longer than the retention before {@code nowNanos}. */
  public boolean isForgotten(FleetModule module, long nowNanos) {
    return forgetAfterNanos(module) < nowNanos;
  }

  /**
   * The campaign with {@code sighting} added: loads more than a window older than the latest one
   * leave, one load per host stays (the earliest), order is by event time.
   */
  private HostSighting[] join(HostSighting[] campaign, HostSighting sighting) {
    long latest = sighting.timeNanos();
    for (HostSighting s : campaign) {
      latest = Math.max(latest, s.timeNanos());
    }
    if (sighting.timeNanos() < latest - windowNanos) {
      return campaign;
    }
    List<HostSighting> kept = new ArrayList<>(campaign.length + 1);
    boolean hostPresent = false;
    for (HostSighting s : campaign) {
      if (s.timeNanos() < latest - windowNanos) {
        continue;
      }
      if (s.hostId().equals(sighting.hostId())) {
        hostPresent = true;
        kept.add(s.timeNanos() <= sighting.timeNanos() ? s : sighting);
      } else {
        kept.add(s);
      }
    }
    if (!hostPresent) {
      kept.add(sighting);
    }
    kept.sort(
        (a, b) ->
            a.timeNanos() != b.timeNanos()
                ? Long.compare(a.timeNanos(), b.timeNanos())
                : a.hostId().compareTo(b.hostId()));
    return kept.toArray(NO_SIGHTINGS);
  }

  private static Alert alert(HostSighting[] campaign, EnrichedEvent load, int fleetHosts) {
    Telemetry t = load.event();
    String[] hosts = new String[campaign.length];
    String[] evidence = new String[campaign.length];
    for (int i = 0; i < campaign.length; i++) {
      hosts[i] = campaign[i].hostId();
      evidence[i] = campaign[i].eventId();
    }
    // The uid must not depend on the order in which hosts' events happened to arrive.
    String[] sortedEvidence = evidence.clone();
    Arrays.sort(sortedEvidence);
    long span = campaign[campaign.length - 1].timeNanos() - campaign[0].timeNanos();
    ProcessRef process = Findings.process(load);
    return new Alert(
        Alert.uidOf(Rule.FLEET_RARE_MODULE, sortedEvidence),
        Rule.FLEET_RARE_MODULE,
        t.hostId(),
        t.timeNanos(),
        process,
        null,
        Findings.module(t, fleetHosts),
        hosts,
        evidence,
        Findings.describeModule(t)
            + " (sha256 "
            + t.sha256()
            + ") loaded on "
            + campaign.length
            + " hosts within "
            + seconds(span)
            + ": "
            + String.join(", ", hosts)
            + "; seen on "
            + fleetHosts
            + " hosts of the fleet so far");
  }

  private static String seconds(long nanos) {
    long s = Math.round(nanos / 1e9);
    return s < 120 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
  }
}
