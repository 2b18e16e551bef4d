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
