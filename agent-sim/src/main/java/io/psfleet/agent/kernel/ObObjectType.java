package io.psfleet.agent.kernel;

/** The object types ObRegisterCallbacks can watch: *PsProcessType and *PsThreadType. */
public enum ObObjectType {
  PsProcessType,
  PsThreadType
}
