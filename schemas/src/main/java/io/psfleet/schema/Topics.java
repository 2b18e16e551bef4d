package io.psfleet.schema;

/**
 * The Kafka topics the project reads and writes: the one place their names and default sizes are
 * written down. Every producer, job, deployment file and test takes them from here.
 */
public final class Topics {
  /** Telemetry events, key = host id, value = single-object Avro {@link TelemetryEvent}. */
  public static final String TELEMETRY = "psfleet.telemetry";

  /** What the simulator injected, key = host id, value = single-object Avro {@link GroundTruth}. */
  public static final String GROUND_TRUTH = "psfleet.ground-truth";

  /** The SOC feed: OCSF Detection Finding JSON. */
  public static final String ALERTS = "psfleet.alerts";

  /** Records the jobs could not decode, with the reason in headers and the original bytes. */
  public static final String DEAD_LETTER = "psfleet.telemetry.dlq";

  /**
   * The Sigma rule set the running detection job runs ({@code rules push}): compacted, one record
   * per push under one key, so the topic keeps the latest set; a set's version is its offset + 1.
   */
  public static final String RULES = "psfleet.rules";

  /** The detection job's acknowledgements of the rule sets it took from {@link #RULES}, as JSON. */
  public static final String RULE_ACKS = "psfleet.rules.acks";

  /**
   * One partition for each: a rule set's version is its offset, which only one partition keeps
   * unique and in order.
   */
  public static final int RULES_PARTITIONS = 1;

  /** Partitions of the telemetry topic when the project creates it: room for parallelism 8. */
  public static final int DEFAULT_TELEMETRY_PARTITIONS = 8;

  /** Ground truth is small (a few records per injected attack): two partitions are plenty. */
  public static final int GROUND_TRUTH_PARTITIONS = 2;

  /** Alerts: room for a parallel alert sink and a few SOC consumers. */
  public static final int ALERTS_PARTITIONS = 4;

  /** The dead-letter topic is rare and read by people: one partition keeps it in order. */
  public static final int DEAD_LETTER_PARTITIONS = 1;

  private Topics() {}
}
