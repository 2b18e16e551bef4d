package io.psfleet.agent.kernel;

/**
 * KAPC_STATE as KeStackAttachProcess fills it: the attach state to restore, which the matching
 * KeUnstackDetachProcess must hand back.
 */
public final class KApcState {
  final EProcess previous;
  final int depth;

  KApcState(EProcess previous, int depth) {
    this.previous = previous;
    this.depth = depth;
  }
}
