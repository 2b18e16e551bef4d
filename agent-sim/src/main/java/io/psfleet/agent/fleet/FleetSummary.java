package io.psfleet.agent.fleet;

import java.util.List;

/**
 * How a run ended.
 *
 * @param heapBytesPerHost heap in use after the run, less the heap before the hosts existed, per
 *     booted host (after a full GC)
 * @param scenarioInstances scenario instances planned for the whole fleet
 * @param stoppedEarly true when {@link Fleet#stop} cut the run short
 */
public record FleetSummary(
    FleetProgress last,
    long heapBytesPerHost,
    List<Fleet.BugCheckReport> bugChecks,
    long scenarioInstances,
    boolean stoppedEarly) {}
