package io.psfleet.sigma.correlation;

/**
 * The process an event is about (for a remote thread, its target), kept with each sighting so a
 * correlation's alert can name the process of the event that completed it.
 *
 * @param processKey the process key (Sysmon's ProcessGuid), 0 where unknown
 */
public record Subject(long processKey, int processId, String image) {}
