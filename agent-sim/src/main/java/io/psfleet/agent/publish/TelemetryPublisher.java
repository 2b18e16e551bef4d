package io.psfleet.agent.publish;

/**
 * Where the fleet's encoded records go: a Kafka cluster, a file, stdout. Records arrive already
 * encoded (single-object Avro) with their host id as key, in the order the fleet wants them kept.
 *
 * <p>A publisher never drops a record silently: {@link #send} blocks while its bounded buffer is
 * full, which slows the simulation down (back-pressure); a record that finally cannot be delivered
 * is counted in {@link PublisherStats#failed()} and the first failure is kept for the report.
 * Methods are called from one thread.
 */
public interface TelemetryPublisher extends AutoCloseable {
  /** Hands one telemetry record over; may block while the publisher is saturated. */
  void send(String hostId, byte[] telemetryEvent);

  /** Hands one ground-truth record over; may block while the publisher is saturated. */
  void sendGroundTruth(String hostId, byte[] groundTruth);

  /** Blocks until every record handed over is delivered or has failed. */
  void flush();

  PublisherStats stats();

  /** Flushes, then releases connections and files. */
  @Override
  void close();
}
