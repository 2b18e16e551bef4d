/**
 * Attacks injected into the benign fleet, and benign look-alikes that a naive rule would flag, each
 * recording its ground truth (which processes, which events, when) as it happens. Scenarios act
 * through {@link io.psfleet.agent.workload.HostWorkload} on the host's kernel like any program;
 * they know nothing of Kafka or Avro.
 */
package io.psfleet.agent.scenario;
