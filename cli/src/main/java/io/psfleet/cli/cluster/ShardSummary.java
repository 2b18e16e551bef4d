package io.psfleet.cli.cluster;

import io.psfleet.agent.fleet.SummaryFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What a simulator shard says it produced, from the file {@code psfleet simulate --summary} writes
 * when it ends ({@link SummaryFile}): the telemetry events it generated and what its publisher did
 * with every record (telemetry and ground truth).
 */
record ShardSummary(long events, long sent, long delivered, long failed) {
  /** The summary a shard wrote; a {@link ClusterException} naming the shard when there is none. */
  static ShardSummary read(String shard, Path file) {
    SummaryFile.Counts counts;
    try {
      counts = SummaryFile.read(file);
    } catch (IOException e) {
      throw new ClusterException(shard + " left no readable summary in " + file + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw new ClusterException(shard + "'s " + e.getMessage(), e);
    }
    return new ShardSummary(counts.events(), counts.sent(), counts.delivered(), counts.failed());
  }
}
