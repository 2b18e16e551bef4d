package io.psfleet.agent.kernel;

/**
 * What fills one of the 64 thread-notify slots: a PsSetCreateThreadNotifyRoutine routine, told in
 * the creator's context, or a PsSetCreateThreadNotifyRoutineEx one registered with
 * PsCreateThreadNotifyNonSystem, told on the new thread itself and never of System threads.
 */
sealed interface ThreadNotifySlot {
  CreateThreadNotifyRoutine routine();

  record CreatorContext(CreateThreadNotifyRoutine routine) implements ThreadNotifySlot {}

  record NewThreadNonSystem(CreateThreadNotifyRoutine routine) implements ThreadNotifySlot {}
}
