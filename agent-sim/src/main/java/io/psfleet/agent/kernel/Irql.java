package io.psfleet.agent.kernel;

/** Interrupt request levels that matter to the Ps routines. */
public enum Irql {
  PASSIVE_LEVEL,
  APC_LEVEL,
  DISPATCH_LEVEL;

  public boolean isAbove(Irql bound) {
    return compareTo(bound) > 0;
  }
}
