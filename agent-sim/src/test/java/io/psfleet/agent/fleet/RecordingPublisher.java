package io.psfleet.agent.fleet;

import io.psfleet.agent.publish.PublisherStats;
import io.psfleet.agent.publish.TelemetryPublisher;
import java.util.ArrayList;
import java.util.List;

/** Keeps what the fleet publishes, in order, so tests can decode and inspect it. */
public final class RecordingPublisher implements TelemetryPublisher {
  /** One published record. */
  public record Sent(String key, byte[] value) {}

  public final List<Sent> telemetry = new ArrayList<>();
  public final List<Sent> groundTruth = new ArrayList<>();
  private long bytes;

  @Override
  public void send(String hostId, byte[] telemetryEvent) {
    telemetry.add(new Sent(hostId, telemetryEvent));
    bytes += telemetryEvent.length;
  }

  @Override
  public void sendGroundTruth(String hostId, byte[] value) {
    groundTruth.add(new Sent(hostId, value));
  }

  @Override
  public void flush() {}

  @Override
  public PublisherStats stats() {
    long n = telemetry.size() + groundTruth.size();
    return new PublisherStats(n, n, 0, bytes, 0, null);
  }

  @Override
  public void close() {}
}
