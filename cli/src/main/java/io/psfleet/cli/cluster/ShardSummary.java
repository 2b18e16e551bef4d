package io.psfleet.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a simulator shard says it produced, from the file {@code psfleet simulate --summary} writes
 * when it ends: the telemetry events it generated and what its publisher did with every record
 * (telemetry and ground truth).
 */
record ShardSummary(long events, long sent, long delivered, long failed) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The summary a shard wrote; a {@link ClusterException} naming the shard when there is none. */
  static ShardSummary read(String shard, Path file) {
    JsonNode summary;
    try {
      summary = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new ClusterException(shard + " left no readable summary in " + file + ": " + e, e);
    }
    for (String field : new String[] {"events", "sent", "delivered", "failed"}) {
      if (!summary.path(field).canConvertToLong()) {
        throw new ClusterException(shard + "'s summary " + file + " has no '" + field + "'");
      }
    }
    return new ShardSummary(
        summary.path("events").asLong(),
        summary.path("sent").asLong(),
        summary.path("delivered").asLong(),
        summary.path("failed").asLong());
  }
}
