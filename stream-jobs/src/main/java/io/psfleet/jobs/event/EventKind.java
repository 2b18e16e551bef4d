package io.psfleet.jobs.event;

/** Which kernel callback a telemetry event reports. */
public enum EventKind {
  PROCESS_CREATE,
  PROCESS_EXIT,
  IMAGE_LOAD,
  THREAD_CREATE,
  THREAD_EXIT,
  PROCESS_ACCESS
}
