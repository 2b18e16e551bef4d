package io.psfleet.jobs.fleet;

/**
 * What the fleet knows of one module hash: its prevalence and the hosts of a possible campaign.
 * Immutable; {@link Prevalence} computes each next value.
 *
 * @param firstSeenNanos event time of the first load the fleet saw
 * @param lastSeenNanos event time of the latest load
 * @param hosts distinct hosts that loaded it, counted up to the common cap
 * @param common the hash reached the cap: counting stopped, it is widespread, not rare
 * @param alerted the fleet alert for this hash was raised; it is raised once while the hash is
 *     remembered
 * @param campaign candidate loads within the fleet window of the latest one, one per host, in
 *     event-time order; empty once alerted or common
 */
public record FleetModule(
    long firstSeenNanos,
    long lastSeenNanos,
    int hosts,
    boolean common,
    boolean alerted,
    HostSighting[] campaign) {}
