/**
 * Benign host behaviour: the files of a Windows installation, how a host boots, and what its users
 * and services run. Works on a {@link io.psfleet.agent.kernel.Kernel} and knows nothing of sensors,
 * Avro or Kafka.
 */
package io.psfleet.agent.workload;
