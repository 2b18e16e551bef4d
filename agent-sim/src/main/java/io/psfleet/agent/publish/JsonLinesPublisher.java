package io.psfleet.agent.publish;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes already-encoded JSON records, one per line, to a file or stdout. Ground truth is not
 * written here (the simulator writes it to its own --ground-truth file); it is counted as sent and
 * delivered so the numbers add up.
 */
public final class JsonLinesPublisher implements TelemetryPublisher {
  private final OutputStream out;
  private final boolean closeStream;
  private long sent;
  private long bytes;

  /**
   * @param closeStream false for stdout, which the process still needs after the run
   */
  public JsonLinesPublisher(OutputStream out, boolean closeStream) {
    this.out = new BufferedOutputStream(out, 1 << 16);
    this.closeStream = closeStream;
  }

  @Override
  public void send(String hostId, byte[] telemetryEvent) {
    try {
      out.write(telemetryEvent);
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write telemetry: " + e.getMessage(), e);
    }
    sent++;
    bytes += telemetryEvent.length + 1;
  }

  @Override
  public void sendGroundTruth(String hostId, byte[] groundTruth) {
    sent++;
  }

  @Override
  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write telemetry: " + e.getMessage(), e);
    }
  }

  @Override
  public PublisherStats stats() {
    return new PublisherStats(sent, sent, 0, bytes, 0, null);
  }

  @Override
  public void close() {
    flush();
    if (closeStream) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
