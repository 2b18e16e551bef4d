/**
 * The sensor: a driver written against {@link io.psfleet.agent.kernel} the way a real one is
 * written against the DDK. It registers its notify routines in DriverEntry, turns each callback
 * into a {@link io.psfleet.schema.TelemetryEvent} with the host's next sequence number, looks
 * processes and threads up with one dereference per successful lookup, and removes every routine in
 * DriverUnload.
 */
package io.psfleet.agent.sensor;
