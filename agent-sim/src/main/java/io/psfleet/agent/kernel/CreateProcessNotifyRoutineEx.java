package io.psfleet.agent.kernel;

/**
 * PCREATE_PROCESS_NOTIFY_ROUTINE_EX. On creation it runs in the creating thread's context with a
 * {@link PsCreateNotifyInfo}; on exit it runs in the context of the process's last thread with
 * {@code createInfo == null}. Called at PASSIVE_LEVEL.
 */
@FunctionalInterface
public interface CreateProcessNotifyRoutineEx {
  void onProcessNotify(EProcess process, int processId, PsCreateNotifyInfo createInfo);
}
