/**
 * Reading a run's outcome back from Kafka: alerts as OCSF, ground truth as Avro, and the join that
 * says which injected scenario was detected, missed or (for a look-alike) wrongly alerted.
 */
package io.psfleet.harness.report;
