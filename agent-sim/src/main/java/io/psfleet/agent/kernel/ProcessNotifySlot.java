package io.psfleet.agent.kernel;

/**
 * What fills one of the 64 process-notify slots: the legacy, the Ex and the Ex2 routines share
 * them, as PspCreateProcessNotifyRoutine does, and differ in what they are told.
 */
sealed interface ProcessNotifySlot {
  /** Whether this routine hears of subsystem (Pico) processes: only Ex2 ones that asked. */
  boolean seesSubsystemProcesses();

  /** Calls the routine in its family's form; {@code createInfo} is null for an exit. */
  void call(EProcess process, int processId, int parentId, PsCreateNotifyInfo createInfo);

  /** PsSetCreateProcessNotifyRoutine: told parent, pid and create/exit; cannot block. */
  record Legacy(CreateProcessNotifyRoutine routine) implements ProcessNotifySlot {
    @Override
    public boolean seesSubsystemProcesses() {
      return false;
    }

    @Override
    public void call(EProcess process, int processId, int parentId, PsCreateNotifyInfo info) {
      routine.onProcessNotify(parentId, processId, info != null);
    }
  }

  /** PsSetCreateProcessNotifyRoutineEx: Win32 processes only. */
  record Ex(CreateProcessNotifyRoutineEx routine) implements ProcessNotifySlot {
    @Override
    public boolean seesSubsystemProcesses() {
      return false;
    }

    @Override
    public void call(EProcess process, int processId, int parentId, PsCreateNotifyInfo info) {
      routine.onProcessNotify(process, processId, info);
    }
  }

  /** PsSetCreateProcessNotifyRoutineEx2 with PsCreateProcessNotifySubsystems: every process. */
  record Ex2(CreateProcessNotifyRoutineEx routine) implements ProcessNotifySlot {
    @Override
    public boolean seesSubsystemProcesses() {
      return true;
    }

    @Override
    public void call(EProcess process, int processId, int parentId, PsCreateNotifyInfo info) {
      routine.onProcessNotify(process, processId, info);
    }
  }
}
