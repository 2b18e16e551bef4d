package io.psfleet.agent.kernel;

/**
 * PCREATE_THREAD_NOTIFY_ROUTINE. Registered with PsSetCreateThreadNotifyRoutine (or Ex with
 * PsCreateThreadNotifySubsystems), it runs on creation in the creator's context, so a thread made
 * by another process shows as {@code PsGetCurrentProcessId() != processId}; registered with
 * PsCreateThreadNotifyNonSystem, on the new thread itself. On exit it runs in the exiting thread.
 * Called at PASSIVE_LEVEL or APC_LEVEL.
 */
@FunctionalInterface
public interface CreateThreadNotifyRoutine {
  void onThreadNotify(int processId, int threadId, boolean create);
}
