package io.psfleet.agent.workload;

/** Which long-running process starts a program that is launched on its own (not as a child). */
public enum Launcher {
  EXPLORER,
  SERVICES,
  /** svchost -k DcomLaunch: WmiPrvSE, RuntimeBroker, dllhost. */
  DCOM_LAUNCH,
  /** svchost -k netsvcs -s Schedule: scheduled tasks, updaters. */
  TASK_SCHEDULER,
  SEARCH_INDEXER,
  DEFENDER,
  /**
   * UAC elevation: consent.exe runs, then the Appinfo svchost creates the program elevated with
   * explorer reported as its parent (a legitimate parent != creator).
   */
  UAC_ELEVATION
}
