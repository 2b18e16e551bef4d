package io.psfleet.agent.sensor;

import io.psfleet.schema.TelemetryEvent;

/**
 * Where a sensor's events go. Called synchronously from the notify routines, in sequence order,
 * from the thread that drives the host.
 */
@FunctionalInterface
public interface EventSink {
  void emit(TelemetryEvent event);
}
