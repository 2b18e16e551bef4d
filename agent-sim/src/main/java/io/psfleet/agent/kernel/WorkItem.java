package io.psfleet.agent.kernel;

/**
 * WORKER_THREAD_ROUTINE: work a driver queued with {@link Kernel#exQueueWorkItem}, run later at
 * PASSIVE_LEVEL in a system worker thread.
 */
@FunctionalInterface
public interface WorkItem {
  void run();
}
