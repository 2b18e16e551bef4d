package io.psfleet.jobs.io;

import io.psfleet.jobs.event.Telemetry;

/**
 * What the source emits for one Kafka record: the decoded event, or why it could not be decoded.
 */
public record Envelope(Telemetry event, DeadLetter deadLetter) {}
