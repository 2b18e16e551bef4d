/**
 * Where the fleet's encoded records go, behind {@link io.psfleet.agent.publish.TelemetryPublisher}:
 * {@link io.psfleet.agent.publish.KafkaTelemetryPublisher} writes them to the project's Kafka
 * topics with the host id as key, blocking the simulation when Kafka cannot keep up and counting
 * every record that finally fails.
 */
package io.psfleet.agent.publish;
