package io.psfleet.jobs.fleet;

/**
 * One host's load of a module during a possible campaign: the first such load of the host within
 * the window.
 *
 * @param eventId id of the ImageLoad event ({@code host:boot:sequence})
 * @param timeNanos its event time
 */
public record HostSighting(String hostId, String eventId, long timeNanos) {}
