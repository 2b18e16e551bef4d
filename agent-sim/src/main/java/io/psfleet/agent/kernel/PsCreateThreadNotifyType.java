package io.psfleet.agent.kernel;

/**
 * PSCREATETHREADNOTIFYTYPE for PsSetCreateThreadNotifyRoutineEx. Only NonSystem is modelled:
 * Subsystems concerns Pico threads, which the model does not create.
 */
public enum PsCreateThreadNotifyType {
  PsCreateThreadNotifyNonSystem
}
