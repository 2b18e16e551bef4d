package io.psfleet.agent.kernel;

/**
 * One logical processor of a host (KPRCB): its own IRQL, the thread it runs, and that thread's
 * attach state. The kernel's scheduler puts each thread on one processor, chosen from its id, so
 * that a host's run is the same on every replay.
 */
final class Processor {
  final int number;
  Irql irql = Irql.PASSIVE_LEVEL;
  EThread thread;
  EProcess attachedProcess;
  int attachDepth;

  Processor(int number) {
    this.number = number;
  }
}
