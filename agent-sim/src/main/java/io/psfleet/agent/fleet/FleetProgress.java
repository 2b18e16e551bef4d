package io.psfleet.agent.fleet;

import io.psfleet.agent.publish.PublisherStats;

/**
 * Where a run stands.
 *
 * @param simulatedNanos simulated time since the start
 * @param wallNanos wall-clock time since the start
 * @param events telemetry events generated
 * @param hosts hosts of this shard
 * @param booted hosts booted so far
 * @param halted hosts stopped by a bug check
 * @param groundTruths ground-truth records (scenario steps recorded)
 */
public record FleetProgress(
    long simulatedNanos,
    long wallNanos,
    long events,
    int hosts,
    int booted,
    int halted,
    long groundTruths,
    PublisherStats publisher) {

  /** Events generated per wall-clock second since the start. */
  public double eventsPerSecond() {
    return wallNanos == 0 ? 0 : events * 1e9 / wallNanos;
  }
}
