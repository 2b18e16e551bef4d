package io.psfleet.sigma.correlation;

/**
 * One match of a referenced rule as a correlation group holds it.
 *
 * @param timeNanos event time of the event (for a chained correlation: of its match)
 * @param member the index of the referenced rule in the correlation's {@code rules}
 * @param value the value of the condition's {@code field}, or null (no field, or absent)
 * @param evidence ids of the events behind it (one for a base rule's match)
 * @param hosts the hosts of those events
 * @param subject the process of the (last) event
 */
public record Sighting(
    long timeNanos, int member, String value, String[] evidence, String[] hosts, Subject subject) {}
