package io.psfleet.agent.kernel;

/**
 * PSCREATETHREADNOTIFYTYPE for PsSetCreateThreadNotifyRoutineEx. NonSystem routines run on the new
 * thread and never hear of System threads; Subsystems routines hear of the threads of every
 * subsystem, Pico (WSL) processes' included, which no other thread routine is told of.
 */
public enum PsCreateThreadNotifyType {
  PsCreateThreadNotifyNonSystem,
  PsCreateThreadNotifySubsystems
}
