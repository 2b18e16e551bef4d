package io.psfleet.agent.kernel;

/** PSCREATEPROCESSNOTIFYTYPE: the one type PsSetCreateProcessNotifyRoutineEx2 knows. */
public enum PsCreateProcessNotifyType {
  PsCreateProcessNotifySubsystems
}
