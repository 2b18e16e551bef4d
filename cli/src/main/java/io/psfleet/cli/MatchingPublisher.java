package io.psfleet.cli;

import io.psfleet.agent.publish.PublisherStats;
import io.psfleet.agent.publish.TelemetryPublisher;
import io.psfleet.harness.latency.HostKeyPartitioner;
import io.psfleet.harness.latency.LatencyTracker;
import io.psfleet.harness.latency.RecordIds;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The publisher of {@code bench --observe-topic}: tells the tracker when each telemetry record's id
 * goes out. With the record key as the id, it gives every record a key of its own, {@code HOST#N}
 * ({@link HostKeyPartitioner} keeps it in the host's partition); with a field, it reads the field
 * from the encoded record. Ground truth passes through unchanged.
 */
final class MatchingPublisher implements TelemetryPublisher {
  private final TelemetryPublisher delegate;
  private final RecordIds field;
  private final LatencyTracker tracker;
  private final AtomicLong sequence;

  /**
   * @param field the field carrying the id, or null for the record key
   * @param sequence the run's record counter, shared by its steps so keys stay unique
   */
  MatchingPublisher(
      TelemetryPublisher delegate, RecordIds field, LatencyTracker tracker, AtomicLong sequence) {
    this.delegate = delegate;
    this.field = field;
    this.tracker = tracker;
    this.sequence = sequence;
  }

  @Override
  public void send(String hostId, byte[] telemetryEvent) {
    String key = hostId;
    String id;
    if (field == null) {
      key = HostKeyPartitioner.key(hostId, sequence.incrementAndGet());
      id = key;
    } else {
      id = field.find(telemetryEvent);
    }
    tracker.published(id, System.nanoTime());
    delegate.send(key, telemetryEvent);
  }

  @Override
  public void sendGroundTruth(String hostId, byte[] groundTruth) {
    delegate.sendGroundTruth(hostId, groundTruth);
  }

  @Override
  public void flush() {
    delegate.flush();
  }

  @Override
  public PublisherStats stats() {
    return delegate.stats();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
