package io.psfleet.cli.cluster;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a simulator shard says it produced, read from the summary {@code psfleet simulate} prints
 * when it ends: the telemetry events it generated and what its publisher did with every record
 * (telemetry and ground truth).
 */
record ShardSummary(long events, long sent, long delivered, long failed) {
  private static final Pattern EVENTS = Pattern.compile("(?m)^\\s+events\\s+([\\d,]+)");
  private static final Pattern PUBLISHER =
      Pattern.compile("publisher\\s+([\\d,]+) sent, ([\\d,]+) delivered, ([\\d,]+) failed");

  /** The summary in a shard's output; a {@link ClusterException} when there is none. */
  static ShardSummary parse(String shard, String output) {
    Matcher events = EVENTS.matcher(output);
    Matcher publisher = PUBLISHER.matcher(output);
    if (!events.find() || !publisher.find()) {
      throw new ClusterException(
          shard + " ended without its summary; the end of its output:\n" + output);
    }
    return new ShardSummary(
        number(events.group(1)),
        number(publisher.group(1)),
        number(publisher.group(2)),
        number(publisher.group(3)));
  }

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }
}
