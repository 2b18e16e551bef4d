package io.psfleet.agent.kernel;

/**
 * PCREATE_PROCESS_NOTIFY_ROUTINE, the legacy form: parent and process ids and whether the process
 * is created or deleted, in the same contexts as the Ex routine, with no way to block. Called at
 * PASSIVE_LEVEL.
 */
@FunctionalInterface
public interface CreateProcessNotifyRoutine {
  void onProcessNotify(int parentId, int processId, boolean create);
}
