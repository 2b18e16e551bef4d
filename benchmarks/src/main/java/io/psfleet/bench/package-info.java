/**
 * Benchmarks that print figures (never timed assertions): the simulator's generation rate and
 * memory per host, and its publishing rate beside Kafka's own {@code ProducerPerformance} on the
 * same broker in the same run.
 */
package io.psfleet.bench;
