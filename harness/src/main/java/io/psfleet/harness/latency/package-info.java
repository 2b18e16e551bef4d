/**
 * End-to-end latency through a pipeline psfleet does not run: which id a record carries ({@link
 * io.psfleet.harness.latency.RecordIds}), when psfleet published the ids it tracks and when they
 * came back on the pipeline's output topic ({@link io.psfleet.harness.latency.LatencyTracker}), and
 * the Kafka wiring around them (the output topic's watch, the partitioner that keeps a host's
 * records together when every record has a key of its own).
 */
package io.psfleet.harness.latency;
