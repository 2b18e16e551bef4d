package io.psfleet.agent.kernel;

/**
 * PCREATE_THREAD_NOTIFY_ROUTINE. On creation it runs in the creator's context, so a thread made by
 * another process shows as {@code PsGetCurrentProcessId() != processId}; on exit it runs in the
 * exiting thread. Called at PASSIVE_LEVEL.
 */
@FunctionalInterface
public interface CreateThreadNotifyRoutine {
  void onThreadNotify(int processId, int threadId, boolean create);
}
