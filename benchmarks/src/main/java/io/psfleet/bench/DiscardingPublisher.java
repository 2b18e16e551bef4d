package io.psfleet.bench;

import io.psfleet.agent.publish.PublisherStats;
import io.psfleet.agent.publish.TelemetryPublisher;

/**
 * Counts and drops encoded records: the generation benchmark measures the simulator alone (kernel,
 * sensor, workload, Avro encoding), with no I/O after it.
 */
class DiscardingPublisher implements TelemetryPublisher {
  private long sent;
  private long bytes;

  @Override
  public void send(String hostId, byte[] telemetryEvent) {
    sent++;
    bytes += telemetryEvent.length;
  }

  @Override
  public void sendGroundTruth(String hostId, byte[] groundTruth) {
    sent++;
  }

  @Override
  public void flush() {}

  @Override
  public PublisherStats stats() {
    return new PublisherStats(sent, sent, 0, bytes, 0, null);
  }

  @Override
  public void close() {}
}
