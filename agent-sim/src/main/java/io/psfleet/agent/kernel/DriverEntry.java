package io.psfleet.agent.kernel;

/** PDRIVER_INITIALIZE: a driver's entry point, called once at load, at PASSIVE_LEVEL. */
@FunctionalInterface
public interface DriverEntry {
  NtStatus driverEntry(Kernel kernel, DriverObject driverObject);
}
