package io.psfleet.agent.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.psfleet.agent.publish.PublisherStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The end-of-run summary {@code simulate --summary FILE} writes, and its reading by whoever runs
 * the simulator as a separate process (the one-machine cluster counts its shards' events from it):
 * one class writes the format and reads it.
 */
public final class SummaryFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a run produced.
   *
   * @param events telemetry events generated
   * @param sent records handed to the publisher (telemetry and ground truth)
   * @param delivered records the publisher saw acknowledged
   * @param failed records the publisher gave up on
   */
  public record Counts(long events, long sent, long delivered, long failed) {}

  private SummaryFile() {}

  /**
   * The summary as one JSON object: {@code events} counts telemetry events, the publisher's {@code
   * sent}, {@code delivered} and {@code failed} count every record (telemetry and ground truth).
   */
  public static String write(FleetSummary summary) {
    FleetProgress p = summary.last();
    PublisherStats s = p.publisher();
    return String.format(
        Locale.ROOT,
        "{\"stoppedEarly\":%b,\"simulatedSeconds\":%.3f,\"wallSeconds\":%.3f,\"events\":%d,"
            + "\"hosts\":%d,\"booted\":%d,\"halted\":%d,\"scenarioInstances\":%d,"
            + "\"groundTruths\":%d,\"sent\":%d,\"delivered\":%d,\"failed\":%d,\"bytes\":%d}%n",
        summary.stoppedEarly(),
        p.simulatedNanos() / 1e9,
        p.wallNanos() / 1e9,
        p.events(),
        p.hosts(),
        p.booted(),
        p.halted(),
        summary.scenarioInstances(),
        p.groundTruths(),
        s.sent(),
        s.delivered(),
        s.failed(),
        s.bytes());
  }

  /**
   * The counts of a summary file.
   *
   * @throws IOException when the file is missing or not JSON
   * @throws IllegalArgumentException naming the count the file lacks
   */
  public static Counts read(Path file) throws IOException {
    JsonNode summary = JSON.readTree(Files.readString(file));
    for (String field : new String[] {"events", "sent", "delivered", "failed"}) {
      if (!summary.path(field).canConvertToLong()) {
        throw new IllegalArgumentException("summary " + file + " has no '" + field + "'");
      }
    }
    return new Counts(
        summary.path("events").asLong(),
        summary.path("sent").asLong(),
        summary.path("delivered").asLong(),
        summary.path("failed").asLong());
  }
}
