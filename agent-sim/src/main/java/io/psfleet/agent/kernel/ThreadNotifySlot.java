package io.psfleet.agent.kernel;

/**
 * What fills one of the 64 thread-notify slots: a PsSetCreateThreadNotifyRoutine routine, told in
 * the creator's context; a PsSetCreateThreadNotifyRoutineEx one registered with
 * PsCreateThreadNotifyNonSystem, told on the new thread itself and never of System threads; or one
 * registered with PsCreateThreadNotifySubsystems, told in the creator's context of the threads of
 * every subsystem. Only the last hears of a subsystem (Pico) process's threads, as only Ex2 process
 * routines that ask hear of the process.
 */
sealed interface ThreadNotifySlot {
  CreateThreadNotifyRoutine routine();

  /** Whether the routine runs on the new thread rather than in its creator's context. */
  default boolean onNewThread() {
    return false;
  }

  /** Whether the routine hears of the threads of subsystem (Pico) processes. */
  default boolean seesSubsystemThreads() {
    return false;
  }

  record CreatorContext(CreateThreadNotifyRoutine routine) implements ThreadNotifySlot {}

  record NewThreadNonSystem(CreateThreadNotifyRoutine routine) implements ThreadNotifySlot {
    @Override
    public boolean onNewThread() {
      return true;
    }
  }

  record AllSubsystems(CreateThreadNotifyRoutine routine) implements ThreadNotifySlot {
    @Override
    public boolean seesSubsystemThreads() {
      return true;
    }
  }
}
