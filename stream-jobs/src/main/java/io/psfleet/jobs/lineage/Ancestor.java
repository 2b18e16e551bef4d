package io.psfleet.jobs.lineage;

/**
 * A process in an event's ancestry chain, nearest first.
 *
 * @param placeholder true when the pipeline never saw this process start (it started before the
 *     sensor, or its create event has not arrived yet) and knows it only from a child's event
 */
public record Ancestor(
    long key, int processId, String image, String commandLine, boolean placeholder) {}
