package io.psfleet.agent.workload;

/** Whose token a process runs with. */
public enum Account {
  /** The host's interactive user, medium integrity. */
  USER,
  /** The interactive user elevated through UAC, high integrity. */
  ADMIN,
  SYSTEM,
  LOCAL_SERVICE,
  NETWORK_SERVICE
}
